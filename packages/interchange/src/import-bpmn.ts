import {
  type CHANNELS,
  checkFlow,
  DURATION_PATTERN,
  FLOW_FORMAT_VERSION,
  type FlowDefinitionInput,
  type LocalizedText,
  NODE_KIND_NAMES,
  type NodeKind,
  OFFICE_ROLES,
  type Problem,
} from '@lianxin/spec';
import { layoutFlow } from './export-bpmn';
import { convertCondition, type VarKind } from './expression';
import {
  createModdle,
  lianxinData,
  type ModdleElement,
  VendorReader,
  vendorPrefixes,
} from './moddle';
import { type InterchangeProblem, interchangeProblem } from './problems';

type Json = Record<string, unknown>;
type NodeInput = FlowDefinitionInput['nodes'][number];
type EdgeInput = FlowDefinitionInput['edges'][number];
type Role = { id: string; name: LocalizedText };

export interface BpmnImportOptions {
  /** Candidate group or lane name → the Lianxin role id it stands for (the import dialog's mapping). */
  roleMap?: Record<string, string>;
  /** Roles the flow may use besides those it creates (e.g. the office's roles): a group named as one maps to it. */
  roles?: Role[];
  /** Forms already brought in (by `importForm`): a task's form key that names one is kept. */
  forms?: NonNullable<FlowDefinitionInput['forms']>;
  /** Owning jurisdiction (GB/T 2260 code) of the new flow. */
  jurisdiction?: string;
  /** The start node's channels (default: visit, letter, phone, hotline, grid). */
  channels?: (typeof CHANNELS)[number][];
}

export interface BpmnImportResult {
  /** The flow, or undefined when the file could not be read as BPMN at all. */
  flow: FlowDefinitionInput | undefined;
  /** What the import could not carry over, each located by its BPMN element. */
  problems: InterchangeProblem[];
  /** The spec checker's problems with the imported flow (what the admin must finish). */
  checker: Problem[];
  /** Candidate groups and lanes no role was mapped to (a role was created for each): what the import dialog asks about. */
  unmappedGroups: string[];
}

const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]*$/;
const DEFAULT_ROLE: Role = { id: 'handler', name: { 'zh-CN': '办理人', en: 'Handler' } };
/** Placeholder jurisdiction when the caller gives none; a problem says to set it. */
const UNSET_JURISDICTION = '000000';

/** A Lianxin id from a BPMN id or name: letters, digits, _ and -, starting with a letter. */
export function toId(raw: string, fallback = 'id'): string {
  let id = raw.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
  if (!id) id = fallback;
  if (!/^[A-Za-z]/.test(id)) id = `${fallback}_${id}`;
  return id;
}

const text = (s: string): LocalizedText => ({ 'zh-CN': s });
const cleanName = (s: unknown): string | undefined =>
  typeof s === 'string' && s.trim() ? s.replace(/\s+/g, ' ').trim() : undefined;

const UNSUPPORTED_NAMES: Record<string, [string, string]> = {
  'bpmn:ServiceTask': ['服务任务', 'service task'],
  'bpmn:ScriptTask': ['脚本任务', 'script task'],
  'bpmn:SendTask': ['发送任务', 'send task'],
  'bpmn:ReceiveTask': ['接收任务', 'receive task'],
  'bpmn:BusinessRuleTask': ['业务规则任务', 'business rule task'],
  'bpmn:SubProcess': ['内嵌子流程', 'embedded subprocess'],
  'bpmn:Transaction': ['事务子流程', 'transaction'],
  'bpmn:AdHocSubProcess': ['自由子流程', 'ad-hoc subprocess'],
  'bpmn:InclusiveGateway': ['包容网关', 'inclusive gateway'],
  'bpmn:ComplexGateway': ['复杂网关', 'complex gateway'],
  'bpmn:EventBasedGateway': ['事件网关', 'event-based gateway'],
};

const EVENT_NAMES: Record<string, [string, string]> = {
  'bpmn:MessageEventDefinition': ['消息', 'message'],
  'bpmn:SignalEventDefinition': ['信号', 'signal'],
  'bpmn:TimerEventDefinition': ['定时', 'timer'],
  'bpmn:ErrorEventDefinition': ['错误', 'error'],
  'bpmn:EscalationEventDefinition': ['升级', 'escalation'],
  'bpmn:CompensateEventDefinition': ['补偿', 'compensation'],
  'bpmn:ConditionalEventDefinition': ['条件', 'conditional'],
  'bpmn:LinkEventDefinition': ['链接', 'link'],
  'bpmn:CancelEventDefinition': ['取消', 'cancel'],
  'bpmn:TerminateEventDefinition': ['终止', 'terminate'],
};
const eventName = (def: ModdleElement | undefined): [string, string] =>
  (def && EVENT_NAMES[def.$type]) ?? ['未知', 'unknown'];

/** How one BPMN flow node is carried over. */
type Mapping =
  | { as: 'node'; node: NodeInput /** a split parallel gateway's second half */; split?: string }
  | { as: 'bridge' }
  | { as: 'drop' }
  | { as: 'deadline'; task: string; duration: string | undefined };

class Importer {
  readonly problems: InterchangeProblem[] = [];
  readonly roles = new Map<string, Role>();
  readonly unknownGroups = new Map<string, string[]>();
  /** Roles created for unmapped groups and lanes, by group name. */
  private readonly groupRoles = new Map<string, string>();
  readonly variables = new Map<string, VarKind | undefined>();
  readonly ids = new Map<string, string>();
  private readonly used = new Set<string>();
  readonly positions = new Map<string, { x: number; y: number }>();
  readonly lanes = new Map<string, string>();
  private readonly reader: VendorReader;
  private readonly knownRoles: Role[];

  constructor(
    readonly defs: ModdleElement,
    readonly options: BpmnImportOptions,
  ) {
    this.reader = new VendorReader(vendorPrefixes(defs));
    this.knownRoles = options.roles ?? [];
  }

  problem(
    code: InterchangeProblem['code'],
    el: ModdleElement | undefined,
    zh: string,
    en: string,
    severity: 'error' | 'warning' = 'warning',
  ) {
    this.problems.push(
      interchangeProblem(code, zh, en, { element: el?.id, name: cleanName(el?.name) }, severity),
    );
  }

  /** The Lianxin node id of a BPMN element, unique in the flow. */
  idOf(bpmnId: string): string {
    const known = this.ids.get(bpmnId);
    if (known) return known;
    let id = ID_PATTERN.test(bpmnId) ? bpmnId : toId(bpmnId, 'n');
    for (let i = 2; this.used.has(id); i++) id = `${toId(bpmnId, 'n')}_${i}`;
    this.used.add(id);
    this.ids.set(bpmnId, id);
    return id;
  }

  readDiagram() {
    for (const diagram of this.defs.diagrams ?? []) {
      for (const el of diagram.plane?.planeElement ?? []) {
        if (el.$type === 'bpmndi:BPMNShape' && el.bpmnElement?.id && el.bounds)
          this.positions.set(el.bpmnElement.id, { x: el.bounds.x, y: el.bounds.y });
      }
    }
  }

  readLanes(process: ModdleElement) {
    const walk = (sets: ModdleElement[] | undefined) => {
      for (const set of sets ?? []) {
        for (const lane of set.lanes ?? []) {
          const name = cleanName(lane.name);
          if (name) for (const ref of lane.flowNodeRef ?? []) this.lanes.set(ref.id, name);
          walk(lane.childLaneSet ? [lane.childLaneSet] : undefined);
        }
      }
    };
    walk(process.laneSets);
  }

  /** The role a candidate group or lane stands for: mapped, declared, or created from its name. */
  roleFor(group: string, el: ModdleElement): string {
    const mapped = this.options.roleMap?.[group];
    if (mapped) {
      const declared = this.knownRoles.find((r) => r.id === mapped);
      const office = (OFFICE_ROLES as Record<string, LocalizedText | undefined>)[mapped];
      if (!this.roles.has(mapped))
        this.roles.set(mapped, declared ?? { id: mapped, name: office ?? text(group) });
      return mapped;
    }
    const declared = this.knownRoles.find((r) => r.id === group || r.name['zh-CN'] === group);
    if (declared) {
      this.roles.set(declared.id, declared);
      return declared.id;
    }
    let id = this.groupRoles.get(group);
    if (!id) {
      const wanted = toId(group, 'role');
      id = wanted;
      for (let i = 2; this.roles.has(id); i++) id = `${wanted}${i}`;
      this.groupRoles.set(group, id);
      this.roles.set(id, { id, name: text(group) });
    }
    const list = this.unknownGroups.get(group) ?? [];
    if (el.id) list.push(el.id);
    this.unknownGroups.set(group, list);
    return id;
  }

  defaultRole(el: ModdleElement): string {
    const lane = el.id ? this.lanes.get(el.id) : undefined;
    if (lane) return this.roleFor(lane, el);
    if (!this.roles.has(DEFAULT_ROLE.id)) this.roles.set(DEFAULT_ROLE.id, DEFAULT_ROLE);
    return DEFAULT_ROLE.id;
  }

  nameOf(el: ModdleElement, kind: NodeKind): LocalizedText {
    return text(cleanName(el.name) ?? NODE_KIND_NAMES[kind]['zh-CN']);
  }

  base(el: ModdleElement, kind: NodeKind) {
    const id = this.idOf(el.id as string);
    const position = this.positions.get(el.id as string);
    return { id, name: this.nameOf(el, kind), ...(position ? { position } : {}) };
  }

  /** A form key (`embedded:app:forms/x.html`, `camunda-forms:bpmn:Form_1`, `x.form`) as a form id. */
  formFor(el: ModdleElement): string | undefined {
    const zeebe = this.reader.elements(el, 'zeebe', 'formDefinition')[0];
    const key =
      this.reader.attr(el, 'formKey') ??
      (zeebe?.formId as string | undefined) ??
      (zeebe?.formKey as string | undefined);
    if (!key) return undefined;
    const last = key.split(/[:/]/).pop() ?? key;
    const id = toId(last.replace(/\.(form|json|html?)$/i, ''), 'form');
    if (this.options.forms?.some((f) => f.id === id)) return id;
    this.problem(
      'bpmn.form',
      el,
      `表单 “${key}” 不在流程的表单中，未关联；请先导入该表单（form-js 或 Form.io JSON）再在任务上选择`,
      `form "${key}" is not among the flow's forms and was not linked; import the form (form-js or Form.io JSON) first, then choose it on the task`,
    );
    return undefined;
  }

  /** A user task's assignee rule from candidate groups, potential owners, its lane or the default role. */
  assigneeFor(el: ModdleElement): { role: string } {
    const zeebe = this.reader.elements(el, 'zeebe', 'assignmentDefinition')[0];
    const groupsText =
      this.reader.attr(el, 'candidateGroups') ?? (zeebe?.candidateGroups as string | undefined);
    // A FEEL list of strings (`=["a", "b"]`) is a static list too.
    const listed = (groupsText ?? '').replace(/^=\s*\[(.*)\]\s*$/, '$1');
    const groups = listed
      .split(',')
      .map((g) => g.trim().replace(/^(["'])(.*)\1$/, '$2'))
      .filter(Boolean);
    for (const owner of el.resources ?? []) {
      if (owner.$type !== 'bpmn:PotentialOwner') continue;
      const body = cleanName(owner.resourceAssignmentExpression?.expression?.body);
      const m = body && /^group\((.+)\)$/.exec(body);
      if (body) groups.push(m ? (m[1] as string).trim() : body);
    }
    const assignee = this.reader.attr(el, 'assignee') ?? (zeebe?.assignee as string | undefined);
    const users =
      this.reader.attr(el, 'candidateUsers') ?? (zeebe?.candidateUsers as string | undefined);
    if (assignee || users)
      this.problem(
        'bpmn.assignee',
        el,
        `指定的办理人${assignee ? ` “${assignee}”` : ''}${users ? `、候选人 “${users}”` : ''}没有对应：连心按角色分派任务，已分派给${groups.length ? '候选组的角色' : '泳道或默认角色'}`,
        `the assignee${assignee ? ` "${assignee}"` : ''}${users ? ` and candidate users "${users}"` : ''} have no equivalent: Lianxin assigns tasks by role, so the task goes to ${groups.length ? 'the candidate group’s role' : 'the lane’s or the default role'}`,
      );
    const feelExpression = /^=/.test(groupsText ?? '') && !/^=\s*\[.*\]\s*$/.test(groupsText ?? '');
    if (feelExpression || groups.some((g) => /[${}#()"'[\]=+]/.test(g))) {
      this.problem(
        'bpmn.groups',
        el,
        `候选组表达式 “${groupsText}” 无法转换，已分派给泳道或默认角色`,
        `the candidate group expression "${groupsText}" cannot be converted; the task goes to the lane’s or the default role`,
      );
      return { role: this.defaultRole(el) };
    }
    if (!groups.length) return { role: this.defaultRole(el) };
    if (groups.length > 1)
      this.problem(
        'bpmn.groups',
        el,
        `连心的任务只有一个角色：用了第一个候选组 “${groups[0]}”，其余（${groups.slice(1).join('、')}）未带入`,
        `a Lianxin task has one role: the first candidate group "${groups[0]}" is used, the others (${groups.slice(1).join(', ')}) are not`,
      );
    return { role: this.roleFor(groups[0] as string, el) };
  }

  /** A task's due date as a deadline when it is an ISO duration. */
  deadlineFor(el: ModdleElement): { duration: string; calendar: 'natural' } | undefined {
    const zeebe = this.reader.elements(el, 'zeebe', 'taskSchedule')[0];
    const due = this.reader.attr(el, 'dueDate') ?? (zeebe?.dueDate as string | undefined);
    if (!due) return undefined;
    if (DURATION_PATTERN.test(due)) return { duration: due, calendar: 'natural' };
    this.problem(
      'bpmn.dueDate',
      el,
      `到期时间 “${due}” 不是时长（如 P15D），未设为期限`,
      `the due date "${due}" is not a duration (such as P15D) and was not made a deadline`,
    );
    return undefined;
  }

  timerDuration(el: ModdleElement, def: ModdleElement): string | undefined {
    const body = cleanName(def.timeDuration?.body)?.replace(/^=\s*/, '');
    if (body && DURATION_PATTERN.test(body)) return body;
    const what = def.timeDate ? '日期' : def.timeCycle ? '周期' : '时长';
    const whatEn = def.timeDate ? 'date' : def.timeCycle ? 'cycle' : 'duration';
    const shown =
      cleanName(def.timeDuration?.body ?? def.timeDate?.body ?? def.timeCycle?.body) ?? '';
    this.problem(
      'bpmn.timer',
      el,
      `定时${what} “${shown}” 无法转换：连心只支持 ISO 时长（如 P3D）`,
      `the timer ${whatEn} "${shown}" cannot be converted: Lianxin supports ISO durations (such as P3D) only`,
    );
    return undefined;
  }

  /** A node a person finishes by hand, standing in for an element without an equivalent. */
  placeholder(el: ModdleElement, zhWhat: string, enWhat: string): Mapping {
    return {
      as: 'node',
      node: {
        ...this.base(el, 'task'),
        kind: 'task',
        assignee: { role: this.defaultRole(el) },
        description: {
          'zh-CN': `由 BPMN ${zhWhat} 导入的占位任务：连心没有对应的节点，请改为合适的节点`,
          en: `Placeholder for a BPMN ${enWhat}: Lianxin has no equivalent node; replace it`,
        },
      },
    };
  }

  unsupported(el: ModdleElement, zhWhat: string, enWhat: string, extraZh = '', extraEn = '') {
    this.problem(
      'bpmn.unsupported',
      el,
      `${zhWhat}没有对应的连心节点，已导入为占位任务，需要改为合适的节点${extraZh}`,
      `a ${enWhat} has no Lianxin equivalent; it was imported as a placeholder task to replace${extraEn}`,
    );
    return this.placeholder(el, zhWhat, enWhat);
  }

  map(el: ModdleElement, incoming: number, outgoing: number, starts: ModdleElement[]): Mapping {
    const own = lianxinData(el, 'Node') as Json | undefined;
    if (own && typeof own === 'object') {
      if (own.boundary === true) return { as: 'drop' };
      const position = this.positions.get(el.id as string);
      const id = typeof own.id === 'string' ? own.id : this.idOf(el.id as string);
      this.ids.set(el.id as string, id);
      this.used.add(id);
      return { as: 'node', node: { ...own, ...(position ? { position } : {}) } as NodeInput };
    }
    const defs: ModdleElement[] = el.eventDefinitions ?? [];
    const def = defs[0];
    switch (el.$type) {
      case 'bpmn:StartEvent': {
        if (el !== starts[0]) {
          this.problem(
            'bpmn.startEvents',
            el,
            '连心流程只有一个开始节点：这个开始事件及从它出发的连线未导入',
            'a Lianxin flow has one start: this start event (and its outgoing flows) was not imported',
          );
          return { as: 'drop' };
        }
        if (def) {
          const [zh, en] = eventName(def);
          this.problem(
            'bpmn.eventDefinition',
            el,
            `${zh}开始事件按普通开始导入：案件由登记开始，不由${zh}触发`,
            `a ${en} start event was imported as a plain start: cases start at registration, not on a ${en}`,
          );
        }
        const form = this.formFor(el);
        return {
          as: 'node',
          node: {
            ...this.base(el, 'start'),
            kind: 'start',
            channels: this.options.channels ?? ['visit', 'letter', 'phone', 'hotline', 'grid'],
            ...(form ? { form } : {}),
          },
        };
      }
      case 'bpmn:EndEvent': {
        if (def && def.$type !== 'bpmn:TerminateEventDefinition') {
          const [zh, en] = eventName(def);
          this.problem(
            'bpmn.eventDefinition',
            el,
            `${zh}结束事件按普通结束导入，${zh}不会发出`,
            `a ${en} end event was imported as a plain end; no ${en} is thrown`,
          );
        }
        return { as: 'node', node: { ...this.base(el, 'end'), kind: 'end', outcome: 'resolved' } };
      }
      case 'bpmn:UserTask':
      case 'bpmn:ManualTask':
      case 'bpmn:Task':
        return this.task(el);
      case 'bpmn:ExclusiveGateway':
        if (outgoing <= 1) return { as: 'bridge' };
        return { as: 'node', node: { ...this.base(el, 'decision'), kind: 'decision' } };
      case 'bpmn:ParallelGateway': {
        if (outgoing <= 1 && incoming <= 1) return { as: 'bridge' };
        if (outgoing > 1 && incoming > 1) {
          const join = { ...this.base(el, 'join'), kind: 'join' as const };
          const split = this.idOf(`${el.id}-split`);
          return { as: 'node', node: join, split };
        }
        if (outgoing > 1)
          return { as: 'node', node: { ...this.base(el, 'parallel'), kind: 'parallel' } };
        return { as: 'node', node: { ...this.base(el, 'join'), kind: 'join' } };
      }
      case 'bpmn:IntermediateCatchEvent': {
        if (def?.$type === 'bpmn:TimerEventDefinition') {
          const duration = this.timerDuration(el, def);
          if (duration)
            return {
              as: 'node',
              node: {
                ...this.base(el, 'timer'),
                kind: 'timer',
                wait: { duration, calendar: 'natural' },
              },
            };
          return this.placeholder(el, '定时事件', 'timer event');
        }
        const [zh, en] = eventName(def);
        return this.unsupported(el, `${zh}中间捕获事件`, `${en} intermediate catch event`);
      }
      case 'bpmn:IntermediateThrowEvent': {
        const [zh, en] = def ? eventName(def) : ['无类型', 'none'];
        this.problem(
          'bpmn.eventDefinition',
          el,
          `${zh}中间抛出事件没有对应，已去掉，前后连线直接相连`,
          `a ${en} intermediate throw event has no equivalent; it was removed and its sequence flows joined`,
        );
        return { as: 'bridge' };
      }
      case 'bpmn:BoundaryEvent':
        return this.boundary(el, def);
      case 'bpmn:CallActivity':
        return this.callActivity(el);
      default: {
        const known = UNSUPPORTED_NAMES[el.$type];
        if (known) {
          const inner = (el.flowElements as ModdleElement[] | undefined)?.filter(
            (e) => e.$type !== 'bpmn:SequenceFlow',
          ).length;
          return this.unsupported(
            el,
            known[0],
            known[1],
            inner ? `；其中的 ${inner} 个元素未导入` : '',
            inner ? `; its ${inner} inner elements were not imported` : '',
          );
        }
        this.problem(
          'bpmn.unsupported',
          el,
          `BPMN 元素 ${el.$type} 没有对应，未导入`,
          `BPMN element ${el.$type} has no equivalent and was not imported`,
        );
        return { as: 'drop' };
      }
    }
  }

  task(el: ModdleElement): Mapping {
    const form = el.$type === 'bpmn:UserTask' ? this.formFor(el) : undefined;
    const deadline = el.$type === 'bpmn:UserTask' ? this.deadlineFor(el) : undefined;
    const assignee =
      el.$type === 'bpmn:UserTask' ? this.assigneeFor(el) : { role: this.defaultRole(el) };
    const common = {
      assignee,
      ...(form ? { form } : {}),
      ...(deadline ? { deadline } : {}),
    };
    const loop = el.loopCharacteristics as ModdleElement | undefined;
    if (loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
      const zeebe = this.reader.elements(loop, 'zeebe', 'loopCharacteristics')[0];
      const collection = (
        this.reader.attr(loop, 'collection') ??
        this.reader.attr(el, 'collection') ??
        (zeebe?.inputCollection as string | undefined) ??
        ''
      )
        .replace(/^=\s*/, '')
        .replace(/^[$#]\{\s*(.*?)\s*\}$/, '$1');
      const item =
        this.reader.attr(loop, 'elementVariable') ??
        this.reader.attr(el, 'elementVariable') ??
        (zeebe?.inputElement as string | undefined) ??
        'item';
      const output = (zeebe?.outputCollection as string | undefined) ?? `${collection}Results`;
      if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(collection)) {
        this.variables.set(collection, 'array');
        this.variables.set(output, 'array');
        this.problem(
          'bpmn.multiInstance',
          el,
          `多实例任务按列表 “${collection}” 每项一个任务导入，各任务的表单数据收集到 “${output}”${loop.isSequential ? '；串行执行改为同时进行' : ''}；完成条件未带入`,
          `the multi-instance task opens one task per item of "${collection}" and collects each task’s data in "${output}"${loop.isSequential ? '; sequential instances become parallel' : ''}; a completion condition is not carried over`,
        );
        return {
          as: 'node',
          node: {
            ...this.base(el, 'multiTask'),
            kind: 'multiTask',
            ...common,
            over: collection,
            itemVar: toId(item, 'item'),
            collect: output,
          },
        };
      }
      this.problem(
        'bpmn.multiInstance',
        el,
        '多实例没有可转换的集合变量（如固定次数），按单个任务导入',
        'the multi-instance has no collection variable to convert (e.g. a fixed count); imported as a single task',
      );
    } else if (loop) {
      this.problem(
        'bpmn.multiInstance',
        el,
        '循环任务没有对应，按单个任务导入',
        'a looping task has no equivalent; imported as a single task',
      );
    }
    return { as: 'node', node: { ...this.base(el, 'task'), kind: 'task', ...common } };
  }

  boundary(el: ModdleElement, def: ModdleElement | undefined): Mapping {
    const host = el.attachedToRef as ModdleElement | undefined;
    const [zh, en] = def ? eventName(def) : ['无类型', 'none'];
    if (def?.$type === 'bpmn:TimerEventDefinition' && el.cancelActivity !== false) {
      if (host && ['bpmn:UserTask', 'bpmn:ManualTask', 'bpmn:Task'].includes(host.$type)) {
        return { as: 'deadline', task: host.id as string, duration: this.timerDuration(el, def) };
      }
      this.problem(
        'bpmn.boundary',
        el,
        '定时边界事件只在人工任务上对应为期限；这里未导入，从它出发的连线也未导入',
        'a timer boundary event maps to a deadline on a user task only; this one (and its outgoing flows) was not imported',
      );
      return { as: 'drop' };
    }
    const kind = el.cancelActivity === false ? '非中断' : '';
    const kindEn = el.cancelActivity === false ? 'non-interrupting ' : '';
    this.problem(
      'bpmn.boundary',
      el,
      `${kind}${zh}边界事件没有对应，未导入，从它出发的连线也未导入`,
      `a ${kindEn}${en} boundary event has no equivalent; it (and its outgoing flows) was not imported`,
    );
    return { as: 'drop' };
  }

  callActivity(el: ModdleElement): Mapping {
    const zeebe = this.reader.elements(el, 'zeebe', 'calledElement')[0];
    const called = cleanName(el.calledElement) ?? cleanName(zeebe?.processId);
    if (!called || /[${}#=]/.test(called)) {
      this.problem(
        'bpmn.calledElement',
        el,
        `调用活动的流程 “${called ?? ''}” 不是固定的流程标识，无法转换为子流程`,
        `the call activity’s process "${called ?? ''}" is not a fixed process id and cannot become a subflow`,
      );
      return this.placeholder(el, '调用活动', 'call activity');
    }
    this.problem(
      'bpmn.calledElement',
      el,
      `调用活动按子流程 “${toId(called, 'flow')}” 导入；输入输出变量映射未带入`,
      `the call activity was imported as subflow "${toId(called, 'flow')}"; its input/output variable mappings are not carried over`,
    );
    return {
      as: 'node',
      node: { ...this.base(el, 'subflow'), kind: 'subflow', flow: { key: toId(called, 'flow') } },
    };
  }
}

/** A JSON Schema for the variables the conditions read, nested along dotted paths. */
function dataSchemaFor(vars: Map<string, VarKind | undefined>): Json {
  const root: Json = { type: 'object', properties: {} };
  for (const [path, kind] of vars) {
    let at = root;
    const parts = path.split('.');
    parts.forEach((part, i) => {
      const props = at.properties as Json;
      if (i === parts.length - 1) {
        if (!props[part])
          props[part] = kind
            ? { type: kind, title: part }
            : { title: part, type: ['string', 'number', 'boolean', 'array', 'object'] };
        return;
      }
      const next = (props[part] as Json | undefined) ?? {
        type: 'object',
        title: part,
        properties: {},
      };
      props[part] = next;
      at = next;
    });
  }
  return root;
}

/**
 * Nodes the diagram does not place (a file whose DI covers only part of the
 * process) are laid out below the placed ones, so none lands on another. A
 * file without any DI is left to the designer's automatic layout.
 */
function placeUnplaced(nodes: NodeInput[], edges: EdgeInput[]) {
  const placed = nodes.flatMap((n) => (n.position ? [n.position] : []));
  if (!placed.length || placed.length === nodes.length) return;
  const laid = layoutFlow({ nodes: nodes.map(({ position: _p, ...n }) => n), edges });
  const top = Math.max(...placed.map((p) => p.y)) + 150;
  const left = Math.min(...placed.map((p) => p.x));
  for (const n of nodes) {
    const at = laid.get(n.id);
    if (!n.position && at) n.position = { x: left + at.x - 100, y: top + at.y - 100 };
  }
}

/**
 * Reads BPMN 2.0 XML (plain OMG BPMN, Camunda 7/8, Flowable or Activiti) into
 * a Lianxin flow. Elements without an equivalent become problems located by
 * their BPMN id and name; the rest still imports. A flow Lianxin exported
 * (with its `lianxin:` extension elements) comes back as it was.
 */
export async function importBpmn(
  xml: string,
  options: BpmnImportOptions = {},
): Promise<BpmnImportResult> {
  const moddle = createModdle();
  let parsed: Awaited<ReturnType<typeof moddle.fromXML>>;
  try {
    parsed = await moddle.fromXML(xml);
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      flow: undefined,
      checker: [],
      unmappedGroups: [],
      problems: [
        interchangeProblem(
          'bpmn.parse',
          `无法读取 BPMN 文件：${detail}`,
          `cannot read the BPMN file: ${detail}`,
          {},
          'error',
        ),
      ],
    };
  }
  const defs = parsed.rootElement;
  const im = new Importer(defs, options);
  for (const w of parsed.warnings)
    im.problem(
      'bpmn.warning',
      w.element,
      `BPMN 文件有不合规之处：${w.message}`,
      `the BPMN file does not conform: ${w.message}`,
    );

  const processes = ((defs.rootElements ?? []) as ModdleElement[]).filter(
    (e) => e.$type === 'bpmn:Process',
  );
  const withContent = processes.filter((p) => (p.flowElements ?? []).length > 0);
  const process = withContent.find((p) => p.isExecutable) ?? withContent[0];
  if (!process) {
    im.problem(
      'bpmn.noProcess',
      undefined,
      '文件中没有含元素的流程（process）',
      'the file has no process with elements',
      'error',
    );
    return { flow: undefined, problems: im.problems, checker: [], unmappedGroups: [] };
  }
  for (const other of withContent)
    if (other !== process)
      im.problem(
        'bpmn.manyProcesses',
        other,
        '文件有多个流程（协作图的多个参与者）：只导入了第一个可执行流程，这个未导入',
        'the file has several processes (a collaboration): only the first executable one was imported, not this one',
      );
  im.readDiagram();
  im.readLanes(process);

  const elements = process.flowElements as ModdleElement[];
  const flows = elements.filter((e) => e.$type === 'bpmn:SequenceFlow');
  const count = (el: ModdleElement, side: 'sourceRef' | 'targetRef') =>
    flows.filter((f) => f[side] === el).length;
  const starts = elements.filter((e) => e.$type === 'bpmn:StartEvent');
  const mapped = new Map<ModdleElement, Mapping>();
  for (const el of elements) {
    if (el.$type === 'bpmn:SequenceFlow') continue;
    if (
      ['bpmn:DataObject', 'bpmn:DataObjectReference', 'bpmn:DataStoreReference'].includes(el.$type)
    ) {
      im.problem(
        'bpmn.unsupported',
        el,
        '数据对象没有对应，未导入（连心的数据在案件数据和表单中）',
        'a data object has no equivalent and was not imported (Lianxin keeps data in the case data and forms)',
      );
      continue;
    }
    mapped.set(el, im.map(el, count(el, 'targetRef'), count(el, 'sourceRef'), starts));
  }
  for (const artifact of (process.artifacts ?? []) as ModdleElement[]) {
    if (artifact.$type === 'bpmn:TextAnnotation')
      im.problem(
        'bpmn.unsupported',
        artifact,
        `注释 “${cleanName(artifact.text) ?? ''}” 未导入`,
        `the text annotation "${cleanName(artifact.text) ?? ''}" was not imported`,
      );
  }

  const nodes: NodeInput[] = [];
  const edges: EdgeInput[] = [];
  for (const m of mapped.values()) {
    if (m.as !== 'node') continue;
    nodes.push(m.node);
    if (m.split) {
      nodes.push({ id: m.split, name: m.node.name, kind: 'parallel' });
      edges.push({ id: `${m.split}-next`, kind: 'next', from: m.node.id, to: m.split });
    }
  }
  const nodeById = new Map(nodes.map((n) => [n.id, n]));

  /** Where a sequence flow into `el` really ends, past bridged elements. */
  const targetOf = (el: ModdleElement, seen = new Set<ModdleElement>()): string | undefined => {
    const m = mapped.get(el);
    if (!m || m.as === 'drop' || m.as === 'deadline') return undefined;
    if (m.as === 'node') return m.node.id;
    if (seen.has(el)) return undefined;
    seen.add(el);
    const out = flows.find((f) => f.sourceRef === el);
    return out ? targetOf(out.targetRef, seen) : undefined;
  };
  const sourceOf = (el: ModdleElement): string | undefined => {
    const m = mapped.get(el);
    if (m?.as === 'node') return m.split ?? m.node.id;
    if (m?.as === 'deadline') return im.ids.get(m.task);
    return undefined;
  };

  const actionNames = new Map<string, Set<string>>();
  const edgeIds = new Set<string>();
  const edgeId = (raw: string) => {
    let id = toId(raw, 'e');
    for (let i = 2; edgeIds.has(id); i++) id = `${toId(raw, 'e')}_${i}`;
    edgeIds.add(id);
    return id;
  };
  for (const f of flows) {
    const own = lianxinData(f, 'Edge') as EdgeInput | undefined;
    if (own && typeof own === 'object') {
      edges.push(own);
      edgeIds.add(own.id);
      continue;
    }
    const from = sourceOf(f.sourceRef);
    const to = targetOf(f.targetRef);
    if (!from || !to) continue;
    const source = nodeById.get(from);
    if (!source) continue;
    const label = cleanName(f.name);
    const id = edgeId(f.id as string);
    const condition = f.conditionExpression as ModdleElement | undefined;
    const sourceMap = mapped.get(f.sourceRef);
    if (sourceMap?.as === 'deadline') {
      const task = nodeById.get(from);
      if (task && (task.kind === 'task' || task.kind === 'multiTask')) {
        if (sourceMap.duration)
          task.deadline = { duration: sourceMap.duration, calendar: 'natural' };
        edges.push({
          id,
          kind: 'deadline',
          from,
          to,
          on: 'overdue',
          ...(label || cleanName(f.sourceRef.name)
            ? { label: text((label ?? cleanName(f.sourceRef.name)) as string) }
            : {}),
        });
      }
      continue;
    }
    switch (source.kind) {
      case 'task':
      case 'multiTask': {
        if (condition)
          im.problem(
            'bpmn.conditionFromTask',
            f,
            `任务后的条件连线改为按钮，由办理人选择（条件 “${cleanName(condition.body) ?? ''}” 未带入）`,
            `a conditional flow out of a task became a button the assignee chooses (condition "${cleanName(condition.body) ?? ''}" not carried over)`,
          );
        const names = actionNames.get(from) ?? new Set<string>();
        let action = toId(f.id as string, 'action');
        for (let i = 2; names.has(action); i++) action = `${toId(f.id as string, 'action')}_${i}`;
        names.add(action);
        actionNames.set(from, names);
        const targetName = nodeById.get(to)?.name['zh-CN'];
        edges.push({
          id,
          kind: 'action',
          from,
          to,
          action,
          label: text(
            label ??
              (names.size === 1 && count(f.sourceRef, 'sourceRef') === 1
                ? '完成'
                : (targetName ?? '完成')),
          ),
        });
        break;
      }
      case 'decision': {
        if (f.sourceRef.default === f) {
          edges.push({ id, kind: 'default', from, to, ...(label ? { label: text(label) } : {}) });
          break;
        }
        if (!condition) {
          im.problem(
            'bpmn.condition',
            f,
            '排他网关的这条连线没有条件，也不是默认连线：请补上条件',
            'this flow out of an exclusive gateway has no condition and is not the default: add a condition',
          );
          edges.push({ id, kind: 'condition', from, to, ...(label ? { label: text(label) } : {}) });
          break;
        }
        const body = String(condition.body ?? '');
        const converted = convertCondition(body, condition.language);
        if (converted.ok) {
          for (const [k, v] of converted.variables)
            if (!im.variables.get(k)) im.variables.set(k, v);
          edges.push({
            id,
            kind: 'condition',
            from,
            to,
            condition: converted.logic,
            ...(label ? { label: text(label) } : {}),
          });
        } else {
          im.problem(
            'bpmn.condition',
            f,
            `条件 “${body.trim()}” 无法转换为 JSON Logic：${converted.reason['zh-CN']}；连线已导入但没有条件，请在设计器中补上`,
            `the condition "${body.trim()}" cannot be converted to JSON Logic: ${converted.reason.en}; the edge was imported without a condition, build one in the designer`,
          );
          edges.push({ id, kind: 'condition', from, to, ...(label ? { label: text(label) } : {}) });
        }
        break;
      }
      case 'end':
        break;
      default:
        if (condition)
          im.problem(
            'bpmn.condition',
            f,
            `条件 “${cleanName(condition.body) ?? ''}” 不在排他网关之后，没有对应，已按无条件连线导入`,
            `the condition "${cleanName(condition.body) ?? ''}" is not after an exclusive gateway; imported as an unconditional flow`,
          );
        edges.push({ id, kind: 'next', from, to, ...(label ? { label: text(label) } : {}) });
    }
  }

  placeUnplaced(nodes, edges);

  if (im.unknownGroups.size)
    im.problem(
      'bpmn.groups',
      undefined,
      `这些候选组或泳道没有对应的连心角色，已按名称新建角色，请在导入时映射或确认：${[...im.unknownGroups.keys()].join('、')}`,
      `these candidate groups or lanes have no Lianxin role; roles were created from their names, map or confirm them: ${[...im.unknownGroups.keys()].join(', ')}`,
    );

  const own = lianxinData(process, 'Flow') as Json | undefined;
  let flow: FlowDefinitionInput;
  if (own && typeof own === 'object') {
    flow = { ...own, nodes, edges } as FlowDefinitionInput;
  } else {
    if (!options.jurisdiction)
      im.problem(
        'bpmn.jurisdiction',
        undefined,
        `没有指定辖区，暂填 ${UNSET_JURISDICTION}，请改为本单位的行政区划代码`,
        `no jurisdiction was given; ${UNSET_JURISDICTION} is a placeholder, set your division code`,
      );
    const name = cleanName(process.name) ?? cleanName(defs.name) ?? '导入的流程';
    flow = {
      formatVersion: FLOW_FORMAT_VERSION,
      key: toId(process.id as string, 'flow'),
      version: 1,
      name: text(name),
      jurisdiction: options.jurisdiction ?? UNSET_JURISDICTION,
      roles: [...im.roles.values()].length ? [...im.roles.values()] : [DEFAULT_ROLE],
      dataSchema: dataSchemaFor(im.variables),
      ...(options.forms?.length ? { forms: options.forms } : {}),
      nodes,
      edges,
    };
  }
  return {
    flow,
    problems: im.problems,
    checker: checkFlow(flow),
    unmappedGroups: [...im.unknownGroups.keys()],
  };
}
