import { variableTypeInSchema } from '../condition';
import { type SensitiveKind, sensitiveVariables } from '../privacy';
import type { ProblemCode } from './problems';

type Raw = Record<string, unknown>;
type Report = (
  code: ProblemCode,
  pointer: string,
  params?: Record<string, string | number>,
) => void;
interface NodeLike {
  id: string | undefined;
  kind: string | undefined;
  raw: Raw;
  at: string;
}

const SENSITIVE_KIND_ZH: Record<SensitiveKind, string> = {
  name: '姓名',
  address: '住址',
  idCard: '身份证号',
  phone: '手机号',
  text: '敏感文本',
};

const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Whether the step is dispatched to a department by an earlier human step:
 * its assignee names a department and some step before it is worked by
 * someone else (not the same department continuing its own work).
 */
function dispatchedFrom(
  n: NodeLike,
  nodes: NodeLike[],
  edges: readonly { from: string | undefined; to: string | undefined }[],
): boolean {
  const assignee = n.raw.assignee;
  if (!isObject(assignee) || assignee.department === undefined || n.id === undefined) return false;
  const department = JSON.stringify(assignee.department);
  const byId = new Map(nodes.flatMap((x) => (x.id === undefined ? [] : [[x.id, x] as const])));
  const seen = new Set<string>([n.id]);
  const queue = [n.id];
  while (queue.length) {
    const at = queue.pop() as string;
    for (const e of edges) {
      if (e.to !== at || e.from === undefined || seen.has(e.from)) continue;
      seen.add(e.from);
      queue.push(e.from);
      const before = byId.get(e.from);
      if (before?.kind !== 'task' && before?.kind !== 'multiTask') continue;
      const rule = before.raw.assignee;
      if (!isObject(rule) || JSON.stringify(rule.department) !== department) return true;
    }
  }
  return false;
}

/**
 * Dispatch to departments (拒签, 重新分派, 主办/协办, own-deadline extension):
 * a step dispatched to a department can be refused, a refusal names where
 * it goes, a re-dispatch form can rewrite the list of departments, and an
 * extension has a deadline to extend. References (forms, clocks, variables,
 * roles) are checked with the others in check.ts.
 */
export function checkDispatch(
  input: Raw,
  nodes: NodeLike[],
  edges: readonly { from: string | undefined; to: string | undefined }[],
  moreForms: readonly { id: string; schema?: unknown }[],
  report: Report,
): void {
  const forms = new Map<string, Raw | undefined>();
  const sensitive = new Map(sensitiveVariables(input.dataSchema));
  for (const f of [...(Array.isArray(input.forms) ? input.forms : []), ...moreForms])
    if (isObject(f) && typeof f.id === 'string') {
      forms.set(f.id, isObject(f.schema) ? f.schema : undefined);
      for (const [v, kind] of sensitiveVariables(f.schema)) sensitive.set(v, kind);
    }
  const ids = (list: unknown) =>
    new Set(
      Array.isArray(list)
        ? list.flatMap((x) => (isObject(x) && typeof x.id === 'string' ? [x.id] : []))
        : [],
    );
  const roles = ids(input.roles);
  const clocks = ids(input.clocks);
  const form = (value: unknown, at: string) => {
    if (typeof value === 'string' && !forms.has(value)) report('form.missing', at, { id: value });
  };
  const variable = (value: unknown, at: string) => {
    if (typeof value !== 'string') return;
    if (isObject(input.dataSchema) && !variableTypeInSchema(input.dataSchema, value))
      report('variable.unknown', at, { variable: value });
  };
  for (const n of nodes) {
    if (n.kind !== 'task' && n.kind !== 'multiTask') continue;
    const r = n.raw;
    const id = n.id ?? '';
    const refusal = r.refusal;
    if (isObject(refusal)) {
      const backTo = refusal.backTo !== undefined;
      const redispatch = isObject(refusal.redispatch) ? refusal.redispatch : undefined;
      if (backTo === (redispatch !== undefined)) report('refusal.target', `${n.at}/refusal`);
      if (redispatch) {
        form(redispatch.form, `${n.at}/refusal/redispatch/form`);
        const rule = redispatch.assignee;
        if (isObject(rule) && typeof rule.role === 'string' && !roles.has(rule.role))
          report('role.unknown', `${n.at}/refusal/redispatch/assignee/role`, { id: rule.role });
      }
      if (redispatch && n.kind === 'task')
        report('refusal.redispatchOnTask', `${n.at}/refusal/redispatch`, { id });
      if (redispatch && n.kind === 'multiTask' && typeof redispatch.form === 'string') {
        const schema = forms.get(redispatch.form);
        const over = typeof r.over === 'string' ? r.over : undefined;
        const field = over?.split('.')[0];
        const props = schema && isObject(schema.properties) ? schema.properties : undefined;
        if (props && field && over && !Object.hasOwn(props, field))
          report('refusal.redispatchListNotWritten', `${n.at}/refusal/redispatch/form`, {
            form: redispatch.form,
            field,
            over,
          });
      }
    } else if (dispatchedFrom(n, nodes, edges)) {
      report('refusal.missing', n.at, { id });
    }
    const joint = n.kind === 'multiTask' && isObject(r.joint) ? r.joint : undefined;
    if (joint) {
      variable(joint.lead, `${n.at}/joint/lead`);
      variable(joint.merged, `${n.at}/joint/merged`);
      form(joint.leadForm, `${n.at}/joint/leadForm`);
      if (typeof joint.within === 'string' && !clocks.has(joint.within))
        report('deadline.unknownClock', `${n.at}/joint/within`, { id: joint.within });
      const lead = typeof joint.lead === 'string' ? joint.lead : undefined;
      const found = lead && [...sensitive].find(([v]) => lead === v || lead.startsWith(`${v}.`));
      if (lead && found)
        report('sensitive.read', `${n.at}/joint/lead`, {
          variable: lead,
          kind: found[1],
          kindZh: SENSITIVE_KIND_ZH[found[1]],
          use: 'the lead department',
          useZh: '主办部门',
        });
    }
    if (r.extension !== undefined && !isObject(r.deadline))
      report('extension.withoutDeadline', `${n.at}/extension`, { id });
  }
}
