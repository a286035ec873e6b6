import { ArrowLeftOutlined, DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { LianxinForm } from '@lianxin/forms';
import type { Lang } from '@lianxin/spec';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Input,
  Modal,
  Result,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { navigate } from '../../router';
import { ProvisionalTag, provisionalFlag } from '../calendar/ProvisionalTag';
import { api, type CaseCommand, type CaseView, errorText, pick } from './api';
import {
  CHANNEL_NAMES,
  DEPARTMENT_NAMES,
  DueTag,
  fmt,
  name,
  OUTCOME_NAMES,
  ROLE_NAMES,
  STATUS_NAMES,
  shown,
  URGENCY,
  UrgencyTag,
} from './common';
import { FlowDiagram } from './FlowDiagram';
import { RevealContact } from './RevealContact';
import './workbench.css';

// biome-ignore lint/suspicious/noExplicitAny: flow definitions and form schemas are JSON
type Json = any;
type TaskActions = CaseView['actions']['tasks'][number];

/** 案件办理页: header, statutory clocks, the current tasks' forms and buttons, joint handling, timeline, diagram. */
export function CasePage({ caseId, me }: { caseId: string; me: Me }) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [view, setView] = useState<CaseView>();
  const [definition, setDefinition] = useState<Json>();
  const [error, setError] = useState<string>();
  const [places, setPlaces] = useState<Record<string, unknown>>({});
  useEffect(() => {
    api()
      .jurisdictions.list.query()
      .then((list) =>
        setPlaces(Object.fromEntries(list.map((j: Json) => [j.code as string, j.name]))),
      )
      .catch(() => {});
  }, []);
  const load = useCallback(async () => {
    try {
      const v = await api().cases.get.query({ caseId });
      setView(v);
      setError(undefined);
      const f = await api().flows.get.query({ flowId: v.flow.id, version: v.flow.version });
      setDefinition(f.published?.definition);
    } catch (e) {
      setError(errorText(e, lang));
    }
  }, [caseId, lang]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = useCallback(
    async (command: CaseCommand, ok?: string) => {
      if (!view) return false;
      try {
        await api().cases.act.mutate({ caseId, command, expectedVersion: view.state.version });
        message.success(ok ?? tr(lang, '已保存', 'Saved'));
        await load();
        return true;
      } catch (e) {
        message.error(errorText(e, lang));
        await load();
        return false;
      }
    },
    [caseId, view, lang, message, load],
  );

  if (error)
    return (
      <div data-testid="case-denied">
        <Result
          status="403"
          title={tr(lang, '无法打开该事项', 'Cannot open this case')}
          subTitle={error}
          extra={
            <Button onClick={() => navigate('/workbench')}>{tr(lang, '返回工作台', 'Back')}</Button>
          }
        />
      </div>
    );
  if (!view) return <Spin style={{ margin: '20vh auto', display: 'block' }} />;

  const { state } = view;
  const p = view.petitioner;
  const forms: Json[] = definition?.forms ?? [];
  const clocks = Object.values(state.clocks);
  const caseCmds = new Set(view.actions.case);
  const current = new Set(state.tasks.map((t) => t.node));
  const visited = new Set(
    view.timeline.flatMap((e: Json) =>
      e.type === 'token.created' || e.type === 'token.moved' ? [e.node as string] : [],
    ),
  );
  const lines = describeEvents(view.timeline, definition, view.users, lang);
  const timelineItems = view.timeline
    .map((e: Json, i: number) => ({ e, line: lines[i] }))
    .filter((x): x is { e: Json; line: TimelineLine } => x.line != null)
    .reverse()
    .map(({ e, line }) => ({
      key: e.seq,
      color: line.colour,
      children: (
        <div data-testid={`event-${e.type}`}>
          <div style={{ fontWeight: 500 }}>{line.what}</div>
          {line.details.map((d, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed lines of one event
            <div key={i} style={{ color: 'rgba(0, 0, 0, 0.7)' }}>
              {d}
            </div>
          ))}
          <div className="wb-muted">
            {fmt(e.at)}
            {e.by
              ? ` · ${userLabel(e.by, view.users, definition, lang)}`
              : e.type === 'case.started' && e.channel === 'online'
                ? ` · ${tr(lang, '信访人（网上提交）', 'the petitioner, online')}`
                : ''}
          </div>
        </div>
      ),
    }));
  return (
    <div className="wb-page" data-testid="case-page">
      <div className="wb-toolbar">
        <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/workbench')}>
          {tr(lang, '工作台', 'Workbench')}
        </Button>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {pick(view.flow.name, lang)} ·{' '}
          <span className="wb-code" data-testid="case-code">
            {view.case.trackingCode}
          </span>
        </Typography.Title>
        <UrgencyTag urgency={state.urgency} lang={lang} />
        <Tag color={state.status === 'closed' ? 'default' : 'processing'} data-testid="case-status">
          {name(STATUS_NAMES, state.status, lang)}
          {state.outcome ? ` · ${name(OUTCOME_NAMES, state.outcome, lang)}` : ''}
        </Tag>
        {state.repeat && <Tag color="purple">{tr(lang, '重信重访', 'Repeat petition')}</Tag>}
      </div>
      <Card size="small" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={4}>
          <Descriptions.Item label={tr(lang, '信访人', 'Petitioner')}>
            <span data-testid="petitioner-name">{shown(p?.name)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={tr(lang, '电话', 'Phone')}>
            <Space size={4} wrap>
              <span data-testid="petitioner-phone">{shown(p?.phone)}</span>
              <RevealContact caseId={caseId} privacy={view.privacy} onRevealed={load} />
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={tr(lang, '身份证', 'ID card')}>
            {shown(p?.idCard)}
          </Descriptions.Item>
          <Descriptions.Item label={tr(lang, '渠道', 'Channel')}>
            {name(CHANNEL_NAMES, state.channel, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={tr(lang, '属地', 'Jurisdiction')}>
            {pick(places[state.jurisdiction], lang) || state.jurisdiction}
          </Descriptions.Item>
          <Descriptions.Item label={tr(lang, '包案领导', 'Leader owner')}>
            <Space size={4}>
              <span data-testid="leader-owner">
                {state.leaderOwner
                  ? userLabel(state.leaderOwner, view.users, definition, lang)
                  : tr(lang, '未指定', 'None')}
              </span>
              {caseCmds.has('case.setLeader') && state.leaderOwner !== me.id && (
                <Button
                  size="small"
                  onClick={() =>
                    void act(
                      { type: 'case.setLeader', userId: me.id },
                      tr(lang, '已包案', 'You own this case'),
                    )
                  }
                  data-testid="own-case"
                >
                  {tr(lang, '我来包案', 'Own this case')}
                </Button>
              )}
            </Space>
          </Descriptions.Item>
          <Descriptions.Item label={tr(lang, '登记时间', 'Registered')}>
            {fmt(state.createdAt)}
          </Descriptions.Item>
          <Descriptions.Item label={tr(lang, '类别', 'Category')}>
            <span data-testid="case-category">
              {state.data.category == null
                ? '—'
                : valueText('category', state.data.category, undefined, definition, lang)}
            </span>
          </Descriptions.Item>
        </Descriptions>
        {clocks.length > 0 && (
          <Space wrap style={{ marginTop: 4 }} data-testid="clocks">
            <Typography.Text strong>{tr(lang, '法定时限', 'Statutory deadlines')}</Typography.Text>
            {clocks.map((c) => (
              <Space key={c.id} size={4} className="wb-clock" data-testid={`clock-${c.id}`}>
                <span>{pick(c.name, lang)}</span>
                {c.status === 'stopped' ? (
                  <Tag>{tr(lang, '已完成', 'Done')}</Tag>
                ) : c.status === 'paused' ? (
                  <Tag>{tr(lang, '已暂停', 'Paused')}</Tag>
                ) : (
                  <DueTag due={c.due} state={c.overdue ? 'overdue' : undefined} lang={lang} />
                )}
                <span className="wb-muted" data-testid="clock-due">
                  {fmt(c.due)}
                </span>
                {c.status !== 'stopped' && provisionalFlag(state.flags, 'clock', c.id) && (
                  <ProvisionalTag lang={lang} flag={provisionalFlag(state.flags, 'clock', c.id)} />
                )}
                {c.extensionsUsed > 0 && <Tag color="cyan">{tr(lang, '已延期', 'Extended')}</Tag>}
              </Space>
            ))}
          </Space>
        )}
      </Card>
      <div className="wb-case-grid">
        <div>
          <Card
            size="small"
            title={tr(lang, '当前办理', 'Current work')}
            style={{ marginBottom: 12 }}
          >
            {state.tasks.length === 0 && (
              <Empty
                description={
                  state.status === 'closed'
                    ? tr(lang, '事项已办结', 'The case is closed')
                    : tr(lang, '没有待办环节', 'No open steps')
                }
              />
            )}
            {state.tasks.map((t) => {
              const mine = view.actions.tasks.find((x) => x.taskId === t.id);
              return (
                <TaskPanel
                  key={t.id}
                  task={t as Json}
                  actions={mine}
                  forms={forms}
                  definition={definition}
                  lang={lang}
                  meId={me.id}
                  users={view.users}
                  act={act}
                  provisional={provisionalFlag(state.flags, 'task', String(t.id))}
                />
              );
            })}
          </Card>
          <JointProgress view={view} lang={lang} />
          <SupervisionCard view={view} definition={definition} lang={lang} act={act} />
          <Card
            size="small"
            title={tr(lang, '流程图', 'Flow diagram')}
            style={{ marginBottom: 12 }}
          >
            {definition ? (
              <FlowDiagram
                nodes={definition.nodes}
                edges={definition.edges}
                current={current}
                visited={visited}
                lang={lang}
              />
            ) : (
              <Spin />
            )}
          </Card>
        </div>
        <div>
          <AttachmentsCard view={view} definition={definition} lang={lang} reload={load} />
          <CommentsCard view={view} definition={definition} lang={lang} act={act} />
          <Card size="small" title={tr(lang, '办理记录', 'Timeline')}>
            <div className="wb-timeline" data-testid="timeline">
              <Timeline items={timelineItems} />
            </div>
          </Card>
        </div>
      </div>
    </div>
  );
}

const nodeName = (definition: Json, id: string, lang: Lang) =>
  pick(definition?.nodes?.find((n: Json) => n.id === id)?.name, lang) || id;

type CaseUsers = CaseView['users'];

/** 台山接访员 李敏（接访员）: a user's display name and, where the reader may see it, role. */
export function userLabel(
  id: string | null | undefined,
  users: CaseUsers,
  definition: Json,
  lang: Lang,
): string {
  if (!id) return '';
  if (id === 'system') return tr(lang, '系统', 'System');
  const u = users[id];
  if (!u) return tr(lang, `用户 ${id.slice(0, 8)}`, `user ${id.slice(0, 8)}`);
  const roles = [...new Set(u.roles.map((r) => roleName(r.role, definition, lang)))];
  if (!roles.length) return u.displayName;
  return tr(
    lang,
    `${u.displayName}（${roles.join('、')}）`,
    `${u.displayName} (${roles.join(', ')})`,
  );
}

/** The flow's own name for a role (导服员, 值班律师…), else the standard one. */
function roleName(role: string, definition: Json, lang: Lang): string {
  const own = (definition?.roles ?? []).find((r: Json) => r.id === role);
  return own ? pick(own.name, lang) : name(ROLE_NAMES, role, lang);
}

/** P30D → 30 天, P2W → 2 周, PT12H → 12 小时 (ISO 8601 durations as the flows write them). */
export function durationText(iso: string, lang: Lang): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!m) return iso;
  const units: [string | undefined, string, string][] = [
    [m[1], '年', 'y'],
    [m[2], '个月', 'mo'],
    [m[3], '周', 'w'],
    [m[4], '天', 'd'],
    [m[5], '小时', 'h'],
    [m[6], '分钟', 'min'],
  ];
  return units
    .filter(([n]) => n && n !== '0')
    .map(([n, zh, en]) => tr(lang, `${n} ${zh}`, `${n} ${en}`))
    .join(' ');
}

/** A field's title and its value in words, from the form (enum names, yes/no) or the case schema. */
function fieldText(key: string, value: unknown, form: Json, definition: Json, lang: Lang): string {
  const prop = form?.schema?.properties?.[key] ?? definition?.dataSchema?.properties?.[key];
  const title = pick(prop?.title, lang) || key;
  return `${title}：${valueText(key, value, form, definition, lang) || '—'}`;
}

/**
 * A case data value in words: enum names from the form that offers the choice
 * (劳动社保, not `labour`), yes/no, the strings of an object; at most 80 characters.
 */
export function valueText(
  key: string,
  value: unknown,
  form: Json,
  definition: Json,
  lang: Lang,
): string {
  const chooser =
    form?.schema?.properties?.[key] !== undefined
      ? form
      : (definition?.forms ?? []).find(
          (f: Json) => f.schema?.properties?.[key]?.enum && f.uiSchema?.[key],
        );
  const prop = chooser?.schema?.properties?.[key] ?? definition?.dataSchema?.properties?.[key];
  const ui = chooser?.uiSchema?.[key];
  const one = (v: unknown, p: Json, u: Json): string => {
    if (typeof v === 'boolean') return tr(lang, v ? '是' : '否', v ? 'yes' : 'no');
    if (p?.enum && Array.isArray(u?.['ui:enumNames'])) {
      const i = p.enum.indexOf(v);
      if (i >= 0 && u['ui:enumNames'][i]) return String(u['ui:enumNames'][i]);
    }
    const option = (p?.oneOf ?? p?.anyOf)?.find((o: Json) => o?.const === v);
    if (option?.title) return pick(option.title, lang);
    if (v && typeof v === 'object')
      return Object.values(v as Record<string, unknown>)
        .filter((x) => typeof x === 'string' || typeof x === 'number')
        .join(' ');
    return String(v ?? '');
  };
  const text = Array.isArray(value)
    ? value.map((v) => one(v, prop?.items, ui?.items)).join('、')
    : one(value, prop, ui);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

export interface TimelineLine {
  /** What happened, in words. */
  what: string;
  /** What changed: the fields filled, from → to, the new deadline… */
  details: string[];
  colour: 'blue' | 'green' | 'red' | 'gray' | 'orange';
}

/**
 * Every event in words, or null for bookkeeping nobody needs to read (tokens,
 * timers, data merges that a completed step already shows).
 */
export function describeEvents(
  timeline: Json[],
  definition: Json,
  users: CaseUsers,
  lang: Lang,
): (TimelineLine | null)[] {
  const tasks = new Map<string, Json>();
  const clocks = new Map<string, Json>();
  const requests = new Map<string, Json>();
  let urgency: string | null = null;
  const forms: Json[] = definition?.forms ?? [];
  const who = (id: string) => userLabel(id, users, definition, lang);
  const taskName = (taskId: string) => {
    const t = tasks.get(taskId);
    if (!t) return tr(lang, '环节', 'step');
    const item = t.item ? `（${name(DEPARTMENT_NAMES, String(t.item.value), lang)}）` : '';
    return `${pick(t.name, lang)}${item}`;
  };
  const clockName = (id: string) => pick(clocks.get(id)?.name, lang) || id;
  const colour = (u: string | null) =>
    u && URGENCY[u]
      ? tr(lang, `${URGENCY[u].name[0]}色`, URGENCY[u].name[1])
      : tr(lang, '未定色', 'none');
  const line = (
    what: string,
    details: string[] = [],
    c: TimelineLine['colour'] = 'blue',
  ): TimelineLine => ({ what, details, colour: c });
  return timeline.map((e: Json): TimelineLine | null => {
    switch (e.type) {
      case 'case.started': {
        urgency = e.urgency ?? null;
        const d = [tr(lang, '渠道：', 'Channel: ') + name(CHANNEL_NAMES, e.channel, lang)];
        if (e.urgency)
          d.push(tr(lang, `预警颜色：${colour(e.urgency)}`, `Colour: ${colour(e.urgency)}`));
        if (e.repeat) d.push(tr(lang, '疑似重信重访', 'Possible repeat petition'));
        return line(tr(lang, '登记信访事项', 'Case registered'), d);
      }
      case 'task.opened':
        tasks.set(e.task.id, e.task);
        return line(
          tr(lang, `进入环节：${taskName(e.task.id)}`, `Step opened: ${taskName(e.task.id)}`),
          e.task.due ? [tr(lang, `办理期限至 ${fmt(e.task.due)}`, `Due ${fmt(e.task.due)}`)] : [],
          'gray',
        );
      case 'task.claimed':
        return line(tr(lang, `签收：${taskName(e.taskId)}`, `Claimed: ${taskName(e.taskId)}`));
      case 'task.released':
        return line(
          tr(lang, `放弃签收：${taskName(e.taskId)}`, `Released: ${taskName(e.taskId)}`),
          [],
          'gray',
        );
      case 'task.reassigned':
        return line(tr(lang, `改派：${taskName(e.taskId)}`, `Reassigned: ${taskName(e.taskId)}`), [
          tr(lang, `改由 ${who(e.to)} 办理`, `now with ${who(e.to)}`),
        ]);
      case 'task.delegated':
        return line(tr(lang, `委托：${taskName(e.taskId)}`, `Delegated: ${taskName(e.taskId)}`), [
          tr(lang, `委托 ${who(e.to)} 办理`, `to ${who(e.to)}`),
        ]);
      case 'task.completed': {
        const task = tasks.get(e.taskId);
        const edge = (definition?.edges ?? []).find((x: Json) => x.id === e.edge);
        const action = pick(edge?.label, lang) || e.action;
        const form =
          forms.find((f) => f.id === edge?.form && edge?.form) ??
          forms.find((f) => f.id === task?.form);
        const fields = Object.entries(e.data ?? {})
          .filter(([, v]) => v !== undefined && v !== '')
          .map(([k, v]) => fieldText(k, v, form, definition, lang));
        return line(
          tr(
            lang,
            `完成：${taskName(e.taskId)} · ${action}`,
            `Done: ${taskName(e.taskId)} · ${action}`,
          ),
          fields,
          'green',
        );
      }
      case 'task.returned':
        return line(
          tr(
            lang,
            `退回：${taskName(e.taskId)} → ${nodeName(definition, e.to, lang)}`,
            `Returned: ${taskName(e.taskId)} → ${nodeName(definition, e.to, lang)}`,
          ),
          [tr(lang, `理由：${e.reason}`, `Reason: ${e.reason}`)],
          'orange',
        );
      case 'task.refused':
        return line(
          tr(lang, `拒签：${taskName(e.taskId)}`, `Refused: ${taskName(e.taskId)}`),
          [
            tr(lang, `理由：${e.reason}`, `Reason: ${e.reason}`),
            tr(
              lang,
              `退回“${nodeName(definition, e.backTo, lang)}”重新办理`,
              `back to "${nodeName(definition, e.backTo, lang)}"`,
            ),
          ],
          'orange',
        );
      case 'task.cancelled':
        return e.reason === 'ended'
          ? null
          : line(
              tr(lang, `环节取消：${taskName(e.taskId)}`, `Step cancelled: ${taskName(e.taskId)}`),
              [],
              'gray',
            );
      case 'task.dueSoon':
        return line(
          tr(lang, `即将到期：${taskName(e.taskId)}`, `Due soon: ${taskName(e.taskId)}`),
          [],
          'orange',
        );
      case 'task.overdue':
        return line(
          tr(lang, `已超期：${taskName(e.taskId)}`, `Overdue: ${taskName(e.taskId)}`),
          [],
          'red',
        );
      case 'task.dueChanged': {
        // A step bound to a statutory clock moves with it (extension, resume).
        const task = tasks.get(e.taskId);
        if (task) tasks.set(e.taskId, { ...task, due: e.due });
        if (e.reason === 'calendar')
          return line(
            tr(
              lang,
              `期限随工作日历调整：${taskName(e.taskId)}`,
              `Deadline moved with the calendar: ${taskName(e.taskId)}`,
            ),
            [
              task?.due
                ? tr(
                    lang,
                    `由 ${fmt(task.due)} 改为 ${fmt(e.due)}`,
                    `${fmt(task.due)} → ${fmt(e.due)}`,
                  )
                : tr(lang, `现至 ${fmt(e.due)}`, `now due ${fmt(e.due)}`),
            ],
            'blue',
          );
        return line(
          tr(
            lang,
            `期限随法定时限调整：${taskName(e.taskId)}`,
            `Deadline moved with its clock: ${taskName(e.taskId)}`,
          ),
          [tr(lang, `现至 ${fmt(e.due)}`, `now due ${fmt(e.due)}`)],
          'gray',
        );
      }
      case 'data.set':
        return line(tr(lang, '自动设置', 'Set automatically'), [
          fieldText(e.var, e.value, undefined, definition, lang),
        ]);
      case 'firstHandler.set':
        return line(tr(lang, '确定首办责任人', 'First handler set'), [who(e.userId)], 'gray');
      case 'clock.started':
        clocks.set(e.clock.id, e.clock);
        return line(
          tr(
            lang,
            `开始计时：${pick(e.clock.name, lang)}`,
            `Clock started: ${pick(e.clock.name, lang)}`,
          ),
          [tr(lang, `期限至 ${fmt(e.clock.due)}`, `due ${fmt(e.clock.due)}`)],
          'gray',
        );
      case 'clock.stopped':
        return line(
          tr(lang, `时限完成：${clockName(e.clockId)}`, `Clock stopped: ${clockName(e.clockId)}`),
          [],
          'gray',
        );
      case 'clock.dueSoon':
        return line(
          tr(
            lang,
            `时限即将到期：${clockName(e.clockId)}`,
            `Deadline soon: ${clockName(e.clockId)}`,
          ),
          [],
          'orange',
        );
      case 'clock.overdue':
        return line(
          tr(
            lang,
            `法定时限超期：${clockName(e.clockId)}`,
            `Deadline missed: ${clockName(e.clockId)}`,
          ),
          [],
          'red',
        );
      case 'clock.paused':
        return line(
          tr(lang, `暂停计时：${clockName(e.clockId)}`, `Clock paused: ${clockName(e.clockId)}`),
          [tr(lang, `理由：${e.reason}`, `Reason: ${e.reason}`)],
          'orange',
        );
      case 'clock.resumed':
        return line(
          tr(lang, `恢复计时：${clockName(e.clockId)}`, `Clock resumed: ${clockName(e.clockId)}`),
          [tr(lang, `期限顺延至 ${fmt(e.due)}`, `now due ${fmt(e.due)}`)],
        );
      case 'extension.requested':
        requests.set(e.request.id, e.request);
        return line(
          tr(
            lang,
            `申请延期：${clockName(e.request.clockId)} 延长 ${durationText(e.request.duration, lang)}`,
            `Extension requested: ${clockName(e.request.clockId)} by ${durationText(e.request.duration, lang)}`,
          ),
          [tr(lang, `理由：${e.request.reason}`, `Reason: ${e.request.reason}`)],
          'orange',
        );
      case 'extension.approved': {
        const before = clocks.get(e.clockId)?.due;
        clocks.set(e.clockId, { ...clocks.get(e.clockId), due: e.due });
        return line(
          tr(
            lang,
            `批准延期：${clockName(e.clockId)}`,
            `Extension approved: ${clockName(e.clockId)}`,
          ),
          [
            before
              ? tr(
                  lang,
                  `期限由 ${fmt(before)} 延至 ${fmt(e.due)}`,
                  `due ${fmt(before)} → ${fmt(e.due)}`,
                )
              : tr(lang, `期限延至 ${fmt(e.due)}`, `now due ${fmt(e.due)}`),
          ],
          'green',
        );
      }
      case 'extension.refused': {
        const r = requests.get(e.requestId);
        return line(
          tr(
            lang,
            `不批准延期${r ? `：${clockName(r.clockId)}` : ''}`,
            `Extension refused${r ? `: ${clockName(r.clockId)}` : ''}`,
          ),
          [tr(lang, `理由：${e.reason}`, `Reason: ${e.reason}`)],
          'orange',
        );
      }
      case 'clock.dueChanged':
        clocks.set(e.clockId, { ...clocks.get(e.clockId), due: e.due });
        return line(
          tr(
            lang,
            `法定时限随工作日历调整：${clockName(e.clockId)}`,
            `Statutory deadline moved with the calendar: ${clockName(e.clockId)}`,
          ),
          [tr(lang, `由 ${fmt(e.from)} 改为 ${fmt(e.due)}`, `${fmt(e.from)} → ${fmt(e.due)}`)],
          'blue',
        );
      case 'calendar.provisional':
        return line(
          tr(lang, '期限按临时日历推算', 'Deadline counted on a provisional calendar'),
          [pick(e.flag.message, lang)],
          'orange',
        );
      case 'calendar.flagCleared':
        return line(
          tr(lang, '期限已按正式放假安排计算', 'Deadline now counted on the official arrangement'),
          [],
          'green',
        );
      case 'calendar.beyondCoverage':
        return line(
          tr(
            lang,
            '期限超出节假日数据的覆盖年份，请人工核对',
            'Deadline beyond the years of the holiday data: check it by hand',
          ),
          [],
          'orange',
        );
      case 'comment.added':
        return line(tr(lang, '批注', 'Comment'), [e.text]);
      case 'attachment.added':
        return line(tr(lang, '上传附件', 'Attachment uploaded'), [e.name ?? e.ref]);
      case 'leaderOwner.set':
        return line(tr(lang, '设定包案领导', 'Leader owner set'), [who(e.userId)]);
      case 'urgency.set': {
        const from = urgency;
        urgency = e.urgency;
        return line(
          tr(lang, '预警颜色', 'Urgency colour'),
          [`${colour(from)} → ${colour(e.urgency)}`],
          e.urgency === 'red' ? 'red' : 'blue',
        );
      }
      case 'child.started':
        return line(
          tr(lang, `发起子流程：${e.child.flow.key}`, `Sub-case started: ${e.child.flow.key}`),
        );
      case 'child.completed':
        return line(
          tr(lang, '子流程办结', 'Sub-case closed'),
          [name(OUTCOME_NAMES, e.outcome, lang)],
          'green',
        );
      case 'case.escalated':
        return line(tr(lang, '提级办理', 'Escalated'), [e.jurisdiction], 'orange');
      case 'case.closed':
        return line(tr(lang, '办结', 'Closed'), [name(OUTCOME_NAMES, e.outcome, lang)], 'green');
      case 'case.cancelled':
        return line(
          tr(lang, '撤销', 'Cancelled'),
          [tr(lang, `理由：${e.reason}`, `Reason: ${e.reason}`)],
          'gray',
        );
      case 'case.migrated':
        return line(
          tr(lang, `迁移到流程第 ${e.to} 版`, `Moved to flow version ${e.to}`),
          [tr(lang, `原第 ${e.from} 版`, `from version ${e.from}`)],
          'gray',
        );
      default:
        return null;
    }
  });
}

function TaskPanel({
  task,
  actions,
  forms,
  definition,
  lang,
  meId,
  users,
  act,
  provisional,
}: {
  /** The task's `calendar.provisional` flag: its deadline was counted on a provisional year. */
  provisional?: ReturnType<typeof provisionalFlag>;
  task: Json;
  actions: TaskActions | undefined;
  forms: Json[];
  definition: Json;
  lang: Lang;
  meId: string;
  users: CaseUsers;
  act: (c: CaseCommand, ok?: string) => Promise<boolean>;
}) {
  const chosen = useRef<string>('');
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'refuse' | 'return' | null>(null);
  const [reason, setReason] = useState('');
  const [returnTo, setReturnTo] = useState<string>();
  const [edgeForm, setEdgeForm] = useState<{ action: string; form: Json; data: Json } | null>(null);
  const form = forms.find((f) => f.id === task.form);
  const ui = form?.uiSchema;
  const cmds = new Set(actions?.commands ?? []);
  const buttons = actions?.actions ?? [];
  const complete = async (action: string, data: Json) => {
    setBusy(true);
    await act(
      { type: 'task.complete', taskId: task.id, action, data },
      tr(lang, '已提交', 'Submitted'),
    );
    setBusy(false);
  };
  const press = (action: string, data: Json) => {
    const spec = buttons.find((b) => b.action === action);
    const edge = spec?.form ? forms.find((f) => f.id === spec.form) : undefined;
    if (edge) setEdgeForm({ action, form: edge, data });
    else void complete(action, data);
  };
  const buttonRow = (submit: boolean) => (
    <Space wrap>
      {buttons.map((b) => (
        <Button
          key={b.action}
          type={b.style === 'primary' || buttons.length === 1 ? 'primary' : 'default'}
          danger={b.style === 'danger'}
          htmlType={submit ? 'submit' : 'button'}
          loading={busy}
          data-testid={`action-${b.action}`}
          onClick={() => {
            chosen.current = b.action;
            if (!submit) press(b.action, {});
          }}
        >
          {pick(b.label, lang) || b.action}
        </Button>
      ))}
      {cmds.has('task.refuse') && (
        <Button danger onClick={() => setDialog('refuse')} data-testid="refuse">
          {tr(lang, '拒签', 'Refuse')}
        </Button>
      )}
      {cmds.has('task.return') && (
        <Button onClick={() => setDialog('return')} data-testid="return">
          {tr(lang, '退回', 'Return')}
        </Button>
      )}
    </Space>
  );
  return (
    <div
      className="wb-task"
      data-testid={`task-${task.node}`}
      data-mine={buttons.length > 0}
      style={{ marginBottom: 16 }}
    >
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong>{pick(task.name, lang)}</Typography.Text>
        {task.item && (
          <Tag color="geekblue">{name(DEPARTMENT_NAMES, String(task.item.value), lang)}</Tag>
        )}
        <DueTag due={task.due} state={task.dueState} lang={lang} />
        {provisional && <ProvisionalTag lang={lang} flag={provisional} />}
        {task.assignee ? (
          <Tag data-testid="task-assignee">
            {task.assignee === meId
              ? tr(lang, '我已签收', 'Claimed by me')
              : tr(
                  lang,
                  `${userLabel(task.assignee, users, definition, lang)} 已签收`,
                  `Claimed by ${userLabel(task.assignee, users, definition, lang)}`,
                )}
          </Tag>
        ) : (
          <Tag>{tr(lang, '待签收', 'Unclaimed')}</Tag>
        )}
        {cmds.has('task.claim') && (
          <Button
            size="small"
            type="primary"
            ghost
            onClick={() =>
              void act({ type: 'task.claim', taskId: task.id }, tr(lang, '已签收', 'Claimed'))
            }
            data-testid="claim-task"
          >
            {tr(lang, '签收', 'Claim')}
          </Button>
        )}
      </Space>
      {!actions || buttons.length === 0 ? (
        <Typography.Paragraph type="secondary">
          {tr(lang, '由其他人员办理。', 'Handled by someone else.')}
        </Typography.Paragraph>
      ) : form ? (
        <LianxinForm
          key={`${task.id}-${lang}`}
          schema={form.schema}
          uiSchema={ui}
          lang={lang}
          onSubmit={(data) => press(chosen.current || (buttons[0]?.action ?? ''), data)}
        >
          {buttonRow(true)}
        </LianxinForm>
      ) : (
        buttonRow(false)
      )}
      <Modal
        open={dialog !== null}
        title={
          dialog === 'refuse'
            ? tr(lang, '拒签', 'Refuse the task')
            : tr(lang, '退回', 'Return the task')
        }
        okText={tr(lang, '确定', 'OK')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={
          {
            disabled: reason.trim().length < 2 || (dialog === 'return' && !returnTo),
            'data-testid': 'dialog-ok',
          } as never
        }
        onCancel={() => setDialog(null)}
        onOk={async () => {
          const ok =
            dialog === 'refuse'
              ? await act(
                  { type: 'task.refuse', taskId: task.id, reason },
                  tr(lang, '已拒签', 'Refused'),
                )
              : await act(
                  { type: 'task.return', taskId: task.id, to: returnTo ?? '', reason },
                  tr(lang, '已退回', 'Returned'),
                );
          if (ok) {
            setDialog(null);
            setReason('');
          }
        }}
      >
        {dialog === 'return' && (
          <Select
            style={{ width: '100%', marginBottom: 8 }}
            data-testid="return-to"
            placeholder={tr(lang, '退回到哪一步', 'Return to which step')}
            value={returnTo}
            onChange={setReturnTo}
            options={(actions?.returnTo ?? []).map((id) => ({
              value: id,
              label: nodeName(definition, id, lang),
            }))}
          />
        )}
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={tr(lang, '请填写理由（必填）', 'Reason (required)')}
          data-testid="dialog-reason"
        />
      </Modal>
      <Modal
        open={edgeForm !== null}
        title={edgeForm ? pick(edgeForm.form.title, lang) : ''}
        footer={null}
        onCancel={() => setEdgeForm(null)}
        destroyOnHidden
      >
        {edgeForm && (
          <LianxinForm
            schema={edgeForm.form.schema}
            uiSchema={edgeForm.form.uiSchema}
            lang={lang}
            onSubmit={(d) => {
              const e = edgeForm;
              setEdgeForm(null);
              void complete(e.action, { ...e.data, ...d });
            }}
          />
        )}
      </Modal>
    </div>
  );
}

/** 合力办: each department's task and reply. */
function JointProgress({ view, lang }: { view: CaseView; lang: Lang }) {
  const rows = useMemo(() => {
    const out: {
      key: string;
      node: string;
      step: string;
      dept: string;
      status: string;
      reply: string;
      at: string;
    }[] = [];
    const byTask = new Map<string, (typeof out)[number]>();
    for (const e of view.timeline as Json[]) {
      if (e.type === 'task.opened' && e.task.item) {
        const r = {
          key: e.task.id,
          node: e.task.node,
          step: pick(e.task.name, lang),
          dept: String(e.task.item.value),
          status: 'open',
          reply: '',
          at: e.at,
        };
        byTask.set(e.task.id, r);
        out.push(r);
      }
      const r = byTask.get(e.taskId);
      if (!r) continue;
      if (e.type === 'task.completed') {
        r.status = 'done';
        r.reply = Object.values(e.data ?? {})
          .filter((v) => typeof v === 'string')
          .join('；');
        r.at = e.at;
      } else if (e.type === 'task.refused') {
        r.status = 'refused';
        r.reply = e.reason;
        r.at = e.at;
      } else if (e.type === 'task.cancelled') r.status = 'cancelled';
    }
    return out;
  }, [view, lang]);
  if (!rows.length) return null;
  const statusTag = (s: string) =>
    s === 'done' ? (
      <Tag color="success">{tr(lang, '已反馈', 'Replied')}</Tag>
    ) : s === 'refused' ? (
      <Tag color="error">{tr(lang, '已拒签', 'Refused')}</Tag>
    ) : s === 'cancelled' ? (
      <Tag>{tr(lang, '已取消', 'Cancelled')}</Tag>
    ) : (
      <Tag color="processing">{tr(lang, '办理中', 'In progress')}</Tag>
    );
  return (
    <Card
      size="small"
      title={tr(lang, '合力办进展', 'Joint handling')}
      style={{ marginBottom: 12 }}
    >
      <Table
        size="small"
        pagination={false}
        rowKey="key"
        dataSource={rows}
        data-testid="joint-progress"
        columns={[
          {
            title: tr(lang, '部门', 'Department'),
            dataIndex: 'dept',
            render: (d: string) => name(DEPARTMENT_NAMES, d, lang),
          },
          { title: tr(lang, '环节', 'Step'), dataIndex: 'step' },
          { title: tr(lang, '进展', 'Progress'), dataIndex: 'status', render: statusTag },
          { title: tr(lang, '答复 / 理由', 'Reply / reason'), dataIndex: 'reply', ellipsis: true },
          { title: tr(lang, '时间', 'When'), dataIndex: 'at', render: fmt, width: 140 },
        ]}
      />
    </Card>
  );
}

/** Deadline extension: request (workers, supervisors), approve or refuse with a reason (leaders, admins). */
function SupervisionCard({
  view,
  definition,
  lang,
  act,
}: {
  view: CaseView;
  definition: Json;
  lang: Lang;
  act: (c: CaseCommand, ok?: string) => Promise<boolean>;
}) {
  const cmds = new Set(view.actions.case);
  const [open, setOpen] = useState(false);
  const [clockId, setClockId] = useState<string>();
  const [days, setDays] = useState(30);
  const [reason, setReason] = useState('');
  const [refusing, setRefusing] = useState<string | null>(null);
  const [refusal, setRefusal] = useState('');
  const requests = Object.values(view.state.extensionRequests);
  const extendable = (definition?.clocks ?? []).filter(
    (c: Json) =>
      c.extension &&
      view.state.clocks[c.id] &&
      view.state.clocks[c.id]?.status !== 'stopped' &&
      (view.state.clocks[c.id]?.extensionsUsed ?? 0) < (c.extension.times ?? 1),
  );
  const canRequest =
    cmds.has('deadline.requestExtension') && extendable.length > 0 && requests.length === 0;
  if (!canRequest && requests.length === 0) return null;
  const clockLabel = (id: string) => pick(view.state.clocks[id]?.name, lang) || id;
  return (
    <Card size="small" title={tr(lang, '延期', 'Deadline extension')} style={{ marginBottom: 12 }}>
      {requests.map((r) => (
        <Alert
          key={r.id}
          type="warning"
          style={{ marginBottom: 8 }}
          data-testid="extension-request"
          message={tr(
            lang,
            `延期申请：${clockLabel(r.clockId)} 延长 ${durationText(r.duration, lang)}`,
            `Extension request: ${clockLabel(r.clockId)} by ${durationText(r.duration, lang)}`,
          )}
          description={
            <>
              <div>{tr(lang, `理由：${r.reason}`, `Reason: ${r.reason}`)}</div>
              <div className="wb-muted">
                {fmt(r.requestedAt)} · {userLabel(r.requestedBy, view.users, definition, lang)}
                {' · '}
                {tr(
                  lang,
                  `当前期限 ${fmt(view.state.clocks[r.clockId]?.due)}`,
                  `now due ${fmt(view.state.clocks[r.clockId]?.due)}`,
                )}
              </div>
            </>
          }
          action={
            cmds.has('deadline.approveExtension') && (
              <Space direction="vertical">
                <Button
                  size="small"
                  type="primary"
                  onClick={() =>
                    void act(
                      { type: 'deadline.approveExtension', requestId: r.id },
                      tr(lang, '已批准延期', 'Extension approved'),
                    )
                  }
                  data-testid="approve-extension"
                >
                  {tr(lang, '批准', 'Approve')}
                </Button>
                <Button
                  size="small"
                  danger
                  onClick={() => setRefusing(r.id)}
                  data-testid="refuse-extension"
                >
                  {tr(lang, '不批准', 'Refuse')}
                </Button>
              </Space>
            )
          }
        />
      ))}
      {canRequest && (
        <Button onClick={() => setOpen(true)} data-testid="request-extension">
          {tr(lang, '申请延期', 'Request an extension')}
        </Button>
      )}
      <Modal
        open={open}
        title={tr(lang, '申请延期', 'Request an extension')}
        onCancel={() => setOpen(false)}
        okText={tr(lang, '提交申请', 'Request')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={
          {
            disabled: !clockId || reason.trim().length < 2,
            'data-testid': 'extension-ok',
          } as never
        }
        onOk={async () => {
          if (
            await act(
              {
                type: 'deadline.requestExtension',
                clockId: clockId ?? '',
                duration: `P${days}D`,
                reason,
              },
              tr(lang, '已提交延期申请', 'Extension requested'),
            )
          ) {
            setOpen(false);
            setReason('');
          }
        }}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            style={{ width: '100%' }}
            placeholder={tr(lang, '哪个时限', 'Which deadline')}
            value={clockId}
            onChange={setClockId}
            data-testid="extension-clock"
            options={extendable.map((c: Json) => ({
              value: c.id,
              label: tr(
                lang,
                `${pick(c.name, lang)}（现至 ${fmt(view.state.clocks[c.id]?.due)}，最多延长 ${durationText(c.extension.max, lang)}）`,
                `${pick(c.name, lang)} (due ${fmt(view.state.clocks[c.id]?.due)}, at most ${durationText(c.extension.max, lang)} more)`,
              ),
            }))}
          />
          <Select
            style={{ width: '100%' }}
            value={days}
            onChange={setDays}
            options={[7, 15, 30].map((d) => ({
              value: d,
              label: tr(lang, `延长 ${d} 天`, `${d} more days`),
            }))}
          />
          <Input.TextArea
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={tr(lang, '延期理由（必填）', 'Reason (required)')}
            data-testid="extension-reason"
          />
        </Space>
      </Modal>
      <Modal
        open={refusing !== null}
        title={tr(lang, '不批准延期', 'Refuse the extension')}
        onCancel={() => setRefusing(null)}
        okText={tr(lang, '确定', 'OK')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={
          { disabled: refusal.trim().length < 2, 'data-testid': 'refuse-extension-ok' } as never
        }
        onOk={async () => {
          if (
            await act(
              { type: 'deadline.refuseExtension', requestId: refusing ?? '', reason: refusal },
              tr(lang, '已驳回延期申请', 'Extension refused'),
            )
          ) {
            setRefusing(null);
            setRefusal('');
          }
        }}
      >
        <Input.TextArea
          rows={3}
          value={refusal}
          onChange={(e) => setRefusal(e.target.value)}
          placeholder={tr(lang, '不批准的理由（必填）', 'Reason (required)')}
        />
      </Modal>
    </Card>
  );
}

function AttachmentsCard({
  view,
  definition,
  lang,
  reload,
}: {
  view: CaseView;
  definition: Json;
  lang: Lang;
  reload: () => Promise<void>;
}) {
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

function CommentsCard({
  view,
  definition,
  lang,
  act,
}: {
  view: CaseView;
  definition: Json;
  lang: Lang;
  act: (c: CaseCommand, ok?: string) => Promise<boolean>;
}) {
  const [text, setText] = useState('');
  return (
    <Card size="small" title={tr(lang, '批注', 'Comments')} style={{ marginBottom: 12 }}>
      {view.state.comments.length === 0 && !view.actions.case.includes('case.comment') && (
        <Typography.Text type="secondary">{tr(lang, '暂无批注', 'No comments')}</Typography.Text>
      )}
      {view.state.comments.map((c) => (
        <div key={c.id} style={{ marginBottom: 6 }}>
          <div>{c.text}</div>
          <div className="wb-muted">
            {fmt(c.at)} · {userLabel(c.by, view.users, definition, lang)}
          </div>
        </div>
      ))}
      {view.actions.case.includes('case.comment') && (
        <Space.Compact style={{ width: '100%' }}>
          <Input
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={tr(lang, '写批注…', 'Add a comment…')}
            data-testid="comment-input"
          />
          <Button
            disabled={!text.trim()}
            onClick={async () => {
              if (await act({ type: 'case.comment', text }, tr(lang, '已批注', 'Comment added')))
                setText('');
            }}
            data-testid="comment-add"
          >
            {tr(lang, '添加', 'Add')}
          </Button>
        </Space.Compact>
      )}
    </Card>
  );
}
