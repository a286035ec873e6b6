import type { FlowDefinition, Lang } from '@lianxin/spec';
import { Alert, Button, Card, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { tr } from '../../../i18n';
import { type CaseView, pick } from '../api';
import { DueTag, fmt } from '../common';
import { departmentName, durationText, userLabel, valueText } from './timeline';
import type { Act, CaseCardProps } from './types';

// 合力办 as offices work it: who leads (主办), who assists (协办), each
// department's deadline and state, the refusals (拒签) with their reasons
// and re-dispatch, each contribution and the merged reply with who said what.
// Everything is read from the case's events and state as the server shows
// them to this reader; the card gives only the commands the server offers.

type Role = 'lead' | 'assist' | 'member';
type ShareStatus = 'open' | 'replied' | 'refused' | 'stopped';

/** One department's share of one round of joint handling. */
export interface ShareRow {
  taskId: string;
  department: string;
  role: Role;
  status: ShareStatus;
  openedAt: string;
  due?: string;
  dueState?: string;
  /** Approved extensions of its own deadline. */
  extended: string[];
  /** A request waiting for approval. */
  pendingExtension?: { requestId: string; duration: string; reason: string; by: string };
  /** Reply (form data), or the refusal's reason. */
  data?: Record<string, unknown>;
  reason?: string;
  by?: string;
  at?: string;
}

/** A refusal and what became of its share. */
export interface RefusalRow {
  taskId: string;
  department: string;
  reason: string;
  by: string;
  at: string;
  /** The re-dispatch, once done: the departments it named. */
  redispatched?: { by: string; at: string; departments: string[]; lead?: string };
}

export interface JointRound {
  node: string;
  name: FlowDefinition['nodes'][number]['name'];
  lead?: string;
  shares: ShareRow[];
  refusals: RefusalRow[];
  /** `joint.merged` as recorded when the lead replied. */
  merged?: {
    department: string;
    by: string;
    at: string;
    data: Record<string, unknown>;
    contributions: { department: string; by: string; at: string; data: Record<string, unknown> }[];
  };
  /** The clock no share may pass (`joint.within`), as it stands. */
  within?: { name: CaseView['state']['clocks'][string]['name']; due: string };
}

type Node = FlowDefinition['nodes'][number];
type MultiNode = Extract<Node, { kind: 'multiTask' }>;
const isJoint = (n: Node): n is MultiNode =>
  n.kind === 'multiTask' && (n.joint !== undefined || n.refusal?.redispatch !== undefined);

const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : String(v));

/**
 * The rounds of joint handling a case went through, newest last: for each
 * share node, the shares opened since the case last entered it.
 */
export function jointRounds(view: CaseView, definition: FlowDefinition | undefined): JointRound[] {
  const rounds: JointRound[] = [];
  const events = view.timeline;
  for (const node of (definition?.nodes ?? []).filter(isJoint)) {
    let from = -1;
    events.forEach((e, i) => {
      if (e.type === 'token.moved' && e.node === node.id) from = i;
    });
    if (from < 0) continue;
    const shares = new Map<string, ShareRow>();
    const refusals = new Map<string, RefusalRow>();
    const redispatchOf = new Map<string, string>();
    const requestTask = new Map<string, string>();
    for (const e of events.slice(from)) {
      switch (e.type) {
        case 'task.opened': {
          const t = e.task;
          if (t.node !== node.id || !t.item) break;
          if (t.redispatch) {
            redispatchOf.set(t.id, t.redispatch.refusedTask);
            break;
          }
          shares.set(t.id, {
            taskId: t.id,
            department: text(t.item.value),
            role: t.share ?? 'member',
            status: 'open',
            openedAt: e.at,
            ...(t.due ? { due: t.due } : {}),
            dueState: t.dueState,
            extended: [],
          });
          break;
        }
        case 'task.completed': {
          const s = shares.get(e.taskId);
          if (s) Object.assign(s, { status: 'replied', data: e.data, by: e.by, at: e.at });
          break;
        }
        case 'task.refused': {
          const s = shares.get(e.taskId);
          if (!s) break;
          Object.assign(s, { status: 'refused', reason: e.reason, by: e.by, at: e.at });
          refusals.set(e.taskId, {
            taskId: e.taskId,
            department: s.department,
            reason: e.reason,
            by: e.by ?? '',
            at: e.at,
          });
          break;
        }
        case 'task.redispatched': {
          const refused = refusals.get(redispatchOf.get(e.taskId) ?? '');
          if (!refused) break;
          const list = e.data.departments;
          const lead = node.joint ? e.data[node.joint.lead] : undefined;
          refused.redispatched = {
            by: e.by ?? '',
            at: e.at,
            departments: Array.isArray(list) ? list.map(text) : [],
            ...(typeof lead === 'string' ? { lead } : {}),
          };
          break;
        }
        case 'task.cancelled': {
          const s = shares.get(e.taskId);
          if (s?.status === 'open') s.status = 'stopped';
          break;
        }
        case 'task.dueSoon':
        case 'task.overdue': {
          const s = shares.get(e.taskId);
          if (s) s.dueState = e.type === 'task.overdue' ? 'overdue' : 'dueSoon';
          break;
        }
        case 'task.dueChanged': {
          const s = shares.get(e.taskId);
          if (s) Object.assign(s, { due: e.due, dueState: e.dueState });
          break;
        }
        case 'extension.requested': {
          const r = e.request;
          const s = r.taskId ? shares.get(r.taskId) : undefined;
          if (!s || !r.taskId) break;
          requestTask.set(r.id, r.taskId);
          s.pendingExtension = {
            requestId: r.id,
            duration: r.duration,
            reason: r.reason,
            by: r.requestedBy,
          };
          break;
        }
        case 'extension.approved':
        case 'extension.refused': {
          const s = shares.get(requestTask.get(e.requestId) ?? '');
          if (!s) break;
          delete s.pendingExtension;
          if (e.type === 'extension.approved') {
            s.extended.push(e.duration ?? '');
            s.due = e.due;
            s.dueState = 'onTime';
          }
          break;
        }
      }
    }
    if (!shares.size) continue;
    // Open shares as the case stands now (a due date moved by a recount, a claim).
    for (const t of view.state.tasks) {
      const s = shares.get(t.id);
      if (s) Object.assign(s, { ...(t.due ? { due: t.due } : {}), dueState: t.dueState });
    }
    const lead = node.joint ? view.state.data[node.joint.lead] : undefined;
    const merged = node.joint ? view.state.data[node.joint.merged] : undefined;
    const clock = node.joint?.within ? view.state.clocks[node.joint.within] : undefined;
    rounds.push({
      node: node.id,
      name: node.name,
      ...(typeof lead === 'string' && lead ? { lead } : {}),
      shares: [...shares.values()],
      refusals: [...refusals.values()],
      ...(merged && typeof merged === 'object' ? { merged: merged as JointRound['merged'] } : {}),
      ...(clock && clock.status !== 'stopped'
        ? { within: { name: clock.name, due: clock.due } }
        : {}),
    });
  }
  return rounds;
}

const ROLE_NAMES: Record<Role, [string, string]> = {
  lead: ['主办', 'Lead'],
  assist: ['协办', 'Assisting'],
  member: ['合办', 'Joint'],
};

/**
 * 合力办 card: lead and assisting departments, their deadlines and states,
 * refusals with reasons and their re-dispatch, each contribution and the
 * merged reply. A department may ask for more time on its own share here,
 * and whoever approves extensions approves or refuses it here.
 */
export function JointHandlingCard({
  view,
  definition,
  lang,
  act,
}: CaseCardProps & { lang: Lang; act: Act }) {
  const rounds = useMemo(() => jointRounds(view, definition), [view, definition]);
  const [refusing, setRefusing] = useState<string | null>(null);
  const [refusal, setRefusal] = useState('');
  if (!rounds.length) return null;
  const dept = (d: string) => departmentName(d, definition, lang);
  const who = (id: string | undefined) => userLabel(id, view.users, definition, lang);
  const canDecide = new Set(view.actions.case);
  const reply = (data: Record<string, unknown> | undefined) =>
    Object.entries(data ?? {})
      .map(([k, v]) => valueText(k, v, undefined, definition, lang, 400))
      .filter(Boolean)
      .join('；');
  const statusTag = (s: ShareRow) => {
    switch (s.status) {
      case 'replied':
        return <Tag color="success">{tr(lang, '已反馈', 'Replied')}</Tag>;
      case 'refused':
        return <Tag color="error">{tr(lang, '已拒签', 'Refused')}</Tag>;
      case 'stopped':
        return <Tag>{tr(lang, '已改派', 'Re-dispatched away')}</Tag>;
      default:
        return <Tag color="processing">{tr(lang, '办理中', 'In progress')}</Tag>;
    }
  };
  return (
    <>
      {rounds.map((round) => {
        const lead = round.shares.find((s) => s.role === 'lead' && s.status !== 'refused');
        const assisting = round.shares.filter(
          (s) => s.role !== 'lead' && s.status !== 'refused' && s.status !== 'stopped',
        );
        const waiting = round.shares.filter((s) => s.status === 'open' && s.role !== 'lead');
        const pendingRedispatch = round.refusals.filter((r) => !r.redispatched).length;
        return (
          <Card
            key={round.node}
            size="small"
            data-testid="joint-handling"
            title={tr(
              lang,
              `合力办 · ${pick(round.name, lang)}`,
              `Joint handling · ${pick(round.name, lang)}`,
            )}
            style={{ marginBottom: 12 }}
          >
            <Space wrap style={{ marginBottom: 8 }}>
              {round.lead && (
                <Tag color="blue" data-testid="joint-lead">
                  {tr(lang, `主办：${dept(round.lead)}`, `Lead: ${dept(round.lead)}`)}
                </Tag>
              )}
              {assisting.length > 0 && (
                <Tag data-testid="joint-assisting">
                  {tr(
                    lang,
                    `${round.lead ? '协办' : '合办部门'}：${assisting.map((s) => dept(s.department)).join('、')}`,
                    `${round.lead ? 'Assisting' : 'Departments'}: ${assisting.map((s) => dept(s.department)).join(', ')}`,
                  )}
                </Tag>
              )}
              {round.within && (
                <Typography.Text type="secondary">
                  {tr(
                    lang,
                    `各部门期限不超过“${pick(round.within.name, lang)}”（${fmt(round.within.due)}）`,
                    `No department is due after "${pick(round.within.name, lang)}" (${fmt(round.within.due)})`,
                  )}
                </Typography.Text>
              )}
            </Space>
            {lead && lead.status === 'open' && (waiting.length > 0 || pendingRedispatch > 0) && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 8 }}
                data-testid="joint-waiting"
                message={tr(
                  lang,
                  `主办部门（${dept(lead.department)}）在各协办部门反馈后提交合并答复：${[
                    ...(waiting.length
                      ? [`尚待${waiting.map((s) => dept(s.department)).join('、')}反馈`]
                      : []),
                    ...(pendingRedispatch ? [`${pendingRedispatch} 个拒签的份额待重新分派`] : []),
                  ].join('；')}`,
                  `The lead (${dept(lead.department)}) writes the merged reply once every assisting department has replied: ${[
                    ...(waiting.length
                      ? [`waiting for ${waiting.map((s) => dept(s.department)).join(', ')}`]
                      : []),
                    ...(pendingRedispatch
                      ? [`${pendingRedispatch} refused share(s) to re-dispatch`]
                      : []),
                  ].join('; ')}`,
                )}
              />
            )}
            <Table
              size="small"
              pagination={false}
              rowKey="taskId"
              dataSource={round.shares}
              data-testid="joint-shares"
              onRow={(s) => ({ 'data-testid': `joint-share-${s.department}` }) as never}
              columns={[
                {
                  title: tr(lang, '部门', 'Department'),
                  dataIndex: 'department',
                  render: (d: string, s) => (
                    <Space size={4}>
                      {dept(d)}
                      <Tag color={s.role === 'lead' ? 'blue' : 'default'}>
                        {tr(lang, ...ROLE_NAMES[s.role])}
                      </Tag>
                    </Space>
                  ),
                },
                {
                  title: tr(lang, '期限', 'Due'),
                  dataIndex: 'due',
                  width: 190,
                  render: (due: string | undefined, s) => (
                    <Space direction="vertical" size={0}>
                      <span>{fmt(due)}</span>
                      <Space size={4} wrap>
                        {s.status === 'open' && <DueTag due={due} state={s.dueState} lang={lang} />}
                        {s.extended.length > 0 && (
                          <Tag color="cyan">
                            {tr(
                              lang,
                              `已延期 ${s.extended.map((d) => durationText(d, lang)).join('、')}`,
                              `Extended by ${s.extended.map((d) => durationText(d, lang)).join(', ')}`,
                            )}
                          </Tag>
                        )}
                      </Space>
                    </Space>
                  ),
                },
                {
                  title: tr(lang, '状态', 'State'),
                  dataIndex: 'status',
                  width: 90,
                  render: (_: string, s) => statusTag(s),
                },
                {
                  title: tr(lang, '反馈 / 拒签理由', 'Contribution / reason'),
                  dataIndex: 'data',
                  render: (_: unknown, s) => {
                    return (
                      <Space direction="vertical" size={4} style={{ width: '100%' }}>
                        {s.status === 'replied' && <span>{reply(s.data)}</span>}
                        {s.status === 'refused' && (
                          <Typography.Text type="danger">
                            {tr(lang, `拒签理由：${s.reason}`, `Refused: ${s.reason}`)}
                          </Typography.Text>
                        )}
                        {s.by && (
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {who(s.by)} · {fmt(s.at)}
                          </Typography.Text>
                        )}
                        {s.pendingExtension && (
                          <Space wrap data-testid="joint-extension-request">
                            <Tag color="warning">
                              {tr(
                                lang,
                                `申请延期 ${durationText(s.pendingExtension.duration, lang)}，待审批`,
                                `Asks ${durationText(s.pendingExtension.duration, lang)} more, awaiting approval`,
                              )}
                            </Tag>
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {tr(
                                lang,
                                `理由：${s.pendingExtension.reason}`,
                                `Reason: ${s.pendingExtension.reason}`,
                              )}
                            </Typography.Text>
                            {canDecide.has('deadline.approveExtension') && (
                              <Button
                                size="small"
                                type="primary"
                                data-testid="joint-approve-extension"
                                onClick={() =>
                                  void act(
                                    {
                                      type: 'deadline.approveExtension',
                                      requestId: s.pendingExtension?.requestId ?? '',
                                    },
                                    tr(lang, '已批准延期', 'Extension approved'),
                                  )
                                }
                              >
                                {tr(lang, '批准', 'Approve')}
                              </Button>
                            )}
                            {canDecide.has('deadline.refuseExtension') && (
                              <Button
                                size="small"
                                danger
                                data-testid="joint-refuse-extension"
                                onClick={() => setRefusing(s.pendingExtension?.requestId ?? null)}
                              >
                                {tr(lang, '不批准', 'Refuse')}
                              </Button>
                            )}
                          </Space>
                        )}
                      </Space>
                    );
                  },
                },
              ]}
            />
            {round.refusals.map((r) => (
              <Alert
                key={r.taskId}
                type={r.redispatched ? 'success' : 'warning'}
                style={{ marginTop: 8 }}
                data-testid="joint-refusal"
                message={tr(
                  lang,
                  `${dept(r.department)}拒签：${r.reason}`,
                  `${dept(r.department)} refused: ${r.reason}`,
                )}
                description={
                  <>
                    <div className="wb-muted">
                      {who(r.by)} · {fmt(r.at)}
                    </div>
                    {r.redispatched ? (
                      <div>
                        {tr(
                          lang,
                          `已重新分派：${r.redispatched.departments.map(dept).join('、')}${r.redispatched.lead ? `（主办：${dept(r.redispatched.lead)}）` : ''}，${who(r.redispatched.by)} ${fmt(r.redispatched.at)}`,
                          `Re-dispatched to ${r.redispatched.departments.map(dept).join(', ')}${r.redispatched.lead ? ` (lead: ${dept(r.redispatched.lead)})` : ''} by ${who(r.redispatched.by)}, ${fmt(r.redispatched.at)}`,
                        )}
                      </div>
                    ) : (
                      <div>
                        {tr(
                          lang,
                          '待接访员重新分派；其他部门继续办理，已反馈的部门不再重复交办',
                          'Awaiting re-dispatch; the other departments keep working and those that replied are not asked again',
                        )}
                      </div>
                    )}
                  </>
                }
              />
            ))}
            {round.merged && (
              <div className="wb-joint-merged" data-testid="joint-merged" style={{ marginTop: 12 }}>
                <Typography.Text strong>
                  {tr(
                    lang,
                    `合并答复（主办：${dept(round.merged.department)}）`,
                    `Merged reply (lead: ${dept(round.merged.department)})`,
                  )}
                </Typography.Text>
                <Typography.Paragraph style={{ margin: '4px 0' }}>
                  {reply(round.merged.data)}
                </Typography.Paragraph>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {who(round.merged.by)} · {fmt(round.merged.at)}
                </Typography.Text>
                {round.merged.contributions.length > 0 && (
                  <ul
                    style={{ margin: '8px 0 0', paddingLeft: 20 }}
                    data-testid="joint-contributions"
                  >
                    {round.merged.contributions.map((c) => (
                      <li key={`${c.department}-${c.at}`}>
                        <Typography.Text strong>{dept(c.department)}</Typography.Text>
                        {tr(lang, '：', ': ')}
                        {reply(c.data)}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {' '}
                          （{who(c.by)} · {fmt(c.at)}）
                        </Typography.Text>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </Card>
        );
      })}
      <Modal
        open={refusing !== null}
        title={tr(lang, '不批准延期', 'Refuse the extension')}
        okText={tr(lang, '确定', 'OK')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={{ disabled: refusal.trim().length < 2 } as never}
        onCancel={() => setRefusing(null)}
        onOk={async () => {
          const ok = await act(
            { type: 'deadline.refuseExtension', requestId: refusing ?? '', reason: refusal },
            tr(lang, '已驳回延期申请', 'Extension refused'),
          );
          if (ok) {
            setRefusing(null);
            setRefusal('');
          }
        }}
      >
        <Input.TextArea
          rows={3}
          value={refusal}
          onChange={(e) => setRefusal(e.target.value)}
          placeholder={tr(lang, '请填写理由（必填）', 'Reason (required)')}
        />
      </Modal>
    </>
  );
}
