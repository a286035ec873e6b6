import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import { App, Button, Card, Typography, Upload } from 'antd';
import { tr } from '../../../i18n';
import { pick } from '../api';
import { fmt } from '../common';
import { userLabel } from './timeline';
import type { CaseCardProps } from './types';

/** The case's files, and an upload for whoever may attach. */
export function AttachmentsCard({
  view,
  definition,
  lang,
  reload,
}: CaseCardProps & { lang: Lang; reload: () => Promise<void> }) {
  const { message } = App.useApp();
  const can = view.actions.case.includes('case.attach') || view.state.status === 'active';
  return (
    <Card size="small" title={tr(lang, '附件', 'Attachments')} style={{ marginBottom: 12 }}>
      {view.state.attachments.length === 0 && (
        <Typography.Text type="secondary">{tr(lang, '暂无附件', 'No attachments')}</Typography.Text>
      )}
      {view.state.attachments.map((a) => (
        <div key={a.id}>
          <a
            href={`/api/attachments/${a.ref.replace(/^attachment:/, '')}`}
            download
            data-testid="attachment-link"
          >
            <DownloadOutlined /> {a.name ?? a.ref}
          </a>
          <span className="wb-muted">
            {' '}
            · {fmt(a.at)} · {userLabel(a.by, view.users, definition, lang)}
          </span>
        </div>
      ))}
      {can && (
        <Upload
          showUploadList={false}
          accept=".pdf,.jpg,.jpeg,.png,.docx,.txt"
          customRequest={async ({ file, onSuccess, onError }) => {
            const f = file as File;
            const res = await fetch(
              `/api/attachments?caseId=${encodeURIComponent(view.case.id)}&name=${encodeURIComponent(f.name)}`,
              {
                method: 'POST',
                body: f,
                credentials: 'same-origin',
                // A header a cross-site form cannot send: the server refuses uploads without it.
                headers: { 'x-lianxin-csrf': '1' },
              },
            );
            if (res.ok) {
              message.success(tr(lang, '已上传', 'Uploaded'));
              onSuccess?.({});
              await reload();
            } else {
              const body = (await res.json().catch(() => ({}))) as {
                message?: unknown;
                messages?: unknown;
              };
              const text = pick(body.messages ?? body.message, lang) || `HTTP ${res.status}`;
              message.error(text);
              onError?.(new Error(text));
            }
          }}
        >
          <Button
            size="small"
            icon={<UploadOutlined />}
            style={{ marginTop: 8 }}
            data-testid="upload"
          >
            {tr(lang, '上传附件（PDF、图片、DOCX、文本）', 'Upload (PDF, image, DOCX, text)')}
          </Button>
        </Upload>
      )}
    </Card>
  );
}
