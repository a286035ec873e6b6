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
import { api, type CaseView, errorText, pick } from './api';
import {
  CHANNEL_NAMES,
  DEPARTMENT_NAMES,
  DueTag,
  fmt,
  name,
  OUTCOME_NAMES,
  STATUS_NAMES,
  shown,
  UrgencyTag,
} from './common';
import { FlowDiagram } from './FlowDiagram';
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
    async (command: Record<string, unknown> & { type: string }, ok?: string) => {
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
          <Descriptions.Item label={tr(lang, '电话', 'Phone')}>{shown(p?.phone)}</Descriptions.Item>
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
                  ? state.leaderOwner === me.id
                    ? me.displayName
                    : tr(lang, '已指定', 'Assigned')
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
            {String(state.data.category ?? '—')}
          </Descriptions.Item>
        </Descriptions>
        {clocks.length > 0 && (
          <Space wrap style={{ marginTop: 4 }} data-testid="clocks">
            <Typography.Text strong>{tr(lang, '法定时限', 'Statutory deadlines')}</Typography.Text>
            {clocks.map((c) => (
              <Space key={c.id} size={4} className="wb-clock">
                <span>{pick(c.name, lang)}</span>
                {c.status === 'stopped' ? (
                  <Tag>{tr(lang, '已完成', 'Done')}</Tag>
                ) : c.status === 'paused' ? (
                  <Tag>{tr(lang, '已暂停', 'Paused')}</Tag>
                ) : (
                  <DueTag due={c.due} state={c.overdue ? 'overdue' : undefined} lang={lang} />
                )}
                <span className="wb-muted">{fmt(c.due)}</span>
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
                  act={act}
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
          <AttachmentsCard view={view} lang={lang} reload={load} />
          <CommentsCard view={view} lang={lang} act={act} />
          <Card size="small" title={tr(lang, '办理记录', 'Timeline')}>
            <div className="wb-timeline" data-testid="timeline">
              <Timeline
                items={[...view.timeline]
                  .reverse()
                  .filter((e: Json) => describe(e, lang, definition) !== null)
                  .map((e: Json) => ({
                    key: e.seq,
                    color: e.type.includes('overdue')
                      ? 'red'
                      : e.type === 'case.closed'
                        ? 'green'
                        : 'blue',
                    children: (
                      <div>
                        <div>{describe(e, lang, definition)}</div>
                        <div className="wb-muted">
                          {fmt(e.at)}
                          {e.by
                            ? ` · ${e.by === me.id ? me.displayName : tr(lang, '工作人员', 'staff')} ${e.by.slice(0, 8)}`
                            : ''}
                        </div>
                      </div>
                    ),
                  }))}
              />
            </div>
          </Card>
        </div>
      </div>
    </div>
  );
}

const nodeName = (definition: Json, id: string, lang: Lang) =>
  pick(definition?.nodes?.find((n: Json) => n.id === id)?.name, lang) || id;

/** One timeline line, or null for bookkeeping events nobody needs to read. */
function describe(e: Json, lang: Lang, definition: Json): string | null {
  const data = (d: Record<string, unknown>) =>
    Object.entries(d ?? {})
      .filter(([, v]) => typeof v !== 'object' || Array.isArray(v))
      .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('、') : String(v)}`)
      .join('，');
  switch (e.type) {
    case 'case.started':
      return tr(
        lang,
        `登记（${name(CHANNEL_NAMES, e.channel, lang)}）`,
        `Registered (${name(CHANNEL_NAMES, e.channel, lang)})`,
      );
    case 'task.opened': {
      const item = e.task.item
        ? ` · ${name(DEPARTMENT_NAMES, String(e.task.item.value), lang)}`
        : '';
      return tr(
        lang,
        `进入环节：${pick(e.task.name, lang)}${item}`,
        `Step opened: ${pick(e.task.name, lang)}${item}`,
      );
    }
    case 'task.claimed':
      return tr(lang, '签收任务', 'Task claimed');
    case 'task.completed': {
      const d = data(e.data);
      return tr(
        lang,
        `办理完成：${e.action}${d ? `（${d}）` : ''}`,
        `Completed: ${e.action}${d ? ` (${d})` : ''}`,
      );
    }
    case 'task.refused':
      return tr(lang, `拒签，理由：${e.reason}`, `Refused: ${e.reason}`);
    case 'task.returned':
      return tr(
        lang,
        `退回至“${nodeName(definition, e.to, lang)}”，理由：${e.reason}`,
        `Returned to "${nodeName(definition, e.to, lang)}": ${e.reason}`,
      );
    case 'task.overdue':
      return tr(lang, '任务超期', 'Task overdue');
    case 'task.dueSoon':
      return tr(lang, '任务即将到期', 'Task due soon');
    case 'clock.started':
      return tr(
        lang,
        `开始计时：${pick(e.clock.name, lang)}（至 ${fmt(e.clock.due)}）`,
        `Clock started: ${pick(e.clock.name, lang)} (due ${fmt(e.clock.due)})`,
      );
    case 'clock.overdue':
      return tr(lang, '法定时限超期', 'Statutory deadline missed');
    case 'extension.requested':
      return tr(
        lang,
        `申请延期 ${e.request.duration}：${e.request.reason}`,
        `Extension requested ${e.request.duration}: ${e.request.reason}`,
      );
    case 'extension.approved':
      return tr(
        lang,
        `批准延期，新时限 ${fmt(e.due)}`,
        `Extension approved, now due ${fmt(e.due)}`,
      );
    case 'extension.refused':
      return tr(lang, `不批准延期：${e.reason}`, `Extension refused: ${e.reason}`);
    case 'comment.added':
      return tr(lang, `批注：${e.text}`, `Comment: ${e.text}`);
    case 'attachment.added':
      return tr(lang, `上传附件：${e.name ?? ''}`, `Attachment: ${e.name ?? ''}`);
    case 'leaderOwner.set':
      return tr(lang, '设定包案领导', 'Leader owner set');
    case 'urgency.set':
      return tr(lang, `定色：${e.urgency}`, `Colour set: ${e.urgency}`);
    case 'data.merged':
      return null;
    case 'case.escalated':
      return tr(lang, `提级至 ${e.jurisdiction}`, `Escalated to ${e.jurisdiction}`);
    case 'case.closed':
      return tr(
        lang,
        `办结（${name(OUTCOME_NAMES, e.outcome, lang)}）`,
        `Closed (${name(OUTCOME_NAMES, e.outcome, lang)})`,
      );
    case 'case.cancelled':
      return tr(lang, `撤销：${e.reason}`, `Cancelled: ${e.reason}`);
    default:
      return null;
  }
}

function TaskPanel({
  task,
  actions,
  forms,
  definition,
  lang,
  meId,
  act,
}: {
  task: Json;
  actions: TaskActions | undefined;
  forms: Json[];
  definition: Json;
  lang: Lang;
  meId: string;
  act: (c: Record<string, unknown> & { type: string }, ok?: string) => Promise<boolean>;
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
        {task.assignee ? (
          <Tag>
            {task.assignee === meId
              ? tr(lang, '我已签收', 'Claimed by me')
              : tr(lang, '已签收', 'Claimed')}
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
                  { type: 'task.return', taskId: task.id, to: returnTo, reason },
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

/** Deadline extension request/approval for the case clocks. */
function SupervisionCard({
  view,
  definition,
  lang,
  act,
}: {
  view: CaseView;
  definition: Json;
  lang: Lang;
  act: (c: Record<string, unknown> & { type: string }, ok?: string) => Promise<boolean>;
}) {
  const cmds = new Set(view.actions.case);
  const [open, setOpen] = useState(false);
  const [clockId, setClockId] = useState<string>();
  const [days, setDays] = useState(30);
  const [reason, setReason] = useState('');
  const requests = Object.values(view.state.extensionRequests);
  const extendable = (definition?.clocks ?? []).filter(
    (c: Json) =>
      c.extension && view.state.clocks[c.id] && view.state.clocks[c.id]?.status !== 'stopped',
  );
  if (!cmds.has('deadline.requestExtension') && requests.length === 0) return null;
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
            `延期申请：${pick(view.state.clocks[r.clockId]?.name, lang)} 延长 ${r.duration}，理由：${r.reason}`,
            `Extension request: ${pick(view.state.clocks[r.clockId]?.name, lang)} by ${r.duration}: ${r.reason}`,
          )}
          action={
            cmds.has('deadline.approveExtension') && (
              <Space>
                <Button
                  size="small"
                  type="primary"
                  onClick={() =>
                    void act(
                      { type: 'deadline.approveExtension', requestId: r.id },
                      tr(lang, '已批准', 'Approved'),
                    )
                  }
                  data-testid="approve-extension"
                >
                  {tr(lang, '批准', 'Approve')}
                </Button>
                <Button
                  size="small"
                  danger
                  onClick={() =>
                    void act(
                      {
                        type: 'deadline.refuseExtension',
                        requestId: r.id,
                        reason: tr(lang, '不符合延期条件', 'Not justified'),
                      },
                      tr(lang, '已驳回', 'Refused'),
                    )
                  }
                >
                  {tr(lang, '不批准', 'Refuse')}
                </Button>
              </Space>
            )
          }
        />
      ))}
      {cmds.has('deadline.requestExtension') && extendable.length > 0 && (
        <Button onClick={() => setOpen(true)} data-testid="request-extension">
          {tr(lang, '申请延期', 'Request an extension')}
        </Button>
      )}
      <Modal
        open={open}
        title={tr(lang, '申请延期', 'Request an extension')}
        onCancel={() => setOpen(false)}
        okButtonProps={{ disabled: !clockId || reason.trim().length < 2 }}
        onOk={async () => {
          if (
            await act(
              { type: 'deadline.requestExtension', clockId, duration: `P${days}D`, reason },
              tr(lang, '已提交延期申请', 'Extension requested'),
            )
          )
            setOpen(false);
        }}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            style={{ width: '100%' }}
            placeholder={tr(lang, '哪个时限', 'Which deadline')}
            value={clockId}
            onChange={setClockId}
            options={extendable.map((c: Json) => ({
              value: c.id,
              label: `${pick(c.name, lang)}（${tr(lang, '最多', 'max')} ${c.extension.max}）`,
            }))}
          />
          <Select
            style={{ width: '100%' }}
            value={days}
            onChange={setDays}
            options={[7, 15, 30].map((d) => ({
              value: d,
              label: tr(lang, `${d} 天`, `${d} days`),
            }))}
          />
          <Input.TextArea
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={tr(lang, '延期理由', 'Reason')}
          />
        </Space>
      </Modal>
    </Card>
  );
}

function AttachmentsCard({
  view,
  lang,
  reload,
}: {
  view: CaseView;
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
          <span className="wb-muted"> · {fmt(a.at)}</span>
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
              { method: 'POST', body: f, credentials: 'same-origin' },
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
  lang,
  act,
}: {
  view: CaseView;
  lang: Lang;
  act: (c: Record<string, unknown> & { type: string }, ok?: string) => Promise<boolean>;
}) {
  const [text, setText] = useState('');
  return (
    <Card size="small" title={tr(lang, '批注', 'Comments')} style={{ marginBottom: 12 }}>
      {view.state.comments.map((c) => (
        <div key={c.id} style={{ marginBottom: 6 }}>
          <div>{c.text}</div>
          <div className="wb-muted">{fmt(c.at)}</div>
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
