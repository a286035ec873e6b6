import * as z from 'zod';
import { schemaCompileProblem } from '../ajv';
import {
  constantCondition,
  inspectCondition,
  literalVarType,
  typesOverlap,
  type VarType,
  variableTypeInSchema,
} from '../condition';
import {
  approximateSeconds,
  type Calendar,
  DURATION_PATTERN,
  durationProblem,
  parseDuration,
} from '../duration';
import {
  CONDITION_NOT_OBJECT,
  DOCUMENT_KIND_NAMES,
  type DocumentKind,
  EDGE_KIND_NAMES,
  type EdgeKind,
  FLOW_FORMAT_VERSION,
  FlowDefinition,
  isHumanStep,
  NODE_KIND_NAMES,
  OFFICE_ROLES,
  OUTGOING_EDGE_KINDS,
  SYSTEM_ROLES,
} from '../flow';
import type { FormDefinition } from '../form';
import { SATISFACTION_FIELD, uncountedSatisfactionValues } from '../kpi';
import { resolvePointer, toPointer } from '../pointer';
import { type SensitiveKind, sensitiveVariables } from '../privacy';
import { keyedPathToPointer, lockedChanges, lockedKeyedPaths } from '../sharing';
import { unknownWidgets } from '../widgets';
import { checkClockPauses, checkDeadlinesWithinClocks } from './clocks';
import { checkDispatch } from './dispatch';
import { hasPerfectMatching, reachableFrom, stronglyConnected } from './graph';
import { type Problem, type ProblemCode, problem } from './problems';

export interface CheckOptions {
  /**
   * Forms kept outside the flow file (a template folder's `forms/`); with their
   * `schema`, their required fields count as filled for subflow calls.
   */
  forms?: ReadonlyArray<Pick<FormDefinition, 'id'> & { schema?: unknown }>;
  /**
   * Answers whether a subflow reference exists; without it subflows are not
   * checked. Returning the child's definition (its forms included) also checks
   * the contract: the fields its start form requires, their types, and the
   * channels its start node accepts.
   */
  resolveSubflow?: (ref: { key: string; version?: number }) => SubflowResolution;
  /** For a county flow adopted from a template: the template flow and its locked pointers. */
  template?: { flow: Record<string, unknown>; locked: readonly string[] };
  /**
   * Answers whether a department code (a step's or a notification's
   * `assignee.department`) is one of the jurisdiction's active departments;
   * without it departments are not checked.
   */
  departments?: (code: string) => boolean;
}

/** `true`/`false` for found or not; the child's definition when known. */
export type SubflowResolution = boolean | Record<string, unknown> | null | undefined;

type Raw = Record<string, unknown>;
interface NodeView {
  index: number;
  id: string | undefined;
  kind: string | undefined;
  raw: Raw;
  at: string;
}
interface EdgeView {
  index: number;
  id: string | undefined;
  kind: string | undefined;
  from: string | undefined;
  to: string | undefined;
  raw: Raw;
  at: string;
}

const KIND_ZH: Record<string, string> = Object.fromEntries(
  Object.entries(NODE_KIND_NAMES).map(([kind, name]) => [kind, name['zh-CN']]),
);
const ALLOWED_OUT: Record<string, readonly string[]> = OUTGOING_EDGE_KINDS;
/** Nodes that pass the token on without waiting for a person, a timer or a child case. */
const AUTOMATIC = new Set(['start', 'decision', 'parallel', 'join', 'action']);

const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const objects = (v: unknown): Array<{ raw: Raw; index: number }> =>
  Array.isArray(v) ? v.flatMap((raw, index) => (isObject(raw) ? [{ raw, index }] : [])) : [];

/**
 * Checks a flow definition (any JSON value) and returns every problem found,
 * errors first. Never throws: a file that is not even an object gets one
 * `schema.invalid` problem. Graph rules run on whatever part of the input is
 * readable, so one broken node does not hide the other mistakes.
 */
export function checkFlow(input: unknown, options: CheckOptions = {}): Problem[] {
  if (!isObject(input)) {
    return [
      problem('schema.invalid', '', {
        detail: '流程文件必须是一个 JSON 对象',
        detailEn: 'a flow file must be a JSON object',
      }),
    ];
  }
  const version = input.formatVersion;
  if (typeof version === 'number' && version > FLOW_FORMAT_VERSION) {
    return [
      problem('format.unsupported', '/formatVersion', {
        found: version,
        supported: FLOW_FORMAT_VERSION,
      }),
    ];
  }
  const problems: Problem[] = [];
  const report = (code: ProblemCode, pointer: string, params?: Record<string, string | number>) =>
    problems.push(problem(code, pointer, params));

  schemaProblems(FlowDefinition, input, problems);

  const nodes: NodeView[] = objects(input.nodes).map(({ raw, index }) => ({
    index,
    id: str(raw.id),
    kind: str(raw.kind),
    raw,
    at: `/nodes/${index}`,
  }));
  const edges: EdgeView[] = objects(input.edges).map(({ raw, index }) => ({
    index,
    id: str(raw.id),
    kind: str(raw.kind),
    from: str(raw.from),
    to: str(raw.to),
    raw,
    at: `/edges/${index}`,
  }));
  const byId = new Map<string, NodeView>();
  for (const n of nodes) if (n.id !== undefined && !byId.has(n.id)) byId.set(n.id, n);

  // Ids: nodes and edges share one space (the designer selects either by id).
  checkDuplicates(
    [...nodes, ...edges].map((e) => ({ id: e.id, at: `${e.at}/id` })),
    report,
  );
  for (const list of ['forms', 'roles', 'groups', 'clocks']) {
    checkDuplicates(
      objects(input[list]).map(({ raw, index }) => ({
        id: str(raw.id),
        at: `/${list}/${index}/id`,
      })),
      report,
    );
  }

  const starts = nodes.filter((n) => n.kind === 'start');
  if (starts.length !== 1) {
    const at = starts[1]?.at ?? (Array.isArray(input.nodes) ? '/nodes' : '');
    report('start.count', at, { count: starts.length });
  }

  // Edges and the adjacency they form.
  const out = new Map<string, EdgeView[]>();
  const next = new Map<string, string[]>();
  const prev = new Map<string, string[]>();
  for (const e of edges) {
    // One edge issues each document once: a second 文号 for the same notice would be a second notice.
    if (Array.isArray(e.raw.documents)) {
      const seen = new Set<unknown>();
      e.raw.documents.forEach((kind, i) => {
        if (seen.has(kind) && typeof kind === 'string')
          report('document.duplicate', `${e.at}/documents/${i}`, {
            edge: e.id ?? '',
            kind,
            kindZh: DOCUMENT_KIND_NAMES[kind as DocumentKind]?.['zh-CN'] ?? kind,
          });
        seen.add(kind);
      });
    }
    for (const end of ['from', 'to'] as const) {
      const id = e[end];
      if (id !== undefined && !byId.has(id)) report('edge.unknownNode', `${e.at}/${end}`, { id });
    }
    if (e.from === undefined || !byId.has(e.from)) continue;
    out.set(e.from, [...(out.get(e.from) ?? []), e]);
    if (e.to === undefined || !byId.has(e.to)) continue;
    next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    prev.set(e.to, [...(prev.get(e.to) ?? []), e.from]);
  }

  checkOutgoing(nodes, out, report);

  // Reachability from the start, and whether an end can be reached.
  const startIds = starts.flatMap((s) => (s.id === undefined ? [] : [s.id]));
  const reachable = reachableFrom(startIds, next);
  if (startIds.length > 0) {
    for (const n of nodes) {
      if (n.id !== undefined && !reachable.has(n.id) && byId.get(n.id) === n) {
        report('node.unreachable', n.at, { id: n.id });
      }
    }
  }
  const endIds = nodes
    .filter((n) => n.kind === 'end' && n.id !== undefined)
    .map((n) => n.id as string);
  const canFinish = reachableFrom(endIds, prev);
  const doomed = [...reachable].filter((id) => !canFinish.has(id));
  if (doomed.length > 0) {
    // Report where cases get stuck: the bottom components of the doomed part.
    const doomedSet = new Set(doomed);
    const doomedNext = new Map(
      doomed.map((id) => [id, (next.get(id) ?? []).filter((n) => doomedSet.has(n))]),
    );
    const components = stronglyConnected(doomed, doomedNext);
    for (const component of components) {
      const members = new Set(component);
      const exits = component.some((id) => (doomedNext.get(id) ?? []).some((n) => !members.has(n)));
      if (exits) continue;
      for (const id of component) report('node.noPathToEnd', (byId.get(id) as NodeView).at, { id });
    }
  }

  checkJoinsAndSplits(nodes, next, prev, byId, report);
  checkAutomaticLoops(nodes, next, byId, report);
  checkReferences(input, nodes, edges, byId, options, report);
  checkData(input, nodes, edges, report);
  checkSatisfactionField(input, report);
  checkConditions(nodes, edges, out, report);
  checkDurations(input, nodes, report);
  checkDeadlinesWithinClocks(input, report);
  checkDispatch(input, nodes, edges, options.forms ?? [], report);
  if (options.template) checkLocks(input, options.template, report);

  return sortProblems(problems);
}

/** Schema violations of any of our formats, in both languages, located by JSON Pointer. */
export function schemaProblems(schema: z.ZodType, input: unknown, problems: Problem[]): void {
  const zh = schema.safeParse(input, { error: z.locales.zhCN().localeError });
  if (zh.success) return;
  const en = schema.safeParse(input, { error: z.locales.en().localeError });
  const enIssues = en.success ? [] : en.error.issues;
  zh.error.issues.forEach((issue, i) => {
    // Durations get their own, more precise rule.
    if (issue.code === 'invalid_format' && issue.pattern === DURATION_PATTERN.toString()) return;
    let pointer = toPointer(issue.path);
    if (issue.message === CONDITION_NOT_OBJECT) {
      const at = resolvePointer(input, pointer);
      const found = at.found ? at.value : null;
      const [foundEn, foundZh] = describeValue(found);
      problems.push(problem('condition.notObject', pointer, { found: foundEn, foundZh }));
      return;
    }
    let message = { 'zh-CN': issue.message, en: enIssues[i]?.message ?? issue.message };
    if (!resolvePointer(input, pointer).found) {
      // A missing field: point at the object that lacks it, and name the field.
      const field = String(issue.path[issue.path.length - 1]);
      pointer = toPointer(issue.path.slice(0, -1));
      message = { 'zh-CN': `缺少必填字段 “${field}”`, en: `missing required field "${field}"` };
    } else if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) {
      pointer = toPointer([...issue.path, issue.keys[0]]);
    }
    if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator) {
      const options = (issue as { options?: unknown[] }).options ?? [];
      const list = options.map(String).join(', ');
      message = {
        'zh-CN': `未知的 ${issue.discriminator}，可选：${list}`,
        en: `unknown ${issue.discriminator}; expected one of: ${list}`,
      };
    }
    problems.push(
      problem('schema.invalid', pointer, { detail: message['zh-CN'], detailEn: message.en }),
    );
  });
}

type Report = (
  code: ProblemCode,
  pointer: string,
  params?: Record<string, string | number>,
) => void;

function checkDuplicates(
  items: Array<{ id: string | undefined; at: string }>,
  report: Report,
): void {
  const first = new Map<string, string>();
  for (const { id, at } of items) {
    if (id === undefined) continue;
    const seen = first.get(id);
    if (seen === undefined) first.set(id, at);
    else report('id.duplicate', at, { id, first: seen });
  }
}

function checkOutgoing(nodes: NodeView[], out: Map<string, EdgeView[]>, report: Report): void {
  for (const n of nodes) {
    if (n.id === undefined || n.kind === undefined) continue;
    const allowed = ALLOWED_OUT[n.kind];
    if (!allowed) continue;
    const outgoing = out.get(n.id) ?? [];
    for (const e of outgoing) {
      if (e.kind !== undefined && !allowed.includes(e.kind)) {
        const named = (kind: string, lang: 'zh-CN' | 'en') =>
          EDGE_KIND_NAMES[kind as EdgeKind]?.[lang] ?? kind;
        report('edge.kindNotAllowed', `${e.at}/kind`, {
          nodeKind: n.kind,
          nodeKindZh: KIND_ZH[n.kind] ?? n.kind,
          edgeKind: named(e.kind, 'en'),
          edgeKindZh: named(e.kind, 'zh-CN'),
          allowed: allowed.map((k) => named(k, 'en')).join(', ') || '—',
          allowedZh: allowed.map((k) => named(k, 'zh-CN')).join('、') || '无',
        });
      }
    }
    const count = (kind: string) => outgoing.filter((e) => e.kind === kind).length;
    const need = (expected: string, expectedZh: string, count: number) =>
      report('node.outgoing', n.at, {
        nodeKind: n.kind as string,
        nodeKindZh: KIND_ZH[n.kind as string] ?? '',
        expected,
        expectedZh,
        count,
      });
    switch (n.kind) {
      case 'start':
      case 'join':
      case 'timer':
      case 'action':
      case 'subflow':
        if (count('next') !== 1)
          need('exactly one "next" edge', '恰好一条 “next” 连线', count('next'));
        break;
      case 'parallel':
        if (count('next') < 2)
          need('at least two "next" edges', '至少两条 “next” 连线', count('next'));
        break;
      case 'task':
      case 'multiTask': {
        if (count('action') === 0)
          need('at least one action edge (a button)', '至少一条操作连线（按钮）', 0);
        const seen = new Set<string>();
        for (const e of outgoing) {
          const action = str(e.raw.action);
          if (e.kind !== 'action' || action === undefined) continue;
          if (seen.has(action))
            report('action.duplicate', `${e.at}/action`, { node: n.id, action });
          seen.add(action);
        }
        const hasDeadline = isObject(n.raw.deadline) || typeof n.raw.deadlineClock === 'string';
        if (outgoing.some((e) => e.kind === 'deadline') && !hasDeadline) {
          report('deadline.edgeWithoutDeadline', n.at, { id: n.id });
        }
        break;
      }
      case 'decision':
        if (count('default') !== 1) report('decision.default', n.at, { count: count('default') });
        break;
    }
  }
}

function checkJoinsAndSplits(
  nodes: NodeView[],
  next: Map<string, string[]>,
  prev: Map<string, string[]>,
  byId: Map<string, NodeView>,
  report: Report,
): void {
  const parallels = nodes.filter(
    (n) => n.kind === 'parallel' && n.id !== undefined && byId.get(n.id) === n,
  );
  // What each branch of each parallel split can reach (the split itself excluded).
  const branches = new Map<string, Set<string>[]>();
  for (const p of parallels) {
    const id = p.id as string;
    const withoutSplit = new Map([...next].map(([k, v]) => [k, v.filter((t) => t !== id)]));
    branches.set(
      id,
      (next.get(id) ?? []).map((target) => reachableFrom([target], withoutSplit)),
    );
  }
  for (const j of nodes) {
    if (j.kind !== 'join' || j.id === undefined || j.raw.mode === 'any') continue;
    const sources = prev.get(j.id) ?? [];
    if (sources.length < 2) continue;
    const fires = parallels.some((p) => {
      const reach = branches.get(p.id as string) ?? [];
      const options = sources.map((s) =>
        reach.flatMap((set, b) => (set.has(s) || s === p.id ? [b] : [])),
      );
      return hasPerfectMatching(options);
    });
    if (!fires) report('join.neverFires', j.at, { id: j.id });
  }
  for (const p of parallels) {
    const reach = branches.get(p.id as string) ?? [];
    if (reach.length < 2) continue;
    const joined = nodes.some(
      (j) =>
        j.kind === 'join' &&
        j.id !== undefined &&
        reach.filter((set) => set.has(j.id as string)).length >= 2,
    );
    if (!joined) report('parallel.noJoin', p.at, { id: p.id as string });
  }
}

function checkAutomaticLoops(
  nodes: NodeView[],
  next: Map<string, string[]>,
  byId: Map<string, NodeView>,
  report: Report,
): void {
  const automatic = nodes
    .filter(
      (n) =>
        n.id !== undefined && n.kind !== undefined && AUTOMATIC.has(n.kind) && byId.get(n.id) === n,
    )
    .map((n) => n.id as string);
  const auto = new Set(automatic);
  const autoNext = new Map(
    automatic.map((id) => [id, (next.get(id) ?? []).filter((t) => auto.has(t))]),
  );
  for (const component of stronglyConnected(automatic, autoNext)) {
    const only = component[0] as string;
    const loops = component.length > 1 || (autoNext.get(only) ?? []).includes(only);
    if (!loops) continue;
    const ordered = component
      .map((id) => byId.get(id) as NodeView)
      .sort((a, b) => a.index - b.index);
    report('loop.automatic', (ordered[0] as NodeView).at, {
      cycle: ordered.map((n) => n.id).join(' → '),
    });
  }
}

function checkReferences(
  input: Raw,
  nodes: NodeView[],
  edges: EdgeView[],
  byId: Map<string, NodeView>,
  options: CheckOptions,
  report: Report,
): void {
  const formIds = new Set<string>([
    ...objects(input.forms).flatMap(({ raw }) => (typeof raw.id === 'string' ? [raw.id] : [])),
    ...(options.forms ?? []).map((f) => f.id),
  ]);
  const roleIds = new Set(
    objects(input.roles).flatMap(({ raw }) => (typeof raw.id === 'string' ? [raw.id] : [])),
  );
  for (const { raw, index } of objects(input.roles))
    if (typeof raw.id === 'string' && !Object.hasOwn(SYSTEM_ROLES, raw.id))
      report('role.notSystem', `/roles/${index}`, { id: raw.id });
  const groupIds = new Set(
    objects(input.groups).flatMap(({ raw }) => (typeof raw.id === 'string' ? [raw.id] : [])),
  );
  const form = (value: unknown, at: string) => {
    if (typeof value === 'string' && !formIds.has(value)) report('form.missing', at, { id: value });
  };
  const node = (value: unknown, at: string) => {
    if (typeof value === 'string' && !byId.has(value)) report('node.unknownRef', at, { id: value });
  };
  const role = (value: unknown, at: string) => {
    if (typeof value === 'string' && !roleIds.has(value)) report('role.unknown', at, { id: value });
  };
  const assignee = (rule: unknown, at: string) => {
    if (!isObject(rule)) return;
    role(rule.role, `${at}/role`);
    if (typeof rule.group === 'string' && !groupIds.has(rule.group)) {
      report('group.unknown', `${at}/group`, { id: rule.group });
    }
    if (
      typeof rule.department === 'string' &&
      options.departments &&
      !options.departments(rule.department)
    ) {
      report('department.unknown', `${at}/department`, { id: rule.department });
    }
  };
  for (const n of nodes) {
    const r = n.raw;
    form(r.form, `${n.at}/form`);
    form(r.intakeForm, `${n.at}/intakeForm`);
    if (isHumanStep(n)) {
      assignee(r.assignee, `${n.at}/assignee`);
      if (Array.isArray(r.returnTo))
        r.returnTo.forEach((t, i) => {
          node(t, `${n.at}/returnTo/${i}`);
        });
      if (isObject(r.refusal)) node(r.refusal.backTo, `${n.at}/refusal/backTo`);
    }
    if (n.kind === 'action') {
      objects(r.operations).forEach(({ raw, index }) => {
        if (raw.op === 'notify') assignee(raw.to, `${n.at}/operations/${index}/to`);
      });
    }
    if (
      n.kind === 'subflow' &&
      options.resolveSubflow &&
      isObject(r.flow) &&
      typeof r.flow.key === 'string'
    ) {
      const ref = {
        key: r.flow.key,
        ...(typeof r.flow.version === 'number' ? { version: r.flow.version } : {}),
      };
      let found: SubflowResolution = false;
      try {
        found = options.resolveSubflow(ref);
      } catch {
        found = false;
      }
      const refText = ref.version ? `${ref.key}@${ref.version}` : ref.key;
      if (!found) report('subflow.unresolved', `${n.at}/flow`, { ref: refText });
      else if (isObject(found)) {
        checkSubflowContract(input, n, found, refText, options.forms ?? [], report);
      }
    }
  }
  for (const e of edges) {
    if (e.kind !== 'action') continue;
    form(e.raw.form, `${e.at}/form`);
    if (Array.isArray(e.raw.roles))
      e.raw.roles.forEach((r, i) => {
        role(r, `${e.at}/roles/${i}`);
      });
  }
  objects(input.groups).forEach(({ raw, index }) => {
    role(raw.role, `/groups/${index}/role`);
  });
  // Case-command rules may also name the roles every office has.
  if (isObject(input.caseCommands))
    for (const [command, rule] of Object.entries(input.caseCommands)) {
      if (!isObject(rule)) continue;
      for (const list of ['roles', 'registeringOffice'] as const) {
        const ids = rule[list];
        if (Array.isArray(ids))
          ids.forEach((r, i) => {
            if (typeof r === 'string' && !Object.hasOwn(OFFICE_ROLES, r))
              role(r, `/caseCommands/${command}/${list}/${i}`);
          });
      }
    }
  objects(input.clocks).forEach(({ raw, index }) => {
    for (const point of ['start', 'stop'] as const) {
      const p = raw[point];
      if (isObject(p)) node(p.node, `/clocks/${index}/${point}/node`);
    }
  });
  checkClockPauses(input, NODE_KIND_NAMES, report);
}

function checkData(input: Raw, nodes: NodeView[], edges: EdgeView[], report: Report): void {
  const dataSchema = input.dataSchema;
  let schemaUsable = isObject(dataSchema);
  if (dataSchema !== undefined) {
    const bad = schemaCompileProblem(dataSchema);
    if (bad) {
      schemaUsable = false;
      report('dataSchema.invalid', `/dataSchema${bad.pointer}`, {
        detail: bad.detail,
        detailZh: bad.message['zh-CN'],
        detailEn: bad.message.en,
      });
    }
  }
  objects(input.forms).forEach(({ raw, index }) => {
    if (raw.schema === undefined) return;
    const bad = schemaCompileProblem(raw.schema);
    if (bad) {
      report('form.invalidSchema', `/forms/${index}/schema${bad.pointer}`, {
        id: str(raw.id) ?? String(index),
        detail: bad.detail,
        detailZh: bad.message['zh-CN'],
        detailEn: bad.message.en,
      });
      return;
    }
    for (const bad of unknownWidgets(raw.schema, raw.uiSchema))
      report('form.unknownWidget', `/forms/${index}/uiSchema${bad.pointer}`, {
        id: str(raw.id) ?? String(index),
        field: bad.field,
        widget: bad.widget,
      });
    const props =
      isObject(raw.schema) && isObject(raw.schema.properties) ? raw.schema.properties : {};
    if (!schemaUsable) return;
    for (const field of Object.keys(props)) {
      if (!variableTypeInSchema(dataSchema, field)) {
        report(
          'form.fieldNotInCase',
          `/forms/${index}/schema/properties/${field.replace(/~/g, '~0').replace(/\//g, '~1')}`,
          { field, fieldZh: fieldTitle(props[field]) ?? field },
        );
      }
    }
  });
  checkSensitiveReads(input, nodes, edges, report);
  if (schemaUsable) checkCaseFields(input, report);
  if (!schemaUsable) return;
  const lookup = (v: string) => variableTypeInSchema(dataSchema, v);
  const variable = (value: unknown, at: string) => {
    if (typeof value === 'string' && !lookup(value))
      report('variable.unknown', at, { variable: value });
  };
  const condition = (logic: unknown, at: string, typed: boolean) => {
    for (const f of inspectCondition(logic, lookup)) {
      const pointer = at + toPointer(f.path);
      if (f.kind === 'unknownOperator')
        report('condition.invalid', pointer, { operator: f.operator });
      else if (f.kind === 'unknownVariable')
        report('condition.unknownVariable', pointer, { variable: f.variable });
      else if (typed) {
        report('condition.typeMismatch', pointer, {
          variable: f.variable,
          expected: f.expected,
          found: f.found,
        });
      }
    }
  };
  for (const e of edges)
    if (e.kind === 'condition') condition(e.raw.condition, `${e.at}/condition`, true);
  for (const n of nodes) {
    const r = n.raw;
    if (n.kind === 'multiTask') {
      variable(r.over, `${n.at}/over`);
      variable(r.collect, `${n.at}/collect`);
    }
    if (n.kind === 'subflow') {
      variable(r.outcomeVar, `${n.at}/outcomeVar`);
      if (isObject(r.input)) {
        for (const [k, v] of Object.entries(r.input))
          condition(v, `${n.at}/input/${escapeSegment(k)}`, false);
      }
    }
    if (isHumanStep(n) && isObject(r.assignee) && isObject(r.assignee.department)) {
      const v = str(r.assignee.department.var);
      const itemVar = str(r.itemVar) ?? 'item';
      const itemScoped =
        n.kind === 'multiTask' && v !== undefined && (v === itemVar || v.startsWith(`${itemVar}.`));
      if (!itemScoped) variable(v, `${n.at}/assignee/department/var`);
    }
    if (n.kind === 'action') {
      objects(r.operations).forEach(({ raw, index }) => {
        const at = `${n.at}/operations/${index}`;
        if (raw.op === 'set') variable(raw.var, `${at}/var`);
        if (raw.op === 'set' || raw.op === 'setUrgency') condition(raw.value, `${at}/value`, false);
      });
    }
  }
}

const SENSITIVE_KIND_ZH: Record<SensitiveKind, string> = {
  name: '姓名',
  address: '住址',
  idCard: '身份证号',
  phone: '手机号',
  text: '敏感文本',
};

/**
 * Sensitive fields (`x-sensitive` in the case schema or any form) are sealed
 * before the engine sees them, so a condition, a department to route to, a
 * list to fan out over or the case category reading one would read ciphertext.
 */
function checkSensitiveReads(
  input: Raw,
  nodes: NodeView[],
  edges: EdgeView[],
  report: Report,
): void {
  const marked = new Map(sensitiveVariables(input.dataSchema));
  const markedAt = new Map([...marked.keys()].map((v) => [v, '/dataSchema']));
  objects(input.forms).forEach(({ raw, index }) => {
    for (const [v, kind] of sensitiveVariables(raw.schema)) {
      marked.set(v, kind);
      if (!markedAt.has(v)) markedAt.set(v, `/forms/${index}/schema`);
    }
  });
  if (!marked.size) return;
  const kindOf = (v: string): SensitiveKind | undefined => {
    for (const [name, kind] of marked) if (v === name || v.startsWith(`${name}.`)) return kind;
    return undefined;
  };
  const use = (v: unknown, at: string, en: string, zh: string) => {
    const kind = typeof v === 'string' ? kindOf(v) : undefined;
    if (kind)
      report('sensitive.read', at, {
        variable: v as string,
        kind,
        kindZh: SENSITIVE_KIND_ZH[kind],
        use: en,
        useZh: zh,
      });
  };
  const condition = (logic: unknown, at: string, en: string, zh: string) => {
    // Every variable the expression reads, whatever the operator.
    const visit = (expr: unknown, path: string) => {
      if (Array.isArray(expr)) {
        for (let i = 0; i < expr.length; i++) visit(expr[i], `${path}/${i}`);
      } else if (isObject(expr))
        for (const [op, args] of Object.entries(expr)) {
          if (op === 'var') {
            const name = Array.isArray(args) ? args[0] : args;
            use(name, `${path}/var${Array.isArray(args) ? '/0' : ''}`, en, zh);
          } else visit(args, `${path}/${op.replace(/~/g, '~0').replace(/\//g, '~1')}`);
        }
    };
    visit(logic, at);
  };
  for (const e of edges)
    if (e.kind === 'condition')
      condition(e.raw.condition, `${e.at}/condition`, 'a condition', '条件');
  for (const n of nodes) {
    const r = n.raw;
    if (n.kind === 'multiTask') use(r.over, `${n.at}/over`, 'a multi-instance list', '多实例列表');
    if (isHumanStep(n) && isObject(r.assignee) && isObject(r.assignee.department))
      use(
        r.assignee.department.var,
        `${n.at}/assignee/department/var`,
        'the department rule',
        '分派部门',
      );
    if (n.kind === 'action')
      objects(r.operations).forEach(({ raw, index }) => {
        if (raw.op === 'set' || raw.op === 'setUrgency')
          condition(
            raw.value,
            `${n.at}/operations/${index}/value`,
            'an automatic operation',
            '自动操作',
          );
      });
  }
  // The case list's category column comes from case data `category`.
  const category = markedAt.get('category');
  if (category) use('category', `${category}/properties/category`, 'the case category', '案件分类');
}

/**
 * The case's title and summary (`caseTitle`, `caseSummary`) show in every
 * list, export and notification: a field of the case data, never one sealed.
 */
function checkCaseFields(input: Raw, report: Report): void {
  const marked = new Map(sensitiveVariables(input.dataSchema));
  objects(input.forms).forEach(({ raw }) => {
    for (const [v, kind] of sensitiveVariables(raw.schema)) marked.set(v, kind);
  });
  const roles = [
    ['caseTitle', 'title', '案件标题'],
    ['caseSummary', 'summary', '诉求摘要'],
  ] as const;
  for (const [key, role, roleZh] of roles) {
    const v = str(input[key]);
    if (v === undefined) continue;
    if (!variableTypeInSchema(input.dataSchema, v)) {
      report('caseField.unknown', `/${key}`, { variable: v, role, roleZh });
      continue;
    }
    for (const [name, kind] of marked)
      if (v === name || v.startsWith(`${name}.`)) {
        report('caseField.sensitive', `/${key}`, {
          variable: v,
          role,
          roleZh,
          kind,
          kindZh: SENSITIVE_KIND_ZH[kind],
        });
        break;
      }
  }
}

/**
 * The return visit's answer (case data `satisfaction`) feeds 满意率 and 参评率;
 * an answer they cannot read would silently count as "not rated".
 */
function checkSatisfactionField(input: Raw, report: Report): void {
  const places: Array<{ field: unknown; at: string }> = [];
  const fieldOf = (schema: unknown, at: string) => {
    if (isObject(schema) && isObject(schema.properties) && SATISFACTION_FIELD in schema.properties)
      places.push({
        field: schema.properties[SATISFACTION_FIELD],
        at: `${at}/properties/${SATISFACTION_FIELD}`,
      });
  };
  fieldOf(input.dataSchema, '/dataSchema');
  objects(input.forms).forEach(({ raw, index }) => {
    fieldOf(raw.schema, `/forms/${index}/schema`);
  });
  for (const { field, at } of places) {
    const uncounted = uncountedSatisfactionValues(field);
    if (uncounted === undefined) {
      report('kpi.satisfactionUncounted', at, {
        values: '未限定（请列出取值，或限定为 1–5 的整数）',
        valuesEn: 'not limited (list them, or limit them to integers 1–5)',
      });
    } else if (uncounted.length > 0) {
      const list = uncounted.map((v) => JSON.stringify(v));
      report('kpi.satisfactionUncounted', `${at}/enum`, {
        values: list.join('、'),
        // An English message stays readable: Chinese values are counted, not quoted.
        valuesEn: list.some((v) => /[^\x20-\x7e]/.test(v))
          ? `${list.length} of the listed values`
          : list.join(', '),
      });
    }
  }
}

/** Condition edges that cannot mean anything: no condition, or one that reads no case data. */
function checkConditions(
  nodes: NodeView[],
  edges: EdgeView[],
  out: Map<string, EdgeView[]>,
  report: Report,
): void {
  for (const e of edges) {
    if (e.kind !== 'condition') continue;
    if (e.raw.condition === undefined) report('condition.missing', e.at);
    const value = constantCondition(e.raw.condition);
    if (value !== undefined) {
      report('condition.constant', `${e.at}/condition`, { value: String(value) });
    }
  }
  for (const n of nodes) {
    if (n.kind !== 'decision' || n.id === undefined) continue;
    const outgoing = out.get(n.id) ?? [];
    const always = outgoing.find(
      (e) => e.kind === 'condition' && constantCondition(e.raw.condition) === true,
    );
    const fallback = outgoing.find((e) => e.kind === 'default');
    if (always && fallback) {
      report('decision.defaultNeverTaken', fallback.at, { id: n.id, edge: always.id ?? '' });
    }
  }
}

/** A child case starts with the parent's channel and the parent's `input` as its data. */
function checkSubflowContract(
  parent: Raw,
  node: NodeView,
  child: Raw,
  ref: string,
  outsideForms: NonNullable<CheckOptions['forms']>,
  report: Report,
): void {
  const start = objects(child.nodes).find(({ raw }) => raw.kind === 'start')?.raw;
  if (!start) return;
  const parentStart = objects(parent.nodes).find(({ raw }) => raw.kind === 'start')?.raw;
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : [];
  const accepted = strings(start.channels);
  const parentChannels = strings(parentStart?.channels);
  const refused = parentChannels.filter((c) => !accepted.includes(c));
  if (refused.length > 0) {
    report('subflow.channel', `${node.at}/flow`, {
      ref,
      channels: refused.join(', '),
      accepted: accepted.join(', ') || '—',
    });
  }

  const forms = objects(child.forms).map(({ raw }) => raw);
  const formSchema = (id: unknown): Raw | undefined => {
    const schema = forms.find((f) => f.id === id)?.schema;
    return isObject(schema) ? schema : undefined;
  };
  // The engine validates the start data against the start form, or the public
  // intake form for online cases; without a form, the case schema says what is required.
  const schemas: Raw[] = [];
  const staff = formSchema(start.form);
  const intake = formSchema(start.intakeForm);
  if (staff && parentChannels.some((c) => c !== 'online' || !intake)) schemas.push(staff);
  if (intake && parentChannels.includes('online')) schemas.push(intake);
  if (schemas.length === 0 && start.form === undefined && isObject(child.dataSchema)) {
    schemas.push(child.dataSchema);
  }

  const input = isObject(node.raw.input) ? node.raw.input : {};
  const inputAt = isObject(node.raw.input) ? `${node.at}/input` : node.at;
  const missing = new Set<string>();
  for (const schema of schemas) {
    const required = Array.isArray(schema.required) ? schema.required : [];
    for (const field of required) {
      if (typeof field === 'string' && !(field in input) && !missing.has(field)) {
        missing.add(field);
        report('subflow.inputMissing', inputAt, { ref, field });
      }
    }
  }

  const parentLookup = (v: string) => variableTypeInSchema(parent.dataSchema, v);
  for (const [field, expr] of Object.entries(input)) {
    const found = knownType(expr, parentLookup);
    if (!found) continue;
    for (const schema of schemas.length ? schemas : [child.dataSchema]) {
      const expected = variableTypeInSchema(schema, field);
      if (!expected || typesOverlap(found, expected)) continue;
      report('subflow.inputType', `${node.at}/input/${escapeSegment(field)}`, {
        ref,
        field,
        found: describeType(found),
        expected: describeType(expected),
      });
      break;
    }
  }

  // A variable nobody had to fill reads as null, which a typed or required
  // field of the child refuses: warn unless a form on every path filled it.
  if (node.id === undefined) return;
  const filled = filledOnEveryPath(parent, node.id, outsideForms);
  for (const [field, expr] of Object.entries(input)) {
    if (!isObject(expr) || Object.keys(expr).length !== 1 || typeof expr.var !== 'string') continue;
    const variable = expr.var;
    if (variable.startsWith('$case.') || filled.has(variable.split('.')[0] as string)) continue;
    const strict = schemas.some((schema) => {
      const required = Array.isArray(schema.required) && schema.required.includes(field);
      const type = variableTypeInSchema(schema, field);
      return (
        required || (type !== undefined && !type.types.includes('null') && type.types.length < 7)
      );
    });
    if (strict) {
      report('subflow.inputMaybeMissing', `${node.at}/input/${escapeSegment(field)}`, {
        ref,
        field,
        variable,
      });
    }
  }
}

/**
 * Case data fields some form surely filled before a case reaches `target`:
 * the required fields of the start form and of every task form on all paths
 * from the start to it (the nodes that dominate it).
 */
function filledOnEveryPath(
  flow: Raw,
  target: string,
  outsideForms: NonNullable<CheckOptions['forms']>,
): Set<string> {
  const nodes = objects(flow.nodes).map(({ raw }) => raw);
  const ids = nodes.flatMap((n) => (typeof n.id === 'string' ? [n.id] : []));
  const start = nodes.find((n) => n.kind === 'start');
  const filled = new Set<string>();
  if (!start || typeof start.id !== 'string') return filled;
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const { raw } of objects(flow.edges)) {
    if (typeof raw.from === 'string' && typeof raw.to === 'string')
      preds.get(raw.to)?.push(raw.from);
  }
  // Iterative dominators: small graphs, a few passes.
  const all = new Set(ids);
  const dom = new Map<string, Set<string>>(
    ids.map((id) => [id, id === start.id ? new Set([id]) : new Set(all)]),
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of ids) {
      if (id === start.id) continue;
      const ps = (preds.get(id) ?? []).map((p) => dom.get(p) ?? new Set<string>());
      const next = new Set<string>(
        ps.length ? [...(ps[0] as Set<string>)].filter((d) => ps.every((p) => p.has(d))) : [],
      );
      next.add(id);
      if (next.size !== dom.get(id)?.size) {
        dom.set(id, next);
        changed = true;
      }
    }
  }
  const forms = new Map<string, { schema?: unknown }>([
    ...outsideForms.map((f): [string, { schema?: unknown }] => [f.id, f]),
    ...objects(flow.forms).flatMap(
      ({ raw }): Array<[string, Raw]> => (typeof raw.id === 'string' ? [[raw.id, raw]] : []),
    ),
  ]);
  const required = (formId: unknown): string[] => {
    const schema = typeof formId === 'string' ? forms.get(formId)?.schema : undefined;
    return isObject(schema) && Array.isArray(schema.required)
      ? schema.required.filter((f): f is string => typeof f === 'string')
      : [];
  };
  // A button whose form every path to the target passes through (removing
  // its edge cuts the target off) fills its required fields too.
  const edges = objects(flow.edges).map(({ raw }) => raw);
  for (const edge of edges) {
    if (edge.kind !== 'action' || typeof edge.form !== 'string') continue;
    const next = new Map<string, string[]>();
    for (const e of edges) {
      if (e === edge || typeof e.from !== 'string' || typeof e.to !== 'string') continue;
      next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    }
    if (!reachableFrom([start.id], next).has(target)) {
      for (const f of required(edge.form)) filled.add(f);
    }
  }
  for (const id of dom.get(target) ?? []) {
    if (id === target) continue;
    const n = nodes.find((x) => x.id === id);
    if (!n) continue;
    if (n.kind === 'start') {
      // An online case fills the intake form instead: count what both require.
      const staff = required(n.form);
      const online = n.intakeForm === undefined ? staff : required(n.intakeForm);
      for (const f of staff) if (online.includes(f)) filled.add(f);
    } else if (n.kind === 'task') {
      for (const f of required(n.form)) filled.add(f);
    }
  }
  return filled;
}

/** The type of an input expression when it is a literal or reads one declared variable. */
function knownType(
  expr: unknown,
  lookup: (variable: string) => VarType | undefined,
): VarType | undefined {
  const literal = literalVarType(expr);
  if (literal) return literal;
  if (!isObject(expr) || Object.keys(expr).length !== 1 || !('var' in expr)) return undefined;
  const arg = Array.isArray(expr.var) ? expr.var[0] : expr.var;
  if (typeof arg !== 'string') return undefined;
  const type = lookup(arg);
  // A schema without a type accepts anything: nothing is known.
  return type && type.types.length < 7 ? type : undefined;
}

function describeType(type: VarType): string {
  return type.enum ? type.enum.map((v) => JSON.stringify(v)).join(' | ') : type.types.join(' | ');
}

function escapeSegment(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A value that is not a JSON Logic object, named in English and Chinese. */
function describeValue(value: unknown): [string, string] {
  if (typeof value === 'string')
    return [`the string ${JSON.stringify(value)}`, `字符串 ${JSON.stringify(value)}`];
  if (typeof value === 'number') return [`the number ${value}`, `数字 ${value}`];
  if (typeof value === 'boolean') return [`the boolean ${value}`, `布尔值 ${value}`];
  if (Array.isArray(value)) return ['a list', '列表'];
  return ['null', 'null'];
}

function checkDurations(input: Raw, nodes: NodeView[], report: Report): void {
  const REASONS = {
    unparsable: [
      'not an ISO 8601 duration such as P15D, P2W or PT4H',
      '不是 ISO 8601 时长（如 P15D、P2W、PT4H）',
    ],
    zero: ['it is zero', '时长为零'],
    workingDaysNeedDays: [
      'working-day deadlines count whole days: use only W and D (e.g. P15D)',
      '工作日时限按整天计算，只能用 W 和 D（如 P15D）',
    ],
  } as const;
  const duration = (value: unknown, calendar: Calendar, at: string, sameDayAllowed = false) => {
    if (typeof value !== 'string') return;
    const reason = durationProblem(value, calendar, sameDayAllowed);
    if (reason) {
      report('duration.invalid', at, {
        value,
        reason: REASONS[reason][0],
        reasonZh: REASONS[reason][1],
      });
    }
  };
  const deadline = (d: unknown, at: string) => {
    if (!isObject(d)) return;
    const calendar: Calendar = d.calendar === 'workingDays' ? 'workingDays' : 'natural';
    // A deadline or wait may be "the same day" (P0D); a warning lead time or an extension may not.
    duration(d.duration, calendar, `${at}/duration`, true);
    if (isObject(d.byUrgency)) {
      for (const [colour, v] of Object.entries(d.byUrgency)) {
        if (isObject(v)) {
          // An entry with its own calendar is checked in that calendar.
          const own: Calendar = v.calendar === 'workingDays' ? 'workingDays' : 'natural';
          duration(v.duration, own, `${at}/byUrgency/${colour}/duration`, true);
        } else duration(v, calendar, `${at}/byUrgency/${colour}`, true);
      }
    }
    if (d.rollOverHolidays === true && typeof d.duration === 'string') {
      // Working days always end on a working day, and hours are counted exactly: nothing to roll.
      const parts = parseDuration(d.duration);
      const exact = parts !== undefined && parts.hours + parts.minutes + parts.seconds > 0;
      if (calendar === 'workingDays' || exact) {
        report('deadline.rollHasNoEffect', `${at}/rollOverHolidays`, {
          duration: d.duration,
          reason: calendar === 'workingDays' ? 'workingDays' : 'hours',
        });
      }
    }
    // A warning lead time may be hours even on a working-day calendar.
    duration(d.warningBefore, 'natural', `${at}/warningBefore`);
    const total = typeof d.duration === 'string' ? parseDuration(d.duration) : undefined;
    const warning =
      typeof d.warningBefore === 'string' ? parseDuration(d.warningBefore) : undefined;
    // A same-day deadline (P0D) lasts at most a day, depending on when it starts.
    const length = total && (approximateSeconds(total) || 86_400);
    if (length && warning && approximateSeconds(warning) >= length) {
      report('deadline.warningNotBeforeDue', `${at}/warningBefore`, {
        warning: d.warningBefore as string,
        duration: d.duration as string,
      });
    }
  };
  const clockIds = new Set(
    objects(input.clocks).flatMap(({ raw }) => (typeof raw.id === 'string' ? [raw.id] : [])),
  );
  for (const n of nodes) {
    if (isHumanStep(n)) {
      deadline(n.raw.deadline, `${n.at}/deadline`);
      const bound = n.raw.deadlineClock;
      if (typeof bound === 'string') {
        if (!clockIds.has(bound)) {
          report('deadline.unknownClock', `${n.at}/deadlineClock`, { id: bound });
        }
        if (isObject(n.raw.deadline)) {
          report('deadline.clockAndDuration', `${n.at}/deadlineClock`, { clock: bound });
        }
      }
    }
    if (n.kind === 'timer') deadline(n.raw.wait, `${n.at}/wait`);
  }
  // 信访工作条例 第三十二条: one extension of at most 30 days.
  const STATUTORY_EXTENSION = 30 * 86_400;
  objects(input.clocks).forEach(({ raw, index }) => {
    deadline(raw.deadline, `/clocks/${index}/deadline`);
    if (!isObject(raw.extension)) return;
    const at = `/clocks/${index}/extension`;
    duration(raw.extension.max, 'natural', `${at}/max`);
    const max =
      typeof raw.extension.max === 'string' ? parseDuration(raw.extension.max) : undefined;
    if (max && approximateSeconds(max) > STATUTORY_EXTENSION) {
      report('extension.beyondStatute', `${at}/max`, { value: raw.extension.max as string });
    }
    if (typeof raw.extension.times === 'number' && raw.extension.times > 1) {
      report('extension.beyondStatute', `${at}/times`, { value: `×${raw.extension.times}` });
    }
  });
}

function checkLocks(
  input: Raw,
  template: NonNullable<CheckOptions['template']>,
  report: Report,
): void {
  const lockedPaths = lockedKeyedPaths(template.flow, template.locked);
  for (const op of lockedChanges(template.flow, template.locked, input)) {
    const locked = lockedPaths.find(
      (p) => p === op.path || op.path.startsWith(`${p}/`) || p.startsWith(`${op.path}/`),
    );
    const pointer = keyedPathToPointer(input, op.op === 'remove' ? parentPath(op.path) : op.path);
    report('template.lockedChanged', resolvePointer(input, pointer).found ? pointer : '', {
      locked: locked ?? op.path,
      op: op.op,
      path: op.path,
    });
  }
}

function parentPath(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

function pointerKey(pointer: string): Array<string | number> {
  return pointer
    .split('/')
    .slice(1)
    .map((t) => (/^\d+$/.test(t) ? Number(t) : t));
}

function comparePointers(a: string, b: string): number {
  const ka = pointerKey(a);
  const kb = pointerKey(b);
  for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
    const x = ka[i] as string | number;
    const y = kb[i] as string | number;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return ka.length - kb.length;
}

/** Errors before warnings, then in document order. */
export function sortProblems(problems: Problem[]): Problem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort(
      (a, b) =>
        (a.p.severity === b.p.severity ? 0 : a.p.severity === 'error' ? -1 : 1) ||
        comparePointers(a.p.pointer, b.p.pointer) ||
        a.i - b.i,
    )
    .map(({ p }) => p);
}

/** A form field's title, for messages (诉求摘要, not summary). */
function fieldTitle(schema: unknown): string | undefined {
  return isObject(schema) && typeof schema.title === 'string' && schema.title.trim()
    ? schema.title
    : undefined;
}
