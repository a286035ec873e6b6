import { ClockCircleOutlined, PlayCircleOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Event, WorkCalendar } from '@lianxin/engine';
import { LianxinForm } from '@lianxin/forms';
import {
  CHANNELS,
  type Channel,
  CLOCK_STOPPED_WHILE_PAUSED,
  type FlowDefinition,
  type Lang,
  localize,
} from '@lianxin/spec';
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import { ReactFlowProvider } from '@xyflow/react';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Empty,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useRef, useState } from 'react';
import {
  beijing,
  beijingText,
  type DayInfo,
  dayInfo,
  dayKindText,
  dueText,
  fromBeijing,
} from '../days';
import { useDepartmentChoices } from '../departments';
import { tr } from '../i18n';
import { OUTCOME_NAMES } from '../kinds';
import {
  advanceClock,
  advanceTo,
  pressAction,
  type SimResult,
  type SimSession,
  type SimTask,
  type SubflowResolver,
  simTasks,
  simulationPath,
  startSimulation,
} from '../simulation';
import { ErrorBoundary } from './ErrorBoundary';
import { FlowCanvas } from './FlowCanvas';

const CHANNEL_NAMES: Record<Channel, [string, string]> = {
  visit: ['来访', 'Visit'],
  letter: ['来信', 'Letter'],
  online: ['网上', 'Online'],
  phone: ['电话', 'Phone'],
  hotline: ['12345 热线', 'Hotline'],
  grid: ['网格上报', 'Grid report'],
};
const DUE_STATE = {
  onTime: ['正常', 'On time', 'green'],
  dueSoon: ['临期', 'Due soon', 'orange'],
  overdue: ['超期', 'Overdue', 'red'],
} as const;

/** Beijing time, as offices read it: `2026-03-23 23:59`. */
const fmt = beijingText;
const WALL_CLOCK = 'YYYY-MM-DD HH:mm';
/**
 * The picker shows Beijing wall-clock time whatever the browser's zone: its
 * value is the wall-clock text read as a local time, and back.
 */
const pickerValue = (iso: string): Dayjs => {
  const b = beijing(iso);
  return dayjs(`${b.date} ${b.time}`, WALL_CLOCK);
};
const pickedInstant = (d: Dayjs): string => fromBeijing(d.format(WALL_CLOCK));
/** Today at 09:00 Beijing time: a simulated case is registered when the office opens. */
const todayAtNine = () => fromBeijing(`${beijing(Date.now()).date} 09:00`);

/**
 * A deadline with its weekday, what kind of day it is, and 临时日历 when the
 * engine counted it over a provisional year (the case's `calendar.provisional` flag).
 */
function DueLine({
  due,
  day,
  provisional,
  label,
  lang,
}: {
  due: string;
  day: DayInfo;
  provisional: boolean;
  /** What is due (a statutory clock's name); default 期限. */
  label?: string;
  lang: Lang;
}) {
  return (
    <Space size={4} wrap data-testid="sim-due">
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {label ?? tr(lang, '期限', 'Due')} {dueText(due, lang)}
      </Typography.Text>
      <Tag
        color={day.kind === 'holiday' ? 'red' : day.workday ? 'default' : 'orange'}
        data-testid="sim-due-day"
      >
        {dayKindText(day, lang)}
      </Tag>
      {provisional && (
        <Tag color="gold" data-testid="sim-due-provisional">
          {tr(lang, '临时日历', 'Provisional calendar')}
        </Tag>
      )}
    </Space>
  );
}

// Every event the engine emits has its name here, so none reaches the screen as a code.
const EVENT_NAMES = {
  'case.started': ['案件登记', 'Case registered'],
  'case.closed': ['结案', 'Case closed'],
  'case.cancelled': ['案件撤销', 'Case cancelled'],
  'case.escalated': ['提级办理', 'Escalated'],
  'case.migrated': ['迁移到新版本', 'Moved to a new version'],
  'token.created': ['进入流程', 'Entered the flow'],
  'token.moved': ['流转', 'Moved on'],
  'token.consumed': ['分支结束', 'Branch ended'],
  'multiTask.started': ['会签开始', 'Parallel tasks started'],
  'multiTask.resized': ['合力办部门调整', 'Joint handling re-dispatched'],
  'join.arrived': ['到达汇聚', 'Reached the join'],
  'join.reset': ['汇聚重置', 'Join reset'],
  'task.opened': ['任务开启', 'Task opened'],
  'task.claimed': ['签收', 'Claimed'],
  'task.released': ['退回待签收', 'Released'],
  'task.reassigned': ['改派', 'Reassigned'],
  'task.delegated': ['委托办理', 'Delegated'],
  'task.completed': ['办理完成', 'Completed'],
  'task.returned': ['退回', 'Returned'],
  'task.refused': ['拒收', 'Refused'],
  'task.redispatched': ['重新分派', 'Re-dispatched'],
  'task.dueSoon': ['临期预警', 'Due soon'],
  'task.overdue': ['超期', 'Overdue'],
  'task.dueChanged': ['期限随法定时限调整', 'Deadline moved with its clock'],
  'task.cancelled': ['任务取消', 'Task cancelled'],
  'timer.set': ['设置计时', 'Timer set'],
  'timer.fired': ['计时到点', 'Timer fired'],
  'timer.cancelled': ['计时取消', 'Timer cancelled'],
  'data.merged': ['写入表单数据', 'Form data saved'],
  'data.set': ['写入案件数据', 'Case data set'],
  'data.appended': ['追加案件数据', 'Case data appended'],
  'firstHandler.set': ['确定首办责任人', 'First handler set'],
  'leaderOwner.set': ['领导包案', 'Leader takes ownership'],
  'urgency.set': ['调整四色等级', 'Urgency colour set'],
  'comment.added': ['添加备注', 'Comment added'],
  'attachment.added': ['添加附件', 'Attachment added'],
  'child.started': ['子案件启动', 'Child case started'],
  'child.completed': ['子案件办结', 'Child case finished'],
  'child.cancelled': ['子案件取消', 'Child case cancelled'],
  'clock.started': ['法定时限开始', 'Statutory clock started'],
  'clock.stopped': ['法定时限停止', 'Statutory clock stopped'],
  'clock.dueSoon': ['法定时限临期', 'Statutory clock due soon'],
  'clock.overdue': ['法定时限超期', 'Statutory clock overdue'],
  'clock.paused': ['法定时限暂停', 'Statutory clock paused'],
  'clock.resumed': ['法定时限恢复', 'Statutory clock resumed'],
  'extension.requested': ['申请延期', 'Extension requested'],
  'extension.approved': ['批准延期', 'Extension approved'],
  'extension.refused': ['不批准延期', 'Extension refused'],
  'calendar.beyondCoverage': ['超出工作日历范围', 'Beyond the working calendar'],
  'calendar.provisional': ['期限按临时日历推算', 'Deadline on a provisional calendar'],
  'calendar.flagCleared': ['期限改按正式日历', 'Deadline now on an official calendar'],
  'clock.dueChanged': ['法定时限随日历调整', 'Statutory deadline moved with the calendar'],
  'supervision.issued': ['督办', 'Supervision order issued'],
  'supervision.answered': ['反馈督办', 'Supervision order answered'],
  'supervision.closed': ['结束督办', 'Supervision order closed'],
} satisfies Record<Event['type'], [string, string]>;
const eventName = (type: Event['type'], lang: Lang) => tr(lang, ...EVENT_NAMES[type]);

function TaskCard({
  flow,
  lang,
  task,
  dueDay,
  onPress,
}: {
  flow: FlowDefinition;
  lang: Lang;
  task: SimTask & { dueState?: keyof typeof DUE_STATE };
  /** The due date's day in the simulation's calendar, and whether it was counted on a provisional year. */
  dueDay?: DayInfo & { provisional: boolean };
  onPress: (action: string, data: Record<string, unknown>) => void;
}) {
  const node = flow.nodes.find((n) => n.id === task.node);
  const formId = node && 'form' in node ? node.form : undefined;
  const form = formId ? flow.forms.find((f) => f.id === formId) : undefined;
  const data = useRef<Record<string, unknown>>({});
  const due = task.dueState ? DUE_STATE[task.dueState] : undefined;
  // A department's share of joint handling: 主办 or 协办, and which department.
  const departments = useDepartmentChoices();
  const item = task.share ? task.item?.value : undefined;
  const department =
    typeof item === 'string'
      ? (departments?.find((d) => d.code === item)?.name ?? item)
      : undefined;
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid={`sim-task-${task.node}`}
      title={
        <Space>
          {localize(task.name, lang)}
          {task.share && (
            <Tag color={task.share === 'lead' ? 'volcano' : 'geekblue'} data-testid="sim-share">
              {task.share === 'lead'
                ? tr(lang, '主办', 'Lead')
                : task.share === 'assist'
                  ? tr(lang, '协办', 'Assisting')
                  : tr(lang, '承办', 'Handling')}
              {department ? ` · ${department}` : ''}
            </Tag>
          )}
          {task.childFlow && (
            <Tag color="purple" data-testid="sim-child-case">
              {tr(lang, '子案件', 'Child case')} {localize(flow.name, lang)}
            </Tag>
          )}
          {due && (
            <Tag color={due[2]} data-testid="sim-due-state">
              {tr(lang, due[0], due[1])}
            </Tag>
          )}
        </Space>
      }
    >
      {task.due && dueDay && (
        <div style={{ marginBottom: 8 }}>
          <DueLine due={task.due} day={dueDay} provisional={dueDay.provisional} lang={lang} />
        </div>
      )}
      {form && (
        <ErrorBoundary lang={lang} what={tr(lang, '表单', 'The form')}>
          <LianxinForm
            schema={form.schema as RJSFSchema}
            uiSchema={form.uiSchema as UiSchema}
            lang={lang}
            onChange={(d) => {
              data.current = d ?? {};
            }}
          >
            {false}
          </LianxinForm>
        </ErrorBoundary>
      )}
      <Space wrap>
        {task.actions.map((a) => (
          <Button
            key={a.action}
            type={a.style === 'primary' ? 'primary' : 'default'}
            danger={a.style === 'danger'}
            data-testid={`sim-action-${a.action}`}
            onClick={() => onPress(a.action, data.current)}
          >
            {a.label ? localize(a.label, lang) : a.action}
          </Button>
        ))}
      </Space>
    </Card>
  );
}

/**
 * Runs a case through the flow in the browser: pick a role, fill forms, press
 * buttons, move the clock. `resolveSubflow` gives the flows subflow nodes
 * call; without it a subflow is refused, as the server refuses an unpublished one.
 */
export function SimulationPanel({
  flow,
  lang,
  resolveSubflow,
  calendar,
}: {
  flow: FlowDefinition;
  lang: Lang;
  resolveSubflow?: SubflowResolver;
  /** The jurisdiction's working-day calendar (default: the bundled one). */
  calendar?: WorkCalendar;
}) {
  const start = flow.nodes.find((n) => n.kind === 'start');
  const [session, setSession] = useState<SimSession | null>(null);
  const [role, setRole] = useState(flow.roles[0]?.id ?? '');
  const [channel, setChannel] = useState<Channel>(
    (start?.kind === 'start' && start.channels[0]) || 'visit',
  );
  const [error, setError] = useState<string[] | null>(null);
  const [startAt, setStartAt] = useState(todayAtNine);
  const startData = useRef<Record<string, unknown>>({});
  const apply = (r: SimResult) => {
    if (r.ok) {
      setSession(r.session);
      setError(null);
    } else {
      const child = r.rejection.subflow;
      // Names, not ids: the subflow node by its name, a form field by its title.
      const node = child && flow.nodes.find((n) => n.id === child.node);
      const nodeName = node ? localize(node.name, lang) : child?.node;
      const props = (flow.dataSchema.properties ?? {}) as Record<string, { title?: unknown }>;
      const field = (pointer: string) => {
        const name = pointer.split('/')[1] ?? '';
        const title = props[name]?.title;
        return typeof title === 'string' ? title : pointer || '/';
      };
      setError([
        child
          ? tr(
              lang,
              `子流程节点“${nodeName}”启动 ${child.flow} 子案件时：${localize(r.rejection.message, 'zh-CN')}`,
              `starting the ${child.flow} child case of subflow node "${nodeName}": ${localize(r.rejection.message, 'en')}`,
            )
          : localize(r.rejection.message, lang),
        ...(r.rejection.errors ?? []).map(
          (e) => `${field(e.pointer)}：${localize(e.message, lang)}`,
        ),
      ]);
    }
  };
  const path = useMemo(() => (session ? simulationPath(session) : undefined), [session]);
  const overlay = useMemo(() => (path ? { path } : {}), [path]);
  const tasks = session ? simTasks(session, role) : [];
  const allTasks = session
    ? session.cases.filter((c) => c.state.status === 'active').flatMap((c) => c.state.tasks)
    : [];
  const otherRoles = [...new Set(allTasks.map((t) => t.candidates.role))].filter((r) => r !== role);
  // Deadlines the engine counted over a provisional year, as `case/kind/id`.
  const provisional = new Set(
    (session?.cases ?? []).flatMap((c) =>
      c.state.flags
        .filter((f) => f.code === 'calendar.provisional')
        .map((f) => `${c.id}/${f.subject.kind}/${f.subject.id}`),
    ),
  );
  // Statutory clocks still open (counting or standing still), with their due dates.
  const clocks = session
    ? Object.values(session.state.clocks).filter((c) => c.status !== 'stopped')
    : [];
  /** Why a clock stands still: the pause step, in the screen's language, else the leader's reason. */
  const stillWords = (
    step: string | undefined,
    reason: string | undefined,
    leaving = false,
    stopping = false,
  ) => {
    const node = step ? flow.nodes.find((n) => n.id === step) : undefined;
    if (!node && stopping) return localize(CLOCK_STOPPED_WHILE_PAUSED, lang);
    if (!node) return reason;
    const name = localize(node.name, lang);
    return leaving
      ? tr(lang, `离开“${name}”，恢复计时`, `Left "${name}": the clock counts again`)
      : tr(lang, `进入“${name}”，期限暂停`, `At "${name}": the clock stands still`);
  };
  /** Why a clock stood still or counts again, for its event in the list. */
  const clockWords = (e: Event) =>
    e.type === 'clock.paused'
      ? stillWords(e.step, e.reason)
      : e.type === 'clock.resumed'
        ? stillWords(e.step, e.reason, true, e.stopping === true)
        : undefined;
  const startForm =
    start?.kind === 'start' && start.form ? flow.forms.find((f) => f.id === start.form) : undefined;
  // Child cases bring their flows' roles (a court liaison, say) into the run.
  const roles = [...flow.roles];
  for (const r of session?.cases.flatMap((c) => c.definition.roles) ?? []) {
    if (!roles.some((x) => x.id === r.id)) roles.push(r);
  }
  const roleName = (id: string) => {
    const r = roles.find((x) => x.id === id);
    return r ? localize(r.name, lang) : id;
  };

  return (
    <div style={{ display: 'flex', height: '100%', minHeight: 0 }} data-testid="simulation">
      <div className="lx-canvas-wrap">
        <ReactFlowProvider>
          <FlowCanvas flow={flow} lang={lang} overlay={overlay} readOnly />
        </ReactFlowProvider>
      </div>
      <div className="lx-side" style={{ width: 400 }}>
        <Space style={{ marginBottom: 12 }} wrap>
          <span>{tr(lang, '扮演角色', 'Acting as')}</span>
          <Select
            data-testid="sim-role"
            style={{ width: 150 }}
            value={role}
            options={roles.map((r) => ({ value: r.id, label: localize(r.name, lang) }))}
            onChange={setRole}
          />
          {session && (
            <Button
              icon={<ReloadOutlined />}
              onClick={() => setSession(null)}
              data-testid="sim-reset"
            >
              {tr(lang, '重新开始', 'Restart')}
            </Button>
          )}
        </Space>
        {error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="sim-error"
            message={error[0]}
            description={error.length > 1 ? error.slice(1).join('；') : undefined}
          />
        )}
        {!session ? (
          <Card size="small" title={tr(lang, '登记一个模拟案件', 'Register a simulated case')}>
            {!start ? (
              <Empty description={tr(lang, '流程还没有开始节点', 'The flow has no start node')} />
            ) : (
              <>
                <Space style={{ marginBottom: 8 }}>
                  {tr(lang, '受理时间', 'Received at')}
                  <DatePicker
                    data-testid="sim-start-at"
                    showTime={{ format: 'HH:mm' }}
                    format={WALL_CLOCK}
                    allowClear={false}
                    needConfirm={false}
                    value={pickerValue(startAt)}
                    onChange={(d) => d && setStartAt(pickedInstant(d))}
                  />
                </Space>
                <Space style={{ marginBottom: 8 }}>
                  {tr(lang, '渠道', 'Channel')}
                  <Select
                    style={{ width: 140 }}
                    value={channel}
                    options={(start.kind === 'start' ? start.channels : CHANNELS).map((c) => ({
                      value: c,
                      label: tr(lang, CHANNEL_NAMES[c][0], CHANNEL_NAMES[c][1]),
                    }))}
                    onChange={setChannel}
                  />
                </Space>
                {startForm && (
                  <ErrorBoundary lang={lang} what={tr(lang, '登记表单', 'The intake form')}>
                    <LianxinForm
                      schema={startForm.schema as RJSFSchema}
                      uiSchema={startForm.uiSchema as UiSchema}
                      lang={lang}
                      onChange={(d) => {
                        startData.current = d ?? {};
                      }}
                    >
                      {false}
                    </LianxinForm>
                  </ErrorBoundary>
                )}
                <Button
                  type="primary"
                  icon={<PlayCircleOutlined />}
                  data-testid="sim-start"
                  onClick={() =>
                    apply(
                      startSimulation(flow, {
                        channel,
                        now: startAt,
                        ...(calendar ? { calendar } : {}),
                        data: startData.current,
                        ...(resolveSubflow ? { resolveSubflow } : {}),
                      }),
                    )
                  }
                >
                  {tr(lang, '开始模拟', 'Start')}
                </Button>
              </>
            )}
          </Card>
        ) : (
          <>
            <Card size="small" style={{ marginBottom: 12 }}>
              <Space wrap>
                <ClockCircleOutlined />
                <span data-testid="sim-now">{fmt(session.now)}</span>
                {session.late && (
                  <Tag color="red" data-testid="sim-late">
                    {tr(lang, '曾超期', 'Missed a deadline')}
                  </Tag>
                )}
                {[1, 3, 7].map((d) => (
                  <Button
                    key={d}
                    size="small"
                    data-testid={`sim-advance-${d}`}
                    onClick={() => apply(advanceClock(session, d))}
                  >
                    +{d}
                    {tr(lang, '天', d === 1 ? ' day' : ' days')}
                  </Button>
                ))}
                <DatePicker
                  // A fresh picker after each move, so the date just used does not linger.
                  key={session.now}
                  size="small"
                  data-testid="sim-jump"
                  placeholder={tr(lang, '跳到日期', 'Jump to date')}
                  showTime={{ format: 'HH:mm', defaultValue: dayjs('09:00', 'HH:mm') }}
                  format={WALL_CLOCK}
                  needConfirm={false}
                  value={null}
                  disabledDate={(d) => d.format('YYYY-MM-DD') < beijing(session.now).date}
                  onChange={(d) => d && apply(advanceTo(session, pickedInstant(d)))}
                />
              </Space>
              {clocks.length > 0 && (
                <div style={{ marginTop: 8 }} data-testid="sim-clocks">
                  {clocks.map((c) => (
                    <div key={c.id} data-testid={`sim-clock-${c.id}`}>
                      <DueLine
                        label={localize(c.name, lang)}
                        due={c.due}
                        day={dayInfo(session.calendar, beijing(c.due).date)}
                        provisional={provisional.has(`${session.caseId}/clock/${c.id}`)}
                        lang={lang}
                      />
                      {c.status === 'paused' && (
                        <Tag color="orange" data-testid="sim-clock-paused">
                          {tr(lang, '暂停中', 'Standing still')}
                          {stillWords(c.pauseStep, c.pauseReason)
                            ? `${tr(lang, '：', ': ')}${stillWords(c.pauseStep, c.pauseReason)}`
                            : ''}
                        </Tag>
                      )}
                    </div>
                  ))}
                </div>
              )}
            </Card>
            {session.state.status === 'closed' ? (
              <Alert
                type="success"
                showIcon
                data-testid="sim-closed"
                style={{ marginBottom: 12 }}
                message={tr(lang, '案件已结案', 'The case is closed')}
                description={
                  session.state.outcome &&
                  `${tr(lang, '结果：', 'Outcome: ')}${
                    session.state.outcome in OUTCOME_NAMES
                      ? localize(
                          OUTCOME_NAMES[session.state.outcome as keyof typeof OUTCOME_NAMES],
                          lang,
                        )
                      : session.state.outcome
                  }`
                }
              />
            ) : tasks.length ? (
              tasks.map((t) => (
                <TaskCard
                  key={t.taskId}
                  flow={session.cases.find((c) => c.id === t.caseId)?.definition ?? flow}
                  lang={lang}
                  {...(t.due
                    ? {
                        dueDay: {
                          ...dayInfo(session.calendar, beijing(t.due).date),
                          provisional: provisional.has(`${t.caseId}/task/${t.taskId}`),
                        },
                      }
                    : {})}
                  task={{
                    ...t,
                    ...(allTasks.find((x) => x.id === t.taskId)?.dueState
                      ? { dueState: allTasks.find((x) => x.id === t.taskId)?.dueState }
                      : {}),
                  }}
                  onPress={(action, data) =>
                    apply(pressAction(session, t.taskId, action, role, data))
                  }
                />
              ))
            ) : (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                message={tr(lang, '当前角色没有待办任务', 'Nothing to do for this role')}
                description={
                  otherRoles.length ? (
                    <Space wrap>
                      {tr(lang, '待办在：', 'Waiting on:')}
                      {otherRoles.map((r) => (
                        <Button
                          key={r}
                          size="small"
                          onClick={() => setRole(r)}
                          data-testid={`sim-switch-${r}`}
                        >
                          {roleName(r)}
                        </Button>
                      ))}
                    </Space>
                  ) : undefined
                }
              />
            )}
            <Typography.Title level={5}>{tr(lang, '事件', 'Events')}</Typography.Title>
            <Timeline
              style={{ fontSize: 12 }}
              items={session.events
                .slice(-14)
                .reverse()
                .map((e, i) => ({
                  key: `${session.events.length - i}`,
                  color: e.type.startsWith('task.overdue')
                    ? 'red'
                    : e.type.startsWith('task.dueSoon')
                      ? 'orange'
                      : 'blue',
                  children: (
                    <span title={e.type}>
                      {eventName(e.type, lang)}{' '}
                      {clockWords(e) && <span data-testid="sim-event-clock">{clockWords(e)} </span>}
                      <Typography.Text type="secondary" style={{ fontSize: 11 }}>
                        {fmt(e.at)}
                      </Typography.Text>
                    </span>
                  ),
                }))}
            />
          </>
        )}
      </div>
    </div>
  );
}
