import { type FlowDefinition, type Lang, sensitiveVariables } from '@lianxin/spec';
import { Form, Select } from 'antd';
import type { Edit } from '../commands';
import { tr } from '../i18n';

/**
 * The case data fields a flow may name as its title or summary: text and
 * number fields of the case schema, none marked sensitive (in the case
 * schema or any form), each by its title.
 */
export function caseTitleOptions(
  flow: FlowDefinition,
  lang: Lang,
): { value: string; label: string }[] {
  const sensitive = new Set([
    ...[...sensitiveVariables(flow.dataSchema)].map(([v]) => v),
    ...flow.forms.flatMap((f) => [...sensitiveVariables(f.schema)].map(([v]) => v)),
  ]);
  const props = (flow.dataSchema.properties ?? {}) as Record<
    string,
    { title?: unknown; type?: unknown }
  >;
  return Object.entries(props)
    .filter(([key, p]) => !sensitive.has(key) && (p?.type === 'string' || p?.type === 'number'))
    .map(([key, p]) => {
      const title =
        typeof p.title === 'string'
          ? p.title
          : ((p.title as Record<string, string> | undefined)?.[lang] ??
            (p.title as Record<string, string> | undefined)?.['zh-CN'] ??
            key);
      return { value: key, label: title };
    });
}

/**
 * 案件标题 / 诉求摘要: which case data fields say what the case is about
 * (`caseTitle`, `caseSummary`): shown at the top of the case page and in
 * every list and export. Sensitive fields are not offered (the checker
 * refuses them: lists show the title to everyone who may list the case).
 */
export function CaseTitleFields({
  flow,
  lang,
  dispatch,
}: {
  flow: FlowDefinition;
  lang: Lang;
  dispatch: (edit: Edit) => void;
}) {
  const options = caseTitleOptions(flow, lang);
  const pick = (field: 'caseTitle' | 'caseSummary', label: string, testId: string) => (
    <Form.Item label={label}>
      <Select
        allowClear
        data-testid={testId}
        value={flow[field]}
        placeholder={tr(lang, '未指定', 'Not set')}
        options={options}
        onChange={(v: string | undefined) =>
          dispatch({ type: 'flow.update', patch: { [field]: v ?? undefined } })
        }
      />
    </Form.Item>
  );
  return (
    <>
      {pick('caseTitle', tr(lang, '案件标题字段', 'Case title field'), 'flow-case-title')}
      {pick('caseSummary', tr(lang, '诉求摘要字段', 'Case summary field'), 'flow-case-summary')}
    </>
  );
}
