import {
  type Deadline,
  type FlowDefinition,
  type JointHandling,
  type Lang,
  localize,
  type NodeOfKind,
} from '@lianxin/spec';
import { Form, Radio, Select, Switch, Typography } from 'antd';
import { conditionVariables } from '../../conditions';
import { tr } from '../../i18n';
import { DurationInput } from './DurationInput';
import { FormPicker } from './FormPicker';

/** Sets one key of an object and keeps every other one as it was (an emptied key is removed). */
export function withKey<T extends object>(value: T, key: keyof T, next: unknown): T {
  const out = { ...value } as Record<string, unknown>;
  if (next === undefined || next === '') delete out[key as string];
  else out[key as string] = next;
  return out as T;
}

/** Case data fields a department code can be read from (text and choice fields), by their titles. */
export function departmentFieldOptions(flow: FlowDefinition, lang: Lang, current?: string) {
  const vars = conditionVariables(flow.dataSchema, lang).filter(
    (v) => v.type === 'string' && !v.name.startsWith('$case.'),
  );
  const options = vars.map((v) => ({ value: v.name, label: v.label }));
  if (current && !vars.some((v) => v.name === current)) {
    options.push({
      value: current,
      label: tr(lang, `案件数据中没有的字段（${current}）`, `Not in the case data (${current})`),
    });
  }
  return options;
}

/** Top-level case data fields by their titles, objects first (where the merged reply fits). */
export function mergedFieldOptions(flow: FlowDefinition, lang: Lang, current?: string) {
  const props = (flow.dataSchema as { properties?: Record<string, unknown> }).properties ?? {};
  const entries = Object.entries(props).filter(
    (e): e is [string, Record<string, unknown>] => typeof e[1] === 'object' && e[1] !== null,
  );
  const options = [
    ...entries.filter(([, s]) => s.type === 'object'),
    ...entries.filter(([, s]) => s.type !== 'object'),
  ].map(([name, s]) => ({ value: name, label: typeof s.title === 'string' ? s.title : name }));
  if (current && !options.some((o) => o.value === current)) {
    options.push({
      value: current,
      label: tr(lang, `案件数据中没有的字段（${current}）`, `Not in the case data (${current})`),
    });
  }
  return options;
}

/** The title of a case data field (or of the list `over`) for the sentence under the editor. */
function fieldTitle(flow: FlowDefinition, name: string, lang: Lang): string {
  const found = conditionVariables(flow.dataSchema, lang).find((v) => v.name === name);
  return found?.label ?? name;
}

/** 主办/协办 as first switched on: the lead read from the first text field, the merged reply kept under the node's id. */
export function defaultJoint(
  flow: FlowDefinition,
  node: NodeOfKind<'multiTask'>,
  lang: Lang,
): JointHandling {
  const lead = departmentFieldOptions(flow, lang)[0]?.value ?? 'leadDepartment';
  // The node's own `<id>Merged` when the case data has it, else the first object field.
  const objects = mergedFieldOptions(flow, lang);
  const own = `${node.id}Merged`;
  const merged = objects.some((o) => o.value === own) ? own : (objects[0]?.value ?? own);
  return { lead, merged };
}

/**
 * 主办/协办 of a multi-instance task (`joint`): the case field naming the lead
 * department, the lead's merged-reply form, the assisting departments' own
 * deadline, the statutory clock no share may pass, and where the merged reply
 * is kept. The departments themselves are the case's: the node's list
 * (`over`) holds them all and the lead field picks one; the engine adds the
 * lead when the list lacks it (shares.ts).
 */
export function JointEditor({
  flow,
  lang,
  node,
  onChange,
}: {
  flow: FlowDefinition;
  lang: Lang;
  node: NodeOfKind<'multiTask'>;
  onChange: (joint: JointHandling | undefined) => void;
}) {
  const joint = node.joint;
  const leadOptions = departmentFieldOptions(flow, lang, joint?.lead);
  const set = (key: keyof JointHandling, v: unknown) => joint && onChange(withKey(joint, key, v));
  return (
    <div data-testid="joint-editor">
      <Form.Item
        label={tr(lang, '主办/协办', 'Lead and assisting departments')}
        tooltip={tr(
          lang,
          '一个主办部门汇总各协办部门的意见后提交合并答复',
          'One lead department merges the assisting departments’ contributions into one reply',
        )}
      >
        <Switch
          checked={joint !== undefined}
          data-testid="prop-joint-switch"
          onChange={(on) => onChange(on ? defaultJoint(flow, node, lang) : undefined)}
        />
      </Form.Item>
      {joint && (
        <>
          <Form.Item
            label={tr(lang, '主办部门（取自案件字段）', 'Lead department (from the case field)')}
            required
          >
            <Select
              showSearch
              optionFilterProp="label"
              data-testid="prop-joint-lead"
              value={joint.lead}
              options={leadOptions}
              onChange={(lead: string) => set('lead', lead)}
            />
          </Form.Item>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12 }} data-testid="joint-who">
            {tr(
              lang,
              `“${fieldTitle(flow, node.over, lang)}”中的每个部门各办一份：“${fieldTitle(flow, joint.lead, lang)}”所填部门为主办（不在列表中时自动加入），其余为协办。`,
              `Each department in "${fieldTitle(flow, node.over, lang)}" gets a share: the one in "${fieldTitle(flow, joint.lead, lang)}" leads (added when the list lacks it), the others assist.`,
            )}
          </Typography.Paragraph>
          <Form.Item label={tr(lang, '主办合并答复表单', 'Lead’s merged reply form')}>
            <FormPicker
              flow={flow}
              lang={lang}
              data-testid="prop-joint-lead-form"
              placeholder={tr(lang, '与任务表单相同', 'Same as the task form')}
              value={joint.leadForm}
              onChange={(f) => set('leadForm', f)}
            />
          </Form.Item>
          <AssistDeadline
            lang={lang}
            value={joint.assistDeadline}
            onChange={(d) => set('assistDeadline', d)}
          />
          <Form.Item
            label={tr(lang, '不超过法定时限', 'Never past the statutory clock')}
            tooltip={tr(
              lang,
              '任何部门的期限（含延期）都不晚于该时限到期',
              'No share is due after it, extensions included',
            )}
          >
            <Select
              allowClear
              data-testid="prop-joint-within"
              placeholder={tr(lang, '不限', 'None')}
              value={joint.within}
              options={flow.clocks.map((c) => ({ value: c.id, label: localize(c.name, lang) }))}
              onChange={(within?: string) => set('within', within)}
            />
          </Form.Item>
          <Form.Item
            label={tr(lang, '合并答复存入（字段）', 'Merged reply kept in (field)')}
            required
          >
            <Select
              showSearch
              optionFilterProp="label"
              data-testid="prop-joint-merged"
              value={joint.merged}
              options={mergedFieldOptions(flow, lang, joint.merged)}
              onChange={(merged: string) => set('merged', merged)}
            />
          </Form.Item>
        </>
      )}
    </div>
  );
}

/** 协办期限: the assisting departments' own deadline, else the node's. */
function AssistDeadline({
  lang,
  value,
  onChange,
}: {
  lang: Lang;
  value: Deadline | undefined;
  onChange: (d: Deadline | undefined) => void;
}) {
  return (
    <>
      <Form.Item label={tr(lang, '协办部门单独期限', 'Assisting departments’ own deadline')}>
        <Switch
          checked={value !== undefined}
          data-testid="prop-joint-assist-switch"
          onChange={(on) =>
            onChange(
              on ? { duration: 'P10D', calendar: 'natural', rollOverHolidays: false } : undefined,
            )
          }
        />
        {!value && (
          <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 8 }}>
            {tr(lang, '与本任务的办理时限相同', 'Same as the task’s deadline')}
          </Typography.Text>
        )}
      </Form.Item>
      {value && (
        <>
          <Form.Item label={tr(lang, '协办期限', 'Assist deadline')}>
            <DurationInput
              lang={lang}
              {...(value.calendar ? { calendar: value.calendar } : {})}
              value={value.duration}
              testId="prop-joint-assist-duration"
              onCommit={(d) => d && onChange(withKey(value, 'duration', d))}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '日历', 'Calendar')}>
            <Radio.Group
              value={value.calendar}
              onChange={(e) => onChange(withKey(value, 'calendar', e.target.value))}
              options={[
                { value: 'natural', label: tr(lang, '自然日', 'Natural days') },
                { value: 'workingDays', label: tr(lang, '工作日', 'Working days') },
              ]}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '提前预警', 'Warn before')}>
            <DurationInput
              lang={lang}
              allowEmpty
              {...(value.calendar ? { calendar: value.calendar } : {})}
              value={value.warningBefore}
              onCommit={(d) => onChange(withKey(value, 'warningBefore', d))}
            />
          </Form.Item>
        </>
      )}
    </>
  );
}
