import type { Lang } from '@lianxin/spec';
import { Card, Descriptions, Typography } from 'antd';
import { tr } from '../../../i18n';
import { complaintFields, fieldTitle, schemaProp, valueText } from './timeline';
import type { CaseCardProps } from './types';

/** Fields shown under the title and summary: what the petitioner asked, as registered. */
const FULL_TEXT = 2000;

/**
 * 诉求: what the petitioner asked for, at the top of the case. The flow names
 * its title and summary fields (`caseTitle`, `caseSummary`); the other
 * registered fields of the start form follow, in the form's words.
 */
export function ComplaintCard({ view, definition, lang }: CaseCardProps & { lang: Lang }) {
  const { title: titleKey, summary: summaryKey } = complaintFields(definition);
  const data = view.state.data as Record<string, unknown>;
  const start = definition?.nodes.find((n) => n.kind === 'start');
  const form = definition?.forms.find((f) => start && 'form' in start && f.id === start.form);
  const title = titleKey ? valueText(titleKey, data[titleKey], form, definition, lang, 200) : '';
  const summary = summaryKey
    ? valueText(summaryKey, data[summaryKey], form, definition, lang, FULL_TEXT)
    : '';
  // The start form's other fields that say what was asked (not who asked: the petitioner's fields are sealed and masked).
  const props = Object.entries(
    (form?.schema as { properties?: Record<string, { 'x-sensitive'?: unknown; type?: unknown }> })
      ?.properties ?? {},
  ).filter(
    ([key, p]) =>
      key !== titleKey &&
      key !== summaryKey &&
      !p?.['x-sensitive'] &&
      !schemaProp(definition?.dataSchema, key)?.['x-sensitive'] &&
      p?.type !== 'object' &&
      data[key] !== undefined &&
      data[key] !== '' &&
      data[key] !== null,
  );
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      title={tr(lang, '信访诉求', 'What the petitioner asks')}
      // The flow's words (which fields, their titles) come with its definition, a moment later.
      loading={!definition}
      data-testid="complaint"
    >
      {!title && !summary && props.length === 0 ? (
        <Typography.Text type="secondary" data-testid="complaint-none">
          {tr(
            lang,
            '该流程未指定诉求标题和摘要字段，登记时也未填写诉求内容。',
            'This flow names no title or summary field and nothing was registered about the request.',
          )}
        </Typography.Text>
      ) : (
        <>
          {title && (
            <Typography.Title level={5} style={{ marginTop: 0 }} data-testid="complaint-title">
              {title}
            </Typography.Title>
          )}
          {summary && (
            <Typography.Paragraph
              style={{ whiteSpace: 'pre-wrap' }}
              ellipsis={{ rows: 6, expandable: true, symbol: tr(lang, '展开', 'more') }}
              data-testid="complaint-summary"
            >
              {summary}
            </Typography.Paragraph>
          )}
          {props.length > 0 && (
            <Descriptions size="small" column={2} data-testid="complaint-fields">
              {props.map(([key]) => (
                <Descriptions.Item key={key} label={fieldTitle(key, form, definition, lang)}>
                  {valueText(key, data[key], form, definition, lang, 300)}
                </Descriptions.Item>
              ))}
            </Descriptions>
          )}
        </>
      )}
    </Card>
  );
}
