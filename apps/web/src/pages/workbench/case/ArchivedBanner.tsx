import { InboxOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import { Alert, Typography } from 'antd';
import { tr } from '../../../i18n';
import { fmt } from '../common';
import type { CaseCardProps } from './types';

/**
 * 已归档: the case's events, attachments and documents were moved to an
 * archive file (`lianxin archive`, docs/deploy.md). The summary, the KPIs and
 * search still hold it; the banner says which file and how an administrator
 * brings the rest back.
 */
export function ArchivedBanner({ view, lang }: CaseCardProps & { lang: Lang }) {
  const archive = view.archive;
  if (!archive) return null;
  const file = (
    <Typography.Text code copyable data-testid="case-archive-file">
      {archive.file}
    </Typography.Text>
  );
  return (
    <Alert
      type="info"
      showIcon
      icon={<InboxOutlined />}
      style={{ marginBottom: 12 }}
      data-testid="case-archived"
      message={tr(lang, '已归档', 'Archived')}
      description={
        <>
          <div>
            {tr(
              lang,
              `本事项于 ${archive.year} 年办结，办理记录（${archive.events} 条）、附件和文书已于 ${fmt(archive.archivedAt)} 移入归档文件 `,
              `This case was closed in ${archive.year}; its history (${archive.events} entries), attachments and documents were moved on ${fmt(archive.archivedAt)} to the archive file `,
            )}
            {file}
            {tr(
              lang,
              '。案件概要、统计和检索不受影响。',
              '. Its summary, statistics and search are unaffected.',
            )}
          </div>
          <div>
            {tr(
              lang,
              '需要查看时，请系统管理员在服务器上运行 ',
              'To see them again, a system administrator runs ',
            )}
            <Typography.Text code>lianxin restore-archive {archive.file}</Typography.Text>
            {tr(
              lang,
              ' 恢复（不影响其他数据，可重复运行）。',
              ' on the server (it touches nothing else and can be run again).',
            )}
          </div>
        </>
      }
    />
  );
}
