import { DownloadOutlined, FileTextOutlined, PrinterOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import { Alert, Button, Card, List, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { tr } from '../../../i18n';
import { api, errorText, pick, type RouterOutputs } from '../api';
import { fmt } from '../common';

export type CaseDocument = RouterOutputs['documents']['list'][number];

/**
 * 文书: the statutory documents the case's transitions issued (受理告知书,
 * 处理意见书 …), each with its 文号; 打印 opens the PDF in the browser's
 * viewer (print from there), 下载 saves it. `version` is the case's version:
 * the list reloads when a transition moved the case.
 */
export function DocumentsCard({
  caseId,
  version,
  lang,
}: {
  caseId: string;
  version: number;
  lang: Lang;
}) {
  const [docs, setDocs] = useState<CaseDocument[]>();
  const [error, setError] = useState<string>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the case moves on
  useEffect(() => {
    let live = true;
    api()
      .documents.list.query({ caseId })
      .then((d) => {
        if (live) setDocs(d);
      })
      .catch((e: unknown) => {
        if (live) setError(errorText(e, lang));
      });
    return () => {
      live = false;
    };
  }, [caseId, version, lang]);
  return (
    <Card
      size="small"
      title={
        <Space>
          <FileTextOutlined />
          {tr(lang, '文书', 'Documents')}
        </Space>
      }
      style={{ marginBottom: 12 }}
      data-testid="documents-card"
    >
      {error && <Alert type="error" showIcon message={error} />}
      {docs && docs.length === 0 && (
        <Typography.Text type="secondary">
          {tr(
            lang,
            '暂无文书。受理、不予受理、转送、答复、复查和复核时按流程自动出具。',
            'No documents yet. The flow issues them on acceptance, refusal, transfer, reply, review and re-review.',
          )}
        </Typography.Text>
      )}
      {docs && docs.length > 0 && (
        <List
          size="small"
          dataSource={docs}
          renderItem={(d) => (
            <List.Item
              data-testid="document-row"
              actions={[
                <Button
                  key="print"
                  size="small"
                  icon={<PrinterOutlined />}
                  href={d.pdfUrl}
                  target="_blank"
                  rel="noopener"
                  data-testid="document-print"
                >
                  {tr(lang, '打印', 'Print')}
                </Button>,
                <Button
                  key="download"
                  size="small"
                  type="link"
                  icon={<DownloadOutlined />}
                  href={`${d.pdfUrl}?download=1`}
                  data-testid="document-download"
                >
                  {tr(lang, '下载', 'Download')}
                </Button>,
              ]}
            >
              <List.Item.Meta
                title={
                  <Space wrap>
                    <span data-testid="document-kind">{pick(d.kindName, lang)}</span>
                    <Tag color="red" data-testid="document-serial">
                      {d.serial}
                    </Tag>
                  </Space>
                }
                description={`${tr(lang, '出具于', 'Issued')} ${fmt(d.issuedAt)}`}
              />
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
