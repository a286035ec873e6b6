import * as z from 'zod';
import { DURATION_PATTERN } from './duration';
import { FormDefinition } from './form';
import { type Bilingual, LocalizedText } from './text';

/** The newest flow format this code reads and writes. See `upgradeFlow`. */
export const FLOW_FORMAT_VERSION = 1;

const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
/** Case data variables: dotted paths into the case data, e.g. `petition.category`. */
const VAR_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

export const Id = z
  .string()
  .regex(ID_PATTERN)
  .meta({ description: 'Stable identifier: a letter, then letters, digits, _ or -.' });
export const VarName = z
  .string()
  .regex(VAR_PATTERN)
  .meta({ description: 'A case data variable as a dotted path, e.g. `reply.text`.' });

export const Duration = z.string().regex(DURATION_PATTERN).meta({
  id: 'Duration',
  description: 'ISO 8601 duration, e.g. P15D (15 days), P2W, PT4H.',
});

export const CHANNELS = ['visit', 'letter', 'online', 'phone', 'hotline', 'grid'] as const;
/** How a case arrived: 来访, 来信, 网上, 电话, 12345 热线, 网格上报. */
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const URGENCY_COLOURS = ['red', 'yellow', 'blue', 'green'] as const;
/** 四色预警: the county decides which colour means urgent / simple / complex / difficult. */
export const UrgencyColour = z.enum(URGENCY_COLOURS);
export type UrgencyColour = z.infer<typeof UrgencyColour>;

export const JURISDICTION_LEVELS = ['province', 'city', 'county', 'town', 'village'] as const;
export const JurisdictionLevel = z.enum(JURISDICTION_LEVELS);
export type JurisdictionLevel = z.infer<typeof JurisdictionLevel>;

export const OUTCOMES = ['resolved', 'declined', 'transferred', 'withdrawn'] as const;
export const Outcome = z.enum(OUTCOMES);
export type Outcome = z.infer<typeof Outcome>;

export const CalendarKind = z.enum(['natural', 'workingDays']).meta({
  description:
    'natural: calendar days; workingDays: Chinese working days (holidays and 调休 make-up days).',
});

/** JSON Logic expression (https://jsonlogic.com); checked by the checker, not by the schema. */
export const JsonLogic = z.unknown().meta({
  id: 'JsonLogic',
  description:
    'A JSON Logic expression; variables are case data paths, or $case.channel / $case.urgency / $case.repeat.',
});
export type JsonLogic = unknown;

/** Marks zod issues of a condition that is not a JSON Logic object, so the checker words them itself. */
export const CONDITION_NOT_OBJECT = 'lianxin:condition.notObject';

/**
 * A condition: a JSON Logic rule object such as `{ "==": [{ "var": "accepted" }, true] }`.
 * A bare string, number or boolean is refused: json-logic-js would take it as
 * a constant, so `"accepted == true"` would always hold.
 */
export const Condition = z
  .record(z.string(), z.unknown(), { error: () => CONDITION_NOT_OBJECT })
  .meta({
    id: 'Condition',
    description:
      'A JSON Logic rule object, e.g. { "==": [{ "var": "accepted" }, true] }; never a string, number or boolean.',
  });
export type Condition = z.infer<typeof Condition>;

/** A `byUrgency` entry with its own calendar, e.g. red: 1 working day while the others count natural days. */
export const UrgencyDeadline = z
  .strictObject({ duration: Duration, calendar: CalendarKind })
  .meta({ id: 'UrgencyDeadline' });
export type UrgencyDeadline = z.infer<typeof UrgencyDeadline>;

const deadlineFields = {
  duration: Duration,
  calendar: CalendarKind.default('natural'),
  byUrgency: z
    .partialRecord(UrgencyColour, z.union([Duration, UrgencyDeadline]))
    .optional()
    .meta({
      description:
        'Per urgency colour, a duration that replaces `duration` (in `calendar`), or `{ duration, calendar }` with a calendar of its own.',
    }),
  warningBefore: Duration.optional().meta({
    description:
      'Raise the due-soon warning this long before the deadline, counted in the deadline’s calendar (P3D on a working-day deadline = 3 working days).',
  }),
};

const ROLL_DESCRIPTION =
  'A period counted in days whose last day is a weekend or public holiday ends at the end of the next working day (民法典 第二百零三条; 调休 make-up days are working days).';

/**
 * A task's own deadline, counted from when the task opens. It does not roll
 * past holidays unless `rollOverHolidays` says so: internal time limits are
 * the county's own rule, not a statutory period.
 */
export const Deadline = z
  .strictObject({
    ...deadlineFields,
    rollOverHolidays: z.boolean().default(false).meta({ description: ROLL_DESCRIPTION }),
  })
  .meta({ id: 'Deadline' });
export type Deadline = z.infer<typeof Deadline>;

export const AssigneeRule = z
  .strictObject({
    role: Id.meta({ description: 'A role declared in the flow’s `roles`.' }),
    level: JurisdictionLevel.optional().meta({
      description: 'Whose jurisdiction: the case’s own (default) or the ancestor at this level.',
    }),
    department: z
      .union([z.string().min(1), z.strictObject({ var: VarName })])
      .optional()
      .meta({ description: 'A department code, or `{ "var": … }` to read it from case data.' }),
    group: Id.optional().meta({
      description: 'A candidate group declared in the flow’s `groups`.',
    }),
    prefer: z.enum(['firstHandler', 'leaderOwner']).optional().meta({
      description:
        'firstHandler: 首办责任制, give it to whoever first accepted the case; leaderOwner: the 包案 leader.',
    }),
  })
  .meta({ id: 'AssigneeRule' });
export type AssigneeRule = z.infer<typeof AssigneeRule>;

const nodeBase = {
  id: Id,
  name: LocalizedText,
  description: LocalizedText.optional(),
  position: z.strictObject({ x: z.number(), y: z.number() }).optional(),
};

const humanTaskFields = {
  form: Id.optional().meta({ description: 'The form this task fills (an id in `forms`).' }),
  assignee: AssigneeRule,
  deadline: Deadline.optional(),
  deadlineClock: Id.optional().meta({
    description:
      'Instead of a deadline of its own, the task is due when this statutory clock (an id in `clocks`) is due; an approved extension, a pause and a resume move the task too.',
  }),
  returnTo: z.array(Id).optional().meta({
    description: 'Earlier steps this task may be returned to (退回).',
  }),
  refusal: z
    .strictObject({
      backTo: Id.optional().meta({
        description: 'The case goes back to this earlier node (the whole step is done again).',
      }),
      redispatch: z
        .strictObject({
          assignee: AssigneeRule.meta({
            description: 'Who re-dispatches a refused share, e.g. the receptionist.',
          }),
          form: Id.meta({
            description:
              'The re-dispatch form (an id in `forms`), opened prefilled with the case data; it writes the list `over` (and `joint.lead`).',
          }),
          label: LocalizedText.optional().meta({
            description: 'Button text (default 重新分派 Re-dispatch).',
          }),
          deadline: Deadline.optional(),
        })
        .optional()
        .meta({
          description:
            'Multi-instance tasks only: a refusal sends only that share back; a re-dispatch task opens for `assignee` and the list it writes decides which departments are asked. Shares still open keep working; departments that have replied are not asked again.',
        }),
    })
    .optional()
    .meta({
      description:
        'The assignee may refuse it (拒签) with a reason: `backTo` sends the case back, `redispatch` (multi-instance) only the refusing share. Exactly one of the two.',
    }),
  extension: z
    .strictObject({ max: Duration.default('P15D'), times: z.int().min(1).default(1) })
    .optional()
    .meta({
      description:
        'The assignee may ask to extend the task’s own deadline (`deadline`), by at most `max`, `times` times; whoever approves a clock’s extension approves it (a leader, an admin, the 包案 leader). Never past the `joint.within` clock.',
    }),
};

/**
 * 主办/协办: one department (the lead, 主办) owns the reply and writes the
 * merged reply once every assisting department (协办) has contributed.
 */
export const JointHandling = z
  .strictObject({
    lead: VarName.meta({
      description:
        'Case data variable naming the lead department (主办单位); its share is the lead’s (added to the list when missing).',
    }),
    leadForm: Id.optional().meta({
      description: 'The merged reply form the lead fills (default: the node’s `form`).',
    }),
    assistDeadline: Deadline.optional().meta({
      description: 'Each assisting department’s own deadline (default: the node’s `deadline`).',
    }),
    within: Id.optional().meta({
      description:
        'A statutory clock (an id in `clocks`): no share is due after it, and no extension passes it.',
    }),
    merged: VarName.meta({
      description:
        'Case data variable that receives the merged reply: `{ department, by, at, data, contributions: [{ department, by, at, data }] }`.',
    }),
  })
  .meta({ id: 'JointHandling' });
export type JointHandling = z.infer<typeof JointHandling>;

export const StartNode = z
  .strictObject({
    ...nodeBase,
    kind: z.literal('start'),
    channels: z.array(Channel).min(1),
    form: Id.optional().meta({ description: 'Registration form filled by staff.' }),
    intakeForm: Id.optional().meta({ description: 'Public form for citizens (online channel).' }),
  })
  .meta({ id: 'StartNode', title: '开始 Start' });

export const TaskNode = z
  .strictObject({ ...nodeBase, kind: z.literal('task'), ...humanTaskFields })
  .meta({ id: 'TaskNode', title: '人工任务 Task' });

export const MultiTaskNode = z
  .strictObject({
    ...nodeBase,
    kind: z.literal('multiTask'),
    ...humanTaskFields,
    over: VarName.meta({ description: 'The case data list: one task per item.' }),
    itemVar: Id.default('item').meta({ description: 'Name under which each task sees its item.' }),
    collect: VarName.meta({ description: 'Case data list that receives each task’s form data.' }),
    joint: JointHandling.optional().meta({
      description:
        '主办/协办: a lead department writes the merged reply after the assisting departments’ contributions (then `collect` receives `{ department, role, by, at, data }`).',
    }),
  })
  .meta({ id: 'MultiTaskNode', title: '多实例任务 Multi-instance task' });

export const DecisionNode = z
  .strictObject({ ...nodeBase, kind: z.literal('decision') })
  .meta({ id: 'DecisionNode', title: '条件分支 Decision' });

export const ParallelNode = z
  .strictObject({ ...nodeBase, kind: z.literal('parallel') })
  .meta({ id: 'ParallelNode', title: '并行分支 Parallel split' });

export const JoinNode = z
  .strictObject({
    ...nodeBase,
    kind: z.literal('join'),
    mode: z.enum(['all', 'any']).default('all'),
  })
  .meta({ id: 'JoinNode', title: '汇聚 Join' });

export const TimerNode = z
  .strictObject({
    ...nodeBase,
    kind: z.literal('timer'),
    wait: z.strictObject({ duration: Duration, calendar: CalendarKind.default('natural') }),
  })
  .meta({ id: 'TimerNode', title: '等待 Timer' });

export const Operation = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('set'), var: VarName, value: JsonLogic }),
  z.strictObject({ op: z.literal('setUrgency'), value: JsonLogic }),
  z.strictObject({
    op: z.literal('notify'),
    to: z.union([z.enum(['petitioner', 'assignees', 'leaderOwner']), AssigneeRule]),
    message: LocalizedText,
  }),
  z.strictObject({ op: z.literal('escalate'), level: JurisdictionLevel }),
]);
export type Operation = z.infer<typeof Operation>;

export const ActionNode = z
  .strictObject({
    ...nodeBase,
    kind: z.literal('action'),
    operations: z.array(Operation).min(1),
  })
  .meta({ id: 'ActionNode', title: '自动操作 Automatic action' });

export const SubflowNode = z
  .strictObject({
    ...nodeBase,
    kind: z.literal('subflow'),
    flow: z.strictObject({ key: Id, version: z.int().min(1).optional() }),
    input: z.record(z.string(), JsonLogic).optional().meta({
      description: 'Child case data, each value a JSON Logic expression over the parent’s data.',
    }),
    outcomeVar: VarName.optional().meta({
      description: 'Parent variable that receives the child’s outcome.',
    }),
  })
  .meta({ id: 'SubflowNode', title: '子流程 Subflow' });

export const EndNode = z
  .strictObject({ ...nodeBase, kind: z.literal('end'), outcome: Outcome })
  .meta({ id: 'EndNode', title: '结束 End' });

export const FlowNode = z.discriminatedUnion('kind', [
  StartNode,
  TaskNode,
  MultiTaskNode,
  DecisionNode,
  ParallelNode,
  JoinNode,
  TimerNode,
  ActionNode,
  SubflowNode,
  EndNode,
]);
export type FlowNode = z.infer<typeof FlowNode>;
export type NodeKind = FlowNode['kind'];
export type NodeOfKind<K extends NodeKind> = Extract<FlowNode, { kind: K }>;
export const NODE_KINDS = [
  'start',
  'task',
  'multiTask',
  'decision',
  'parallel',
  'join',
  'timer',
  'action',
  'subflow',
  'end',
] as const satisfies readonly NodeKind[];

/** The node kinds where a person works a task (a form, an assignee, actions). */
export const HUMAN_STEP_KINDS = ['task', 'multiTask'] as const satisfies readonly NodeKind[];
export type HumanStepKind = (typeof HUMAN_STEP_KINDS)[number];

/**
 * Is this a human step? The one answer for the checker, the engine and the
 * designer: a task or a multi-instance task (one task per item of a list).
 */
export function isHumanStep<N extends { kind?: unknown }>(
  node: N | undefined | null,
): node is N & { kind: HumanStepKind } {
  return (
    node != null &&
    (HUMAN_STEP_KINDS as readonly unknown[]).includes((node as { kind?: unknown }).kind)
  );
}

/** What each node kind is called, for people (checker messages, designer palette). */
export const NODE_KIND_NAMES = {
  start: { 'zh-CN': '开始', en: 'Start' },
  task: { 'zh-CN': '人工任务', en: 'Task' },
  multiTask: { 'zh-CN': '多实例任务', en: 'Multi-instance task' },
  decision: { 'zh-CN': '条件分支', en: 'Decision' },
  parallel: { 'zh-CN': '并行分支', en: 'Parallel split' },
  join: { 'zh-CN': '汇聚', en: 'Join' },
  timer: { 'zh-CN': '等待', en: 'Timer' },
  action: { 'zh-CN': '自动操作', en: 'Automatic action' },
  subflow: { 'zh-CN': '子流程', en: 'Subflow' },
  end: { 'zh-CN': '结束', en: 'End' },
} as const satisfies Record<NodeKind, { 'zh-CN': string; en: string }>;

/** What each edge kind is called, for people (checker messages, designer). */
export const EDGE_KIND_NAMES = {
  next: { 'zh-CN': '顺序', en: 'Next' },
  action: { 'zh-CN': '按钮', en: 'Action' },
  condition: { 'zh-CN': '条件', en: 'Condition' },
  default: { 'zh-CN': '默认', en: 'Default' },
  deadline: { 'zh-CN': '超期', en: 'Deadline' },
} as const satisfies Record<EdgeKind, { 'zh-CN': string; en: string }>;

export const DOCUMENT_KINDS = [
  'receipt',
  'acceptance',
  'nonAcceptance',
  'transfer',
  'opinion',
  'review',
  'reReview',
] as const;
/**
 * Statutory documents (文书) a transition issues to the petitioner (信访工作条例):
 * 回执, 受理告知书, 不予受理告知书, 转送告知书, 处理意见书, 复查意见书, 复核意见书.
 */
export const DocumentKind = z.enum(DOCUMENT_KINDS);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** What each document is called, for people (screens, the PDF's title, checker messages). */
export const DOCUMENT_KIND_NAMES = {
  receipt: { 'zh-CN': '来访登记回执', en: 'Walk-in receipt' },
  acceptance: { 'zh-CN': '受理告知书', en: 'Notice of acceptance' },
  nonAcceptance: { 'zh-CN': '不予受理告知书', en: 'Notice of non-acceptance' },
  transfer: { 'zh-CN': '转送告知书', en: 'Notice of transfer' },
  opinion: { 'zh-CN': '处理意见书', en: 'Handling opinion' },
  review: { 'zh-CN': '复查意见书', en: 'Review opinion' },
  reReview: { 'zh-CN': '复核意见书', en: 'Re-review opinion' },
} as const satisfies Record<DocumentKind, { 'zh-CN': string; en: string }>;

const edgeBase = {
  id: Id,
  from: Id,
  to: Id,
  label: LocalizedText.optional(),
  documents: z.array(DocumentKind).optional().meta({
    description:
      'Statutory documents (文书) issued when a case takes this edge, in the same transaction: each gets the next 文号 of its county, kind and year, and is rendered from the county’s template to a PDF for the petitioner. E.g. ["acceptance"] on the 受理 button.',
  }),
};

export const NextEdge = z.strictObject({ ...edgeBase, kind: z.literal('next') }).meta({
  id: 'NextEdge',
  description: 'Unconditional sequence out of an automatic node or a parallel split.',
});

export const ActionEdge = z
  .strictObject({
    ...edgeBase,
    kind: z.literal('action'),
    action: Id.meta({ description: 'Stable action name, unique among one task’s actions.' }),
    label: LocalizedText.meta({ description: 'Button text.' }),
    form: Id.optional().meta({
      description: 'A small form of its own, e.g. the reason for declining.',
    }),
    roles: z.array(Id).optional().meta({ description: 'Only these roles see the button.' }),
    style: z.enum(['primary', 'default', 'danger']).optional(),
  })
  .meta({ id: 'ActionEdge', description: 'A button on a task; pressing it completes the task.' });

export const ConditionEdge = z
  .strictObject({
    ...edgeBase,
    kind: z.literal('condition'),
    // Optional so the designer can hold a new edge before the admin builds its
    // condition; the checker refuses to publish it (`condition.missing`).
    condition: Condition.optional(),
  })
  .meta({
    id: 'ConditionEdge',
    description: 'Out of a decision; taken when its condition holds (edge order).',
  });

export const DefaultEdge = z
  .strictObject({ ...edgeBase, kind: z.literal('default') })
  .meta({ id: 'DefaultEdge', description: 'Out of a decision; taken when no condition holds.' });

export const DeadlineEdge = z
  .strictObject({ ...edgeBase, kind: z.literal('deadline'), on: z.enum(['warning', 'overdue']) })
  .meta({
    id: 'DeadlineEdge',
    description:
      'Out of a task with a deadline: when it turns due-soon or overdue the task closes and the case moves on this edge.',
  });

export const FlowEdge = z.discriminatedUnion('kind', [
  NextEdge,
  ActionEdge,
  ConditionEdge,
  DefaultEdge,
  DeadlineEdge,
]);
export type FlowEdge = z.infer<typeof FlowEdge>;
export type EdgeKind = FlowEdge['kind'];

/** The edge kinds a node of each kind may start: the checker enforces it, the designer offers only these. */
export const OUTGOING_EDGE_KINDS = {
  start: ['next'],
  task: ['action', 'deadline'],
  multiTask: ['action', 'deadline'],
  decision: ['condition', 'default'],
  parallel: ['next'],
  join: ['next'],
  timer: ['next'],
  action: ['next'],
  subflow: ['next'],
  end: [],
} as const satisfies Record<NodeKind, readonly EdgeKind[]>;

/**
 * A statutory clock's deadline: statutory periods roll past holidays unless
 * the flow says otherwise (民法典 第二百零三条).
 */
export const ClockDeadline = z
  .strictObject({
    ...deadlineFields,
    rollOverHolidays: z.boolean().default(true).meta({ description: ROLL_DESCRIPTION }),
  })
  .meta({ id: 'ClockDeadline' });
export type ClockDeadline = z.infer<typeof ClockDeadline>;

const ClockPoint = z.union([
  z.strictObject({ on: z.literal('caseStart') }),
  z.strictObject({ on: z.enum(['enter', 'leave']), node: Id }),
]);

/**
 * What a clock says when it stops while standing still (`clock.resumed` with `stopping`): the
 * engine records the Chinese as the resume's reason; the case page and the simulation show it in
 * the reader's language.
 */
export const CLOCK_STOPPED_WHILE_PAUSED = {
  'zh-CN': '计时结束，暂停期间不计入期限',
  en: 'The clock stopped; the time it stood still is not counted',
} as const satisfies Bilingual;

export const StatutoryClock = z
  .strictObject({
    id: Id,
    name: LocalizedText,
    start: ClockPoint,
    stop: ClockPoint,
    deadline: ClockDeadline,
    pause: z.array(Id).optional().meta({
      description:
        'Steps (node ids) at which the clock stands still: while any branch of the case is at one of them (补正材料, 鉴定, 听证: "the time for X is not counted"), no time is counted; entering the first pauses the clock, leaving the last resumes it and the due date moves by the whole days spent there (a clock counting working days: by the whole working days of the time there that fell on working days), to the end of the next working day if it then falls on a rest day and the deadline rolls off them. The checker warns about a pause step that is the clock\'s start or stop step, or not a human or waiting step.',
    }),
    extension: z
      .strictObject({ max: Duration.default('P30D'), times: z.int().min(1).default(1) })
      .optional()
      .meta({
        description:
          'Approved extensions allowed: by default once, by at most P30D (信访工作条例 第三十二条); the checker warns when a flow allows more.',
      }),
  })
  .meta({
    id: 'StatutoryClock',
    description: 'A case-level statutory deadline, e.g. acceptance within 15 days of receipt.',
  });
export type StatutoryClock = z.infer<typeof StatutoryClock>;

/**
 * Roles every office has whatever its flows declare: a flow's case-command
 * rules may name them without declaring them in `roles`.
 */
export const OFFICE_ROLES = {
  receptionist: { 'zh-CN': '接访员', en: 'Receptionist' },
  leader: { 'zh-CN': '领导', en: 'Leader' },
  admin: { 'zh-CN': '管理员', en: 'Administrator' },
  supervisor: { 'zh-CN': '督查', en: 'Supervisor' },
} as const satisfies Record<string, { 'zh-CN': string; en: string }>;

/**
 * The roles a person can hold (the admin page grants only these, the server
 * accepts no other). A flow's roles are picked from them, each under a name of
 * the flow's own if it likes (分管领导 for leader).
 */
export const SYSTEM_ROLES = {
  admin: { 'zh-CN': '管理员', en: 'Administrator' },
  receptionist: { 'zh-CN': '接访员', en: 'Receptionist' },
  handler: { 'zh-CN': '部门办理人', en: 'Department handler' },
  lawyer: { 'zh-CN': '律师', en: 'Lawyer' },
  mediator: { 'zh-CN': '调解员', en: 'Mediator' },
  socialWorker: { 'zh-CN': '社工', en: 'Social worker' },
  leader: { 'zh-CN': '领导', en: 'Leader' },
  supervisor: { 'zh-CN': '督查', en: 'Supervisor' },
  coordinator: { 'zh-CN': '协调员', en: 'Coordinator' },
  reviewer: { 'zh-CN': '复查复核审核人', en: 'Reviewer' },
  courtLiaison: { 'zh-CN': '法院联络员', en: 'Court liaison' },
  associationClerk: { 'zh-CN': '行业协会干事', en: 'Association clerk' },
  appraiser: { 'zh-CN': '鉴定人', en: 'Appraiser' },
  // the 信访超市's guides and its pool of outside professionals, the 涉侨 room's notary contact
  guide: { 'zh-CN': '导服员', en: 'Guide' },
  talent: { 'zh-CN': '外送服务人员', en: 'Outreach professional' },
  notaryLiaison: { 'zh-CN': '公证联络员', en: 'Notary liaison' },
} as const satisfies Record<string, { 'zh-CN': string; en: string }>;
export type SystemRole = keyof typeof SYSTEM_ROLES;

/** Case-level commands whose givers a flow declares (`caseCommands`). */
export const CASE_COMMANDS = [
  'case.comment',
  'case.attach',
  'case.setUrgency',
  'case.setLeader',
  'case.withdraw',
  'case.cancel',
  'case.supervise',
  'case.answerSupervision',
  'case.closeSupervision',
] as const;
export type CaseCommand = (typeof CASE_COMMANDS)[number];

/** What each case-level command is called, for people (designer, docs, refusals). */
export const CASE_COMMAND_NAMES = {
  'case.comment': { 'zh-CN': '添加备注', en: 'Comment' },
  'case.attach': { 'zh-CN': '上传附件', en: 'Attach a file' },
  'case.setUrgency': { 'zh-CN': '设置预警颜色', en: 'Set the urgency colour' },
  'case.setLeader': { 'zh-CN': '指定包案领导', en: 'Set the owning leader' },
  'case.withdraw': { 'zh-CN': '撤回（信访人撤回）', en: 'Withdraw (the petitioner withdraws)' },
  'case.cancel': { 'zh-CN': '作废', en: 'Cancel (void)' },
  'case.supervise': { 'zh-CN': '督办', en: 'Issue a supervision order' },
  'case.answerSupervision': { 'zh-CN': '答复督办', en: 'Answer a supervision order' },
  'case.closeSupervision': { 'zh-CN': '结束督办', en: 'Close a supervision order' },
} as const satisfies Record<CaseCommand, { 'zh-CN': string; en: string }>;

/**
 * Who may give one case-level command: whoever matches any of the entries.
 * Roles are held in the case's jurisdiction or above (as an action edge's
 * `roles`); `registeringOffice` roles count only in the office that
 * registered the case (its receiving jurisdiction, 登记机关).
 */
export const CaseCommandRule = z
  .strictObject({
    anyone: z.boolean().default(false).meta({
      description:
        'Anyone who may act on the case at all (every role in its jurisdiction or above).',
    }),
    roles: z.array(Id).default([]).meta({
      description:
        'Roles that may give it, held in the case’s jurisdiction or above: roles declared in `roles`, or receptionist, leader, admin.',
    }),
    registeringOffice: z.array(Id).default([]).meta({
      description:
        'Roles that may give it only when held in the office that registered the case (its receiving jurisdiction).',
    }),
    workers: z.boolean().default(false).meta({
      description: 'Also whoever may work one of the case’s open tasks.',
    }),
    leaderOwner: z.boolean().default(false).meta({
      description: 'Also the case’s 包案 leader.',
    }),
  })
  .meta({ id: 'CaseCommandRule' });
export type CaseCommandRule = z.infer<typeof CaseCommandRule>;

/**
 * The safe defaults: withdrawal (信访人撤回, recorded by the office that
 * received the petition) and cancellation by the registering office's
 * receptionists and admins; the colour and the 包案 leader by leaders and
 * admins; comments and attachments by anyone who may act on the case;
 * supervision orders (督办) issued and closed by leaders, supervisors (督查)
 * and admins of the case's jurisdiction or above, answered by whoever works
 * the case or owns it (and always by the order's own addressee).
 */
export const DEFAULT_CASE_COMMANDS = {
  'case.comment': { anyone: true },
  'case.attach': { anyone: true },
  'case.setUrgency': { roles: ['leader', 'admin'], leaderOwner: true },
  'case.setLeader': { roles: ['leader', 'admin'] },
  'case.withdraw': { roles: ['admin'], registeringOffice: ['receptionist'] },
  'case.cancel': { roles: ['admin'], registeringOffice: ['receptionist'] },
  'case.supervise': { roles: ['leader', 'supervisor', 'admin'] },
  'case.answerSupervision': { workers: true, leaderOwner: true },
  'case.closeSupervision': { roles: ['leader', 'supervisor', 'admin'] },
} as const satisfies Record<CaseCommand, z.input<typeof CaseCommandRule>>;

export const CaseCommands = z
  .strictObject(
    Object.fromEntries(
      CASE_COMMANDS.map((c) => [c, CaseCommandRule.prefault(DEFAULT_CASE_COMMANDS[c])]),
    ) as { [C in CaseCommand]: z.ZodPrefault<typeof CaseCommandRule> },
  )
  .prefault({})
  .meta({
    id: 'CaseCommands',
    description:
      'Who may give each case-level command; a command left out keeps its default (see docs/formats.md).',
  });
export type CaseCommands = z.infer<typeof CaseCommands>;

export const FlowDefinition = z
  .strictObject({
    $schema: z.string().optional(),
    formatVersion: z.literal(FLOW_FORMAT_VERSION),
    key: Id,
    version: z.int().min(1),
    name: LocalizedText,
    description: LocalizedText.optional(),
    jurisdiction: z
      .string()
      .regex(/^\d{6}$/)
      .meta({ description: 'Owning jurisdiction, GB/T 2260 code, e.g. 440781 (台山市).' }),
    extends: z
      .strictObject({ template: Id, version: z.int().min(1) })
      .optional()
      .meta({ description: 'The template version this flow was adopted from.' }),
    roles: z.array(z.strictObject({ id: Id, name: LocalizedText })).min(1),
    groups: z
      .array(z.strictObject({ id: Id, name: LocalizedText, role: Id.optional() }))
      .optional()
      .meta({ description: 'Candidate groups, e.g. the talent pool of lawyers (人才库).' }),
    urgencyLabels: z.partialRecord(UrgencyColour, LocalizedText).optional().meta({
      description: 'What each colour means in this county, e.g. red = 急事.',
    }),
    dataSchema: z.record(z.string(), z.unknown()).meta({
      description: 'JSON Schema (draft 2020-12 subset that ajv compiles) of the case data.',
    }),
    caseTitle: VarName.optional().meta({
      description:
        'The case data field that is the case’s title (e.g. `summary`, 诉求摘要): shown at the top of the case and as the title column of every list and export. Must be in `dataSchema` and not `x-sensitive`.',
    }),
    caseSummary: VarName.optional().meta({
      description:
        'The case data field that says what the petitioner asks for in full (e.g. `requests`, 具体诉求): shown under the title on the case page, shortened in lists. Must be in `dataSchema` and not `x-sensitive`.',
    }),
    forms: z.array(FormDefinition).default([]),
    clocks: z.array(StatutoryClock).default([]),
    caseCommands: CaseCommands,
    nodes: z.array(FlowNode).min(1),
    edges: z.array(FlowEdge),
  })
  .meta({
    id: 'FlowDefinition',
    title: 'Lianxin flow definition 连心流程定义',
  });
export type FlowDefinition = z.infer<typeof FlowDefinition>;
export type FlowDefinitionInput = z.input<typeof FlowDefinition>;
