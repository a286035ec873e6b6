import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { DivisionPicker } from '@lianxin/forms';
import {
  type AssigneeRule,
  CASE_COMMAND_NAMES,
  CASE_COMMANDS,
  type CaseCommand,
  type CaseCommandRule,
  CHANNELS,
  DEFAULT_CASE_COMMANDS,
  type Deadline,
  DURATION_PATTERN,
  type FlowDefinition,
  type FlowEdge,
  type FlowNode,
  JURISDICTION_LEVELS,
  type Lang,
  localize,
  OFFICE_ROLES,
  OUTCOMES,
  URGENCY_COLOURS,
} from '@lianxin/spec';
import {
  Button,
  Checkbox,
  Divider,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { Edit, ElementPatch } from '../commands';
import { freshId } from '../commands';
import { tr } from '../i18n';
import { EDGE_KINDS_INFO, NODE_KINDS_INFO } from '../kinds';
import { ConditionBuilder } from './ConditionBuilder';
import { CommitInput, CommitTextArea } from './inputs';

const CHANNEL_NAMES = {
  visit: '来访',
  letter: '来信',
  online: '网上',
  phone: '电话',
  hotline: '12345 热线',
  grid: '网格上报',
};
const CHANNEL_EN = {
  visit: 'Visit',
  letter: 'Letter',
  online: 'Online',
  phone: 'Phone',
  hotline: '12345 hotline',
  grid: 'Grid report',
};
const LEVEL_NAMES = {
  province: ['省级', 'Province'],
  city: ['市级', 'City'],
  county: ['县级', 'County'],
  town: ['镇级', 'Town'],
  village: ['村级', 'Village'],
} as const;
const OUTCOME_NAMES = {
  resolved: ['办结', 'Resolved'],
  declined: ['不予受理', 'Declined'],
  transferred: ['转送', 'Transferred'],
  withdrawn: ['撤回', 'Withdrawn'],
} as const;
const URGENCY = {
  red: ['红', '#f5222d'],
  yellow: ['黄', '#faad14'],
  blue: ['蓝', '#1677ff'],
  green: ['绿', '#52c41a'],
} as const;
const DURATION_PRESETS = ['PT4H', 'P1D', 'P3D', 'P5D', 'P7D', 'P15D', 'P30D', 'P60D'];

export interface PanelProps {
  flow: FlowDefinition;
  lang: Lang;
  selection: { nodes: string[]; edges: string[] };
  dispatch: (edit: Edit) => void;
}

function DurationInput({
  value,
  onCommit,
  lang,
  allowEmpty,
  testId,
}: {
  value: string | undefined;
  onCommit: (v: string | undefined) => void;
  lang: Lang;
  allowEmpty?: boolean;
  testId?: string;
}) {
  const [error, setError] = useState(false);
  return (
    <Space.Compact style={{ width: '100%' }}>
      <CommitInput
        value={value}
        status={error ? 'error' : undefined}
        placeholder={allowEmpty ? tr(lang, '不设置', 'none') : 'P15D'}
        data-testid={testId}
        onCommit={(v) => {
          const text = v.trim().toUpperCase();
          if (!text && allowEmpty) {
            setError(false);
            onCommit(undefined);
            return;
          }
          const ok = DURATION_PATTERN.test(text);
          setError(!ok);
          if (ok) onCommit(text);
        }}
      />
      <Select
        style={{ width: 90 }}
        placeholder={tr(lang, '常用', 'Presets')}
        value={null}
        options={DURATION_PRESETS.map((d) => ({ value: d, label: d }))}
        onChange={(d) => d && onCommit(d)}
      />
    </Space.Compact>
  );
}

function NameFields({
  name,
  lang,
  onCommit,
}: {
  name: { 'zh-CN': string; en?: string };
  lang: Lang;
  onCommit: (name: { 'zh-CN': string; en?: string }) => void;
}) {
  return (
    <>
      <Form.Item label={tr(lang, '名称（中文）', 'Name (Chinese)')} required>
        <CommitInput
          value={name['zh-CN']}
          data-testid="prop-name-zh"
          onCommit={(v) => v.trim() && onCommit({ ...name, 'zh-CN': v.trim() })}
        />
      </Form.Item>
      <Form.Item label={tr(lang, '名称（英文）', 'Name (English)')}>
        <CommitInput
          value={name.en}
          onCommit={(v) => {
            const { en: _, ...zh } = name;
            onCommit(v.trim() ? { ...zh, en: v.trim() } : zh);
          }}
        />
      </Form.Item>
    </>
  );
}

function formOptions(flow: FlowDefinition, lang: Lang) {
  return flow.forms.map((f) => ({ value: f.id, label: localize(f.title, lang) }));
}

function AssigneeEditor({
  flow,
  lang,
  value,
  onChange,
}: {
  flow: FlowDefinition;
  lang: Lang;
  value: AssigneeRule;
  onChange: (a: AssigneeRule) => void;
}) {
  const set = (patch: Partial<AssigneeRule>) => {
    const next: Record<string, unknown> = { ...value, ...patch };
    for (const k of Object.keys(next)) if (next[k] === undefined || next[k] === '') delete next[k];
    onChange(next as AssigneeRule);
  };
  const dept = value.department;
  return (
    <>
      <Form.Item label={tr(lang, '办理角色', 'Role')} required>
        <Select
          data-testid="prop-role"
          value={value.role}
          options={flow.roles.map((r) => ({ value: r.id, label: localize(r.name, lang) }))}
          onChange={(role) => set({ role })}
        />
      </Form.Item>
      <Form.Item label={tr(lang, '辖区层级', 'Jurisdiction level')}>
        <Select
          allowClear
          placeholder={tr(lang, '案件所在辖区', 'The case’s own')}
          value={value.level}
          options={JURISDICTION_LEVELS.map((l) => ({
            value: l,
            label: tr(lang, LEVEL_NAMES[l][0], LEVEL_NAMES[l][1]),
          }))}
          onChange={(level) => set({ level })}
        />
      </Form.Item>
      <Form.Item
        label={tr(lang, '承办部门', 'Department')}
        tooltip={tr(
          lang,
          '部门代码；或写 =字段名 从案件数据读取',
          'A department code, or =field to read it from case data',
        )}
      >
        <CommitInput
          value={typeof dept === 'object' ? `=${dept.var}` : dept}
          placeholder={tr(lang, '如 housing 或 =department', 'e.g. housing or =department')}
          onCommit={(v) => {
            const t = v.trim();
            set({ department: t.startsWith('=') ? { var: t.slice(1) } : t || undefined });
          }}
        />
      </Form.Item>
      <Form.Item label={tr(lang, '候选组', 'Candidate group')}>
        <Select
          allowClear
          value={value.group}
          options={(flow.groups ?? []).map((g) => ({ value: g.id, label: localize(g.name, lang) }))}
          onChange={(group) => set({ group })}
        />
      </Form.Item>
      <Form.Item label={tr(lang, '优先分配', 'Prefer')}>
        <Select
          allowClear
          value={value.prefer}
          options={[
            { value: 'firstHandler', label: tr(lang, '首办责任人', 'First handler') },
            { value: 'leaderOwner', label: tr(lang, '包案领导', 'Leader owner') },
          ]}
          onChange={(prefer) => set({ prefer })}
        />
      </Form.Item>
    </>
  );
}

function urgencyDuration(entry: string | { duration: string } | undefined): string | undefined {
  return typeof entry === 'object' ? entry.duration : entry;
}

function DeadlineEditor({
  lang,
  value,
  onChange,
}: {
  lang: Lang;
  value: Deadline | undefined;
  onChange: (d: Deadline | undefined) => void;
}) {
  const on = value !== undefined;
  const set = (patch: Partial<Deadline>) => {
    const next: Record<string, unknown> = {
      ...(value ?? { duration: 'P15D', calendar: 'natural' }),
      ...patch,
    };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    onChange(next as Deadline);
  };
  return (
    <>
      <Form.Item label={tr(lang, '办理时限', 'Deadline')}>
        <Switch
          checked={on}
          data-testid="prop-deadline-switch"
          onChange={(c) =>
            onChange(
              c
                ? {
                    duration: 'P15D',
                    calendar: 'workingDays',
                    warningBefore: 'P3D',
                    rollOverHolidays: false,
                  }
                : undefined,
            )
          }
        />
      </Form.Item>
      {value && (
        <>
          <Form.Item label={tr(lang, '期限', 'Duration')}>
            <DurationInput
              lang={lang}
              value={value.duration}
              onCommit={(d) => d && set({ duration: d })}
              testId="prop-deadline-duration"
            />
          </Form.Item>
          <Form.Item label={tr(lang, '日历', 'Calendar')}>
            <Radio.Group
              value={value.calendar}
              onChange={(e) => set({ calendar: e.target.value })}
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
              value={value.warningBefore}
              onCommit={(d) => set({ warningBefore: d })}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '按四色等级', 'By urgency colour')}>
            {URGENCY_COLOURS.map((c) => (
              <div
                key={c}
                style={{ display: 'flex', alignItems: 'center', gap: 6, marginBottom: 4 }}
              >
                <Tag color={URGENCY[c][1]} style={{ width: 34, textAlign: 'center', margin: 0 }}>
                  {tr(lang, URGENCY[c][0], c)}
                </Tag>
                <DurationInput
                  lang={lang}
                  allowEmpty
                  value={urgencyDuration(value.byUrgency?.[c])}
                  onCommit={(d) => {
                    const by = { ...(value.byUrgency ?? {}) };
                    const entry = by[c];
                    // An entry with its own calendar keeps it when only the duration changes.
                    if (d) by[c] = typeof entry === 'object' ? { ...entry, duration: d } : d;
                    else delete by[c];
                    set({ byUrgency: Object.keys(by).length ? by : undefined });
                  }}
                />
              </div>
            ))}
          </Form.Item>
        </>
      )}
    </>
  );
}

function ActionsList({
  flow,
  lang,
  node,
  dispatch,
}: {
  flow: FlowDefinition;
  lang: Lang;
  node: FlowNode;
  dispatch: (e: Edit) => void;
}) {
  const actions = flow.edges.filter(
    (e): e is Extract<FlowEdge, { kind: 'action' }> => e.kind === 'action' && e.from === node.id,
  );
  if (!actions.length) {
    return (
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {tr(
          lang,
          '从此节点拖出连线即可添加按钮。',
          'Drag a connection out of this node to add a button.',
        )}
      </Typography.Text>
    );
  }
  return (
    <>
      {actions.map((e) => {
        const target = flow.nodes.find((n) => n.id === e.to);
        return (
          <div
            key={e.id}
            style={{ border: '1px solid #f0f0f0', borderRadius: 6, padding: 8, marginBottom: 8 }}
          >
            <Space.Compact style={{ width: '100%', marginBottom: 6 }}>
              <CommitInput
                value={e.label['zh-CN']}
                data-testid={`action-label-${e.id}`}
                onCommit={(v) =>
                  v.trim() &&
                  dispatch({
                    type: 'edge.update',
                    id: e.id,
                    patch: { label: { ...e.label, 'zh-CN': v.trim() } },
                  })
                }
              />
              <Select
                style={{ width: 90 }}
                value={e.style ?? 'default'}
                options={[
                  { value: 'primary', label: tr(lang, '主要', 'Primary') },
                  { value: 'default', label: tr(lang, '普通', 'Default') },
                  { value: 'danger', label: tr(lang, '危险', 'Danger') },
                ]}
                onChange={(style) =>
                  dispatch({
                    type: 'edge.update',
                    id: e.id,
                    patch: { style: style === 'default' ? undefined : style },
                  })
                }
              />
            </Space.Compact>
            <Select
              allowClear
              size="small"
              style={{ width: '100%' }}
              placeholder={tr(
                lang,
                '按钮附带的小表单（可选）',
                'Small form for this button (optional)',
              )}
              value={e.form}
              options={formOptions(flow, lang)}
              onChange={(form) => dispatch({ type: 'edge.update', id: e.id, patch: { form } })}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              → {target ? localize(target.name, lang) : e.to}
            </Typography.Text>
          </div>
        );
      })}
    </>
  );
}

function NodePanel({ flow, lang, node, dispatch }: PanelProps & { node: FlowNode }) {
  const update = (patch: ElementPatch) => dispatch({ type: 'node.update', id: node.id, patch });
  const info = NODE_KINDS_INFO[node.kind];
  return (
    <Form layout="vertical" size="small" data-testid="node-panel">
      <div style={{ display: 'flex', alignItems: 'center', gap: 8, marginBottom: 12 }}>
        <Tag color={info.colour}>{localize(info.name, lang)}</Tag>
        <Typography.Text type="secondary" copyable style={{ fontSize: 12 }}>
          {node.id}
        </Typography.Text>
      </div>
      <NameFields name={node.name} lang={lang} onCommit={(name) => update({ name })} />
      {node.kind === 'start' && (
        <>
          <Form.Item label={tr(lang, '受理渠道', 'Channels')} required>
            <Checkbox.Group
              value={node.channels}
              options={CHANNELS.map((c) => ({
                value: c,
                label: tr(lang, CHANNEL_NAMES[c], CHANNEL_EN[c]),
              }))}
              onChange={(channels) => update({ channels })}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '登记表单', 'Registration form')}>
            <Select
              allowClear
              value={node.form}
              options={formOptions(flow, lang)}
              onChange={(form) => update({ form })}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '群众网上申请表单', 'Public intake form')}>
            <Select
              allowClear
              value={node.intakeForm}
              options={formOptions(flow, lang)}
              onChange={(intakeForm) => update({ intakeForm })}
            />
          </Form.Item>
        </>
      )}
      {(node.kind === 'task' || node.kind === 'multiTask') && (
        <>
          <Form.Item label={tr(lang, '任务表单', 'Task form')}>
            <Select
              allowClear
              data-testid="prop-form"
              value={node.form}
              options={formOptions(flow, lang)}
              onChange={(form) => update({ form })}
            />
          </Form.Item>
          {node.kind === 'multiTask' && (
            <>
              <Form.Item label={tr(lang, '按列表逐项（字段）', 'One task per item of')}>
                <CommitInput value={node.over} onCommit={(over) => update({ over })} />
              </Form.Item>
              <Form.Item label={tr(lang, '汇总到（字段）', 'Collect into')}>
                <CommitInput value={node.collect} onCommit={(collect) => update({ collect })} />
              </Form.Item>
            </>
          )}
          <Divider plain style={{ margin: '8px 0' }}>
            {tr(lang, '办理人', 'Assignee')}
          </Divider>
          <AssigneeEditor
            flow={flow}
            lang={lang}
            value={node.assignee}
            onChange={(assignee) => update({ assignee })}
          />
          <Divider plain style={{ margin: '8px 0' }}>
            {tr(lang, '时限', 'Deadline')}
          </Divider>
          <DeadlineEditor
            lang={lang}
            value={node.deadline}
            onChange={(deadline) => update({ deadline })}
          />
          <Divider plain style={{ margin: '8px 0' }}>
            {tr(lang, '按钮', 'Actions')}
          </Divider>
          <ActionsList flow={flow} lang={lang} node={node} dispatch={dispatch} />
        </>
      )}
      {node.kind === 'decision' && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {tr(
            lang,
            '按连线顺序取第一条成立的条件，都不成立时走默认连线。点击连线编辑条件。',
            'The first condition edge that holds is taken, else the default edge. Click an edge to edit its condition.',
          )}
        </Typography.Paragraph>
      )}
      {node.kind === 'join' && (
        <Form.Item label={tr(lang, '汇聚方式', 'Mode')}>
          <Radio.Group
            value={node.mode}
            onChange={(e) => update({ mode: e.target.value })}
            options={[
              { value: 'all', label: tr(lang, '等待全部分支', 'Wait for all') },
              { value: 'any', label: tr(lang, '任一到达即继续', 'First one wins') },
            ]}
          />
        </Form.Item>
      )}
      {node.kind === 'timer' && (
        <>
          <Form.Item label={tr(lang, '等待时长', 'Wait')}>
            <DurationInput
              lang={lang}
              value={node.wait.duration}
              onCommit={(d) => d && update({ wait: { ...node.wait, duration: d } })}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '日历', 'Calendar')}>
            <Radio.Group
              value={node.wait.calendar}
              onChange={(e) => update({ wait: { ...node.wait, calendar: e.target.value } })}
              options={[
                { value: 'natural', label: tr(lang, '自然日', 'Natural days') },
                { value: 'workingDays', label: tr(lang, '工作日', 'Working days') },
              ]}
            />
          </Form.Item>
        </>
      )}
      {node.kind === 'action' && (
        <Form.Item label={tr(lang, '自动操作（JSON）', 'Operations (JSON)')}>
          <JsonArea
            value={node.operations}
            lang={lang}
            onCommit={(operations) => update({ operations })}
          />
        </Form.Item>
      )}
      {node.kind === 'subflow' && (
        <>
          <Form.Item label={tr(lang, '子流程标识', 'Flow key')}>
            <CommitInput
              value={node.flow.key}
              onCommit={(key) => update({ flow: { ...node.flow, key } })}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '版本（空为最新）', 'Version (empty: latest)')}>
            <InputNumber
              min={1}
              value={node.flow.version ?? null}
              onChange={(v) =>
                update({ flow: v ? { ...node.flow, version: v } : { key: node.flow.key } })
              }
            />
          </Form.Item>
          <Form.Item label={tr(lang, '结果写入字段', 'Outcome variable')}>
            <CommitInput
              value={node.outcomeVar}
              onCommit={(v) => update({ outcomeVar: v || undefined })}
            />
          </Form.Item>
        </>
      )}
      {node.kind === 'end' && (
        <Form.Item label={tr(lang, '办理结果', 'Outcome')}>
          <Select
            data-testid="prop-outcome"
            value={node.outcome}
            options={OUTCOMES.map((o) => ({
              value: o,
              label: tr(lang, OUTCOME_NAMES[o][0], OUTCOME_NAMES[o][1]),
            }))}
            onChange={(outcome) => update({ outcome })}
          />
        </Form.Item>
      )}
      <Form.Item label={tr(lang, '说明', 'Description')}>
        <CommitTextArea
          value={node.description?.['zh-CN']}
          onCommit={(v) => update({ description: v.trim() ? { 'zh-CN': v.trim() } : undefined })}
        />
      </Form.Item>
    </Form>
  );
}

function JsonArea({
  value,
  lang,
  onCommit,
}: {
  value: unknown;
  lang: Lang;
  onCommit: (v: never) => void;
}) {
  const [error, setError] = useState<string>();
  return (
    <>
      <CommitTextArea
        rows={8}
        value={JSON.stringify(value, null, 2)}
        onCommit={(text) => {
          try {
            onCommit(JSON.parse(text) as never);
            setError(undefined);
          } catch (e) {
            setError(`${tr(lang, 'JSON 格式错误：', 'Invalid JSON: ')}${(e as Error).message}`);
          }
        }}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}

function EdgePanel({ flow, lang, edge, dispatch }: PanelProps & { edge: FlowEdge }) {
  const update = (patch: ElementPatch) => dispatch({ type: 'edge.update', id: edge.id, patch });
  const info = EDGE_KINDS_INFO[edge.kind];
  const name = (id: string) => {
    const n = flow.nodes.find((x) => x.id === id);
    return n ? localize(n.name, lang) : id;
  };
  return (
    <Form layout="vertical" size="small" data-testid="edge-panel">
      <div style={{ marginBottom: 12 }}>
        <Tag color={info.colour}>{localize(info.name, lang)}</Tag>
        <Typography.Text>
          {name(edge.from)} → {name(edge.to)}
        </Typography.Text>
      </div>
      <Form.Item
        label={
          edge.kind === 'action'
            ? tr(lang, '按钮文字', 'Button label')
            : tr(lang, '连线标签', 'Label')
        }
        required={edge.kind === 'action'}
      >
        <CommitInput
          value={edge.label?.['zh-CN']}
          data-testid="prop-edge-label"
          onCommit={(v) => {
            const t = v.trim();
            if (edge.kind === 'action' && !t) return;
            update({ label: t ? { ...(edge.label ?? {}), 'zh-CN': t } : undefined });
          }}
        />
      </Form.Item>
      <Form.Item label={tr(lang, '标签（英文）', 'Label (English)')}>
        <CommitInput
          value={edge.label?.en}
          onCommit={(v) =>
            edge.label &&
            update({
              label: v.trim() ? { ...edge.label, en: v.trim() } : { 'zh-CN': edge.label['zh-CN'] },
            })
          }
        />
      </Form.Item>
      {edge.kind === 'action' && (
        <>
          <Form.Item label={tr(lang, '动作标识', 'Action name')}>
            <CommitInput
              value={edge.action}
              onCommit={(action) => /^[A-Za-z][A-Za-z0-9_-]*$/.test(action) && update({ action })}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '按钮表单', 'Button form')}>
            <Select
              allowClear
              value={edge.form}
              options={formOptions(flow, lang)}
              onChange={(form) => update({ form })}
            />
          </Form.Item>
          <Form.Item label={tr(lang, '仅这些角色可见', 'Only these roles')}>
            <Select
              mode="multiple"
              allowClear
              value={edge.roles ?? []}
              options={flow.roles.map((r) => ({ value: r.id, label: localize(r.name, lang) }))}
              onChange={(roles: string[]) => update({ roles: roles.length ? roles : undefined })}
            />
          </Form.Item>
        </>
      )}
      {edge.kind === 'condition' && (
        <Form.Item label={tr(lang, '条件', 'Condition')}>
          <ConditionBuilder
            key={edge.id}
            value={edge.condition}
            dataSchema={flow.dataSchema}
            lang={lang}
            onChange={(condition) => update({ condition })}
          />
        </Form.Item>
      )}
      {edge.kind === 'deadline' && (
        <Form.Item label={tr(lang, '触发时机', 'When')}>
          <Radio.Group
            value={edge.on}
            onChange={(e) => update({ on: e.target.value })}
            options={[
              { value: 'warning', label: tr(lang, '临期预警时', 'On warning') },
              { value: 'overdue', label: tr(lang, '超期时', 'When overdue') },
            ]}
          />
        </Form.Item>
      )}
    </Form>
  );
}

/** The rule a command follows: the flow's own, or the default filled in. */
function caseCommandRule(flow: FlowDefinition, command: CaseCommand): CaseCommandRule {
  const own = (flow.caseCommands as Partial<Record<CaseCommand, Partial<CaseCommandRule>>>)?.[
    command
  ];
  const rule: Partial<CaseCommandRule> = own ?? DEFAULT_CASE_COMMANDS[command];
  return {
    anyone: rule.anyone ?? false,
    roles: [...(rule.roles ?? [])],
    registeringOffice: [...(rule.registeringOffice ?? [])],
    workers: rule.workers ?? false,
    leaderOwner: rule.leaderOwner ?? false,
  };
}

/** 案件级操作权限: who may withdraw, cancel, set the colour or the leader, comment and attach. */
function CaseCommandsEditor({ flow, lang, dispatch }: Omit<PanelProps, 'selection'>) {
  const declared = new Set(flow.roles.map((r) => r.id));
  const roleOptions = [
    ...flow.roles.map((r) => ({ value: r.id, label: localize(r.name, lang) })),
    ...Object.entries(OFFICE_ROLES)
      .filter(([id]) => !declared.has(id))
      .map(([id, name]) => {
        const label = localize(name, lang);
        // A flow role of the same name (e.g. its own 接访员) stays distinguishable.
        const clash = flow.roles.some((r) => localize(r.name, lang) === label);
        return {
          value: id,
          label: clash ? `${label}${tr(lang, '（各机关通用）', ' (every office)')}` : label,
        };
      }),
  ];
  const set = (command: CaseCommand, patch: Partial<CaseCommandRule>) => {
    const all = Object.fromEntries(
      CASE_COMMANDS.map((c) => [c, caseCommandRule(flow, c)]),
    ) as Record<CaseCommand, CaseCommandRule>;
    dispatch({
      type: 'flow.update',
      patch: { caseCommands: { ...all, [command]: { ...all[command], ...patch } } },
    });
  };
  return (
    <div data-testid="case-commands">
      {CASE_COMMANDS.map((command) => {
        const rule = caseCommandRule(flow, command);
        return (
          <div key={command} style={{ marginBottom: 10 }} data-testid={`case-command-${command}`}>
            <Typography.Text strong style={{ fontSize: 12 }}>
              {localize(CASE_COMMAND_NAMES[command], lang)}
            </Typography.Text>
            <Checkbox
              style={{ marginLeft: 8, fontSize: 12 }}
              checked={rule.anyone}
              onChange={(e) => set(command, { anyone: e.target.checked })}
            >
              {tr(lang, '所有可办理本案的人', 'anyone on the case')}
            </Checkbox>
            {!rule.anyone && (
              <>
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {tr(lang, '角色（本辖区或上级）', 'Roles (here or above)')}
                </Typography.Text>
                <Select
                  mode="multiple"
                  size="small"
                  style={{ width: '100%' }}
                  placeholder={tr(lang, '无', 'None')}
                  aria-label={tr(lang, '角色', 'Roles')}
                  value={rule.roles}
                  options={roleOptions}
                  onChange={(roles: string[]) => set(command, { roles })}
                />
                <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }}>
                  {tr(lang, '登记机关的角色', 'Roles of the registering office')}
                </Typography.Text>
                <Select
                  mode="multiple"
                  size="small"
                  style={{ width: '100%' }}
                  placeholder={tr(lang, '无', 'None')}
                  aria-label={tr(lang, '登记机关的角色', 'Roles of the registering office')}
                  value={rule.registeringOffice}
                  options={roleOptions}
                  onChange={(registeringOffice: string[]) => set(command, { registeringOffice })}
                />
                <Space size={12} style={{ marginTop: 4 }}>
                  <Checkbox
                    checked={rule.workers}
                    onChange={(e) => set(command, { workers: e.target.checked })}
                  >
                    {tr(lang, '在办人员', 'Case workers')}
                  </Checkbox>
                  <Checkbox
                    checked={rule.leaderOwner}
                    onChange={(e) => set(command, { leaderOwner: e.target.checked })}
                  >
                    {tr(lang, '包案领导', 'Owning leader')}
                  </Checkbox>
                </Space>
              </>
            )}
          </div>
        );
      })}
    </div>
  );
}

function FlowPanel(props: PanelProps) {
  const { flow, lang, dispatch } = props;
  const setRoles = (roles: FlowDefinition['roles']) =>
    dispatch({ type: 'flow.update', patch: { roles } });
  const fields = Object.entries(
    (flow.dataSchema.properties ?? {}) as Record<string, { title?: string; type?: string }>,
  );
  return (
    <Form layout="vertical" size="small" data-testid="flow-panel">
      <Typography.Title level={5} style={{ marginTop: 0 }}>
        {tr(lang, '流程属性', 'Flow properties')}
      </Typography.Title>
      <NameFields
        name={flow.name}
        lang={lang}
        onCommit={(name) => dispatch({ type: 'flow.update', patch: { name } })}
      />
      <Form.Item label={tr(lang, '流程标识', 'Key')}>
        <Input value={flow.key} disabled />
      </Form.Item>
      <Form.Item label={tr(lang, '所属辖区', 'Jurisdiction')}>
        <DivisionPicker
          id="flow-jurisdiction"
          lang={lang}
          value={flow.jurisdiction}
          onChange={(code) =>
            code && dispatch({ type: 'flow.update', patch: { jurisdiction: code } })
          }
        />
      </Form.Item>
      <Divider plain style={{ margin: '8px 0' }}>
        {tr(lang, '角色', 'Roles')}
      </Divider>
      {flow.roles.map((r, i) => (
        <Space.Compact key={r.id} style={{ width: '100%', marginBottom: 6 }}>
          <Input value={r.id} disabled style={{ width: 110 }} />
          <CommitInput
            value={r.name['zh-CN']}
            onCommit={(v) =>
              v.trim() &&
              setRoles(
                flow.roles.map((x, j) =>
                  j === i ? { ...x, name: { ...x.name, 'zh-CN': v.trim() } } : x,
                ),
              )
            }
          />
          <Button
            icon={<DeleteOutlined />}
            disabled={flow.roles.length === 1}
            aria-label={tr(lang, '删除角色', 'Remove role')}
            onClick={() => setRoles(flow.roles.filter((_, j) => j !== i))}
          />
        </Space.Compact>
      ))}
      <Button
        size="small"
        icon={<PlusOutlined />}
        onClick={() => {
          const id = freshId('role', new Set(flow.roles.map((r) => r.id)));
          setRoles([...flow.roles, { id, name: { 'zh-CN': tr(lang, '新角色', 'New role') } }]);
        }}
      >
        {tr(lang, '添加角色', 'Add role')}
      </Button>
      <Divider plain style={{ margin: '12px 0 8px' }}>
        {tr(lang, '案件级操作权限', 'Who may act on the whole case')}
      </Divider>
      <CaseCommandsEditor {...props} />
      <Divider plain style={{ margin: '12px 0 8px' }}>
        {tr(lang, '案件数据字段', 'Case data fields')}
      </Divider>
      {fields.length ? (
        fields.map(([k, s]) => (
          <div key={k} style={{ fontSize: 12, display: 'flex', justifyContent: 'space-between' }}>
            <span>{s.title ?? k}</span>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {k} · {s.type}
            </Typography.Text>
          </div>
        ))
      ) : (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={tr(lang, '在“表单”中添加字段', 'Add fields in Forms')}
        />
      )}
    </Form>
  );
}

/** Properties of the selected node or edge, or of the flow when nothing is selected. */
export function PropertyPanel(props: PanelProps) {
  const { flow, selection, lang } = props;
  const count = selection.nodes.length + selection.edges.length;
  if (count > 1) {
    return (
      <Typography.Text type="secondary">
        {tr(
          lang,
          `已选 ${count} 个元素。Ctrl+C 复制，Delete 删除。`,
          `${count} elements selected. Ctrl+C copies, Delete removes.`,
        )}
      </Typography.Text>
    );
  }
  const node = selection.nodes[0] ? flow.nodes.find((n) => n.id === selection.nodes[0]) : undefined;
  if (node) return <NodePanel key={node.id} {...props} node={node} />;
  const edge = selection.edges[0] ? flow.edges.find((e) => e.id === selection.edges[0]) : undefined;
  if (edge) return <EdgePanel key={edge.id} {...props} edge={edge} />;
  return <FlowPanel {...props} />;
}
