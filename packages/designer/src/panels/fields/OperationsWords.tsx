import {
  type FlowDefinition,
  type Lang,
  localize,
  type Operation,
  URGENCY_COLOURS,
} from '@lianxin/spec';
import { Collapse, Typography } from 'antd';
import { tr } from '../../i18n';
import { JsonArea } from './JsonArea';
import { LEVEL_NAMES, URGENCY } from './names';

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The title of a case data field at a dotted path (分流 · 主办部门), or undefined. */
function fieldTitle(dataSchema: unknown, path: string): string | undefined {
  let schema: unknown = dataSchema;
  const titles: string[] = [];
  for (const key of path.split('.')) {
    if (!isObj(schema) || !isObj(schema.properties)) return undefined;
    schema = schema.properties[key];
    if (!isObj(schema)) return undefined;
    titles.push(typeof schema.title === 'string' ? schema.title : key);
  }
  return titles.join(' · ');
}

/** A JSON Logic value in words: a constant as itself, a field by its title, anything else as 计算所得. */
function valueWords(value: unknown, flow: FlowDefinition, lang: Lang): string {
  if (typeof value === 'string')
    return (URGENCY_COLOURS as readonly string[]).includes(value)
      ? localize(URGENCY[value as keyof typeof URGENCY], lang)
      : `“${value}”`;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? tr(lang, '是', 'yes') : tr(lang, '否', 'no');
  if (value === null) return tr(lang, '空', 'empty');
  if (isObj(value) && typeof value.var === 'string') {
    const title = fieldTitle(flow.dataSchema, value.var);
    return title
      ? tr(lang, `“${title}”的值`, `the value of “${title}”`)
      : tr(lang, '案件数据中的值', 'a case data value');
  }
  return tr(lang, '按条件计算的值', 'a computed value');
}

/** One operation of an automatic step, as a sentence: 通知信访人：“您的信访事项已受理”. */
export function operationWords(op: Operation, flow: FlowDefinition, lang: Lang): string {
  switch (op.op) {
    case 'set': {
      const title = fieldTitle(flow.dataSchema, op.var);
      const field = title ? `“${title}”` : tr(lang, '案件数据中的一个字段', 'a case data field');
      return tr(
        lang,
        `把${field}设为${valueWords(op.value, flow, lang)}`,
        `Set ${field} to ${valueWords(op.value, flow, lang)}`,
      );
    }
    case 'setUrgency':
      return tr(
        lang,
        `把四色等级设为${valueWords(op.value, flow, lang)}`,
        `Set the urgency colour to ${valueWords(op.value, flow, lang)}`,
      );
    case 'escalate':
      return tr(
        lang,
        `提级到${localize(LEVEL_NAMES[op.level], lang)}`,
        `Escalate to the ${localize(LEVEL_NAMES[op.level], lang)} level`,
      );
    case 'notify': {
      const to = op.to;
      let who: string;
      if (to === 'petitioner') who = tr(lang, '信访人', 'the petitioner');
      else if (to === 'assignees') who = tr(lang, '在办人员', 'the case workers');
      else if (to === 'leaderOwner') who = tr(lang, '包案领导', 'the owning leader');
      else {
        const role = flow.roles.find((r) => r.id === to.role);
        const name = role
          ? localize(role.name, lang)
          : tr(lang, '未声明的角色', 'an undeclared role');
        who = to.level ? `${localize(LEVEL_NAMES[to.level], lang)}${name}` : name;
      }
      return tr(
        lang,
        `通知${who}：“${localize(op.message, lang)}”`,
        `Notify ${who}: “${localize(op.message, lang)}”`,
      );
    }
  }
}

/**
 * An automatic step's operations, said in words, one per line; the JSON they
 * are stored as is edited under 以 JSON 编辑, closed until asked for.
 */
export function OperationsEditor({
  flow,
  lang,
  operations,
  onCommit,
}: {
  flow: FlowDefinition;
  lang: Lang;
  operations: Operation[];
  onCommit: (operations: Operation[]) => void;
}) {
  return (
    <>
      <ol data-testid="operations-words" style={{ paddingLeft: 20, margin: '0 0 8px' }}>
        {operations.map((op, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: operations have no ids and keep their order
          <li key={i}>
            <Typography.Text>{operationWords(op, flow, lang)}</Typography.Text>
          </li>
        ))}
      </ol>
      <Collapse
        size="small"
        items={[
          {
            key: 'json',
            label: tr(lang, '以 JSON 编辑（高级）', 'Edit as JSON (advanced)'),
            children: <JsonArea value={operations} lang={lang} onCommit={onCommit} />,
          },
        ]}
      />
    </>
  );
}
