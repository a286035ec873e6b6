import canonicalize from 'canonicalize';
import { type Bilingual, type Lang, localize } from './text';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
/** Key-order insensitive equality (RFC 8785 canonical JSON). */
const same = (a: unknown, b: unknown) => canonicalize(a ?? null) === canonicalize(b ?? null);

/** Lists of a flow whose items have stable ids: compared item by item. */
const COLLECTIONS = ['nodes', 'edges', 'forms', 'clocks', 'roles', 'groups'] as const;
type Collection = (typeof COLLECTIONS)[number];
/** Not a change of the flow: its version number and the editor's schema hint. */
const IGNORED = new Set<string>(['version', '$schema', ...COLLECTIONS]);

export interface CollectionDiff {
  added: string[];
  removed: string[];
  changed: string[];
}

/** One change in a flow, at a path of ids (`["nodes", "accept", "deadline", "duration"]`). */
export interface FlowChange {
  path: string[];
  before: unknown;
  after: unknown;
}

export interface FlowDiff {
  /** Top-level fields (name, dataSchema, caseCommands, …) whose value changed. */
  fields: string[];
  nodes: CollectionDiff & {
    /** Nodes only moved on the canvas (not a change of what the flow does). */
    moved: string[];
  };
  edges: CollectionDiff;
  forms: CollectionDiff;
  clocks: CollectionDiff;
  roles: CollectionDiff;
  groups: CollectionDiff;
  /** Case data fields (the properties of dataSchema). */
  dataFields: CollectionDiff;
  /** Every change, as deep as both sides are objects; node positions left out. */
  changes: FlowChange[];
  /** Nothing changed but node positions (or nothing at all). */
  identical: boolean;
}

function byId(value: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!Array.isArray(value)) return out;
  value.forEach((item, i) => {
    const id = (item as { id?: unknown } | null)?.id;
    out.set(typeof id === 'string' ? id : `#${i}`, item);
  });
  return out;
}

const withoutPosition = (node: unknown) => {
  if (!isObject(node)) return node;
  const { position: _p, ...rest } = node;
  return rest;
};

const isText = (v: Json) =>
  typeof v['zh-CN'] === 'string' && Object.keys(v).every((k) => k === 'zh-CN' || k === 'en');

function deepChanges(path: string[], a: unknown, b: unknown, out: FlowChange[]) {
  if (same(a, b)) return;
  // A text in both languages is one value: 名称：旧 → 新, not one change per language.
  if (isObject(a) && isObject(b) && !isText(a) && !isText(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)]))
      deepChanges([...path, k], a[k], b[k], out);
    return;
  }
  out.push({ path, before: a, after: b });
}

function collectionDiff(a: Map<string, unknown>, b: Map<string, unknown>): CollectionDiff {
  return {
    added: [...b.keys()].filter((k) => !a.has(k)),
    removed: [...a.keys()].filter((k) => !b.has(k)),
    changed: [...b.keys()].filter((k) => a.has(k) && !same(a.get(k), b.get(k))),
  };
}

/**
 * What changed from `a` to `b`, by stable id and key-order insensitive, so a
 * rename is one change however the JSON was written. The designer's versions
 * tab and the server's flows.diff both use this.
 */
export function diffFlows(a: unknown, b: unknown): FlowDiff {
  const fa = isObject(a) ? a : {};
  const fb = isObject(b) ? b : {};
  const keys = [...new Set([...Object.keys(fa), ...Object.keys(fb)])].filter(
    (k) => !IGNORED.has(k),
  );
  const changes: FlowChange[] = [];
  const fields = keys.filter((k) => !same(fa[k], fb[k])).sort();
  for (const k of fields) deepChanges([k], fa[k], fb[k], changes);
  const result = { fields, changes } as unknown as FlowDiff;
  let identical = fields.length === 0;
  for (const c of COLLECTIONS) {
    const from = byId(fa[c]);
    const to = byId(fb[c]);
    const strip = c === 'nodes' ? withoutPosition : (x: unknown) => x;
    const d = collectionDiff(
      new Map([...from].map(([k, v]) => [k, strip(v)])),
      new Map([...to].map(([k, v]) => [k, strip(v)])),
    );
    if (d.added.length || d.removed.length || d.changed.length) identical = false;
    for (const id of d.removed)
      changes.push({ path: [c, id], before: from.get(id), after: undefined });
    for (const id of d.added) changes.push({ path: [c, id], before: undefined, after: to.get(id) });
    for (const id of d.changed)
      deepChanges([c, id], strip(from.get(id)), strip(to.get(id)), changes);
    if (c === 'nodes') {
      const moved = [...to.keys()].filter(
        (k) =>
          from.has(k) &&
          !d.changed.includes(k) &&
          !same(
            (from.get(k) as Json | undefined)?.position,
            (to.get(k) as Json | undefined)?.position,
          ),
      );
      result.nodes = { ...d, moved };
    } else {
      result[c] = d;
    }
  }
  const props = (f: Json) => {
    const s = f.dataSchema;
    return new Map(Object.entries(isObject(s) && isObject(s.properties) ? s.properties : {}));
  };
  result.dataFields = collectionDiff(props(fa), props(fb));
  result.identical = identical;
  return result;
}

/** The keyed lists of a flow, in the designer's words (also the API's template texts). */
export const FLOW_LIST_WORDS: Record<Collection, Bilingual> = {
  nodes: { 'zh-CN': '步骤', en: 'step' },
  edges: { 'zh-CN': '连线', en: 'edge' },
  forms: { 'zh-CN': '表单', en: 'form' },
  clocks: { 'zh-CN': '法定时限', en: 'statutory clock' },
  roles: { 'zh-CN': '角色', en: 'role' },
  groups: { 'zh-CN': '分组', en: 'group' },
};

/** Names of the fields people edit, in the designer's words (also the API's template texts). */
export const FLOW_FIELD_WORDS: Record<string, Bilingual> = {
  name: { 'zh-CN': '名称', en: 'name' },
  label: { 'zh-CN': '按钮文字', en: 'label' },
  description: { 'zh-CN': '说明', en: 'description' },
  deadline: { 'zh-CN': '办理时限', en: 'deadline' },
  deadlineClock: { 'zh-CN': '所属法定时限', en: 'statutory clock' },
  duration: { 'zh-CN': '时长', en: 'duration' },
  warningBefore: { 'zh-CN': '提前预警', en: 'warning before' },
  calendar: { 'zh-CN': '日历', en: 'calendar' },
  rollOverHolidays: { 'zh-CN': '节假日顺延', en: 'roll over holidays' },
  extension: { 'zh-CN': '延期', en: 'extension' },
  assignee: { 'zh-CN': '办理人', en: 'assignee' },
  role: { 'zh-CN': '角色', en: 'role' },
  department: { 'zh-CN': '承办部门', en: 'department' },
  form: { 'zh-CN': '表单', en: 'form' },
  intakeForm: { 'zh-CN': '登记表单', en: 'intake form' },
  schema: { 'zh-CN': '表单结构', en: 'form schema' },
  uiSchema: { 'zh-CN': '表单布局', en: 'form layout' },
  properties: { 'zh-CN': '字段', en: 'fields' },
  required: { 'zh-CN': '必填项', en: 'required fields' },
  title: { 'zh-CN': '标题', en: 'title' },
  condition: { 'zh-CN': '条件', en: 'condition' },
  action: { 'zh-CN': '动作', en: 'action' },
  from: { 'zh-CN': '起点', en: 'from' },
  to: { 'zh-CN': '终点', en: 'to' },
  kind: { 'zh-CN': '类型', en: 'kind' },
  outcome: { 'zh-CN': '办结结果', en: 'outcome' },
  channels: { 'zh-CN': '受理渠道', en: 'channels' },
  dataSchema: { 'zh-CN': '案件数据', en: 'case data' },
  caseCommands: { 'zh-CN': '案件级操作权限', en: 'case-level commands' },
  urgencyLabels: { 'zh-CN': '四色预警说明', en: 'urgency labels' },
  operations: { 'zh-CN': '自动操作', en: 'operations' },
  flow: { 'zh-CN': '子流程', en: 'subflow' },
  over: { 'zh-CN': '多实例列表', en: 'instance list' },
  returnTo: { 'zh-CN': '可退回到', en: 'may return to' },
  roles: { 'zh-CN': '角色', en: 'roles' },
  on: { 'zh-CN': '触发', en: 'trigger' },
  start: { 'zh-CN': '开始步骤', en: 'start steps' },
  stop: { 'zh-CN': '结束步骤', en: 'stop steps' },
  pause: { 'zh-CN': '暂停步骤', en: 'pause steps' },
  jurisdiction: { 'zh-CN': '辖区', en: 'jurisdiction' },
  key: { 'zh-CN': '标识', en: 'key' },
  extends: { 'zh-CN': '所基于的模板', en: 'template' },
  wait: { 'zh-CN': '等待', en: 'wait' },
  mode: { 'zh-CN': '汇合方式', en: 'join mode' },
  position: { 'zh-CN': '画布位置', en: 'canvas position' },
  warnBefore: { 'zh-CN': '预警', en: 'warning' },
  escalate: { 'zh-CN': '超时升级', en: 'escalation' },
};

const text = (v: unknown): Bilingual | undefined =>
  isObject(v) && typeof v['zh-CN'] === 'string'
    ? {
        'zh-CN': v['zh-CN'] as string,
        en: typeof v.en === 'string' ? v.en : (v['zh-CN'] as string),
      }
    : undefined;

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

/** A value in words: texts by their language, durations in days, lists joined, others shortened. */
function valueWords(value: unknown, lang: Lang, names: (id: string) => string | undefined): string {
  if (value === undefined || value === null) return lang === 'en' ? '(none)' : '（无）';
  if (typeof value === 'string') {
    const m = DURATION.exec(value);
    if (m && value !== 'P' && value !== 'PT') {
      const units: [string | undefined, string, string][] = [
        [m[1], '年', ' y'],
        [m[2], '个月', ' mo'],
        [m[3], '周', ' w'],
        [m[4], '天', ' d'],
        [m[5], '小时', ' h'],
        [m[6], '分钟', ' min'],
      ];
      return units
        .filter(([n]) => n)
        .map(([n, z, e]) => `${n}${lang === 'en' ? e : z}`)
        .join(lang === 'en' ? ' ' : '');
    }
    return names(value) ?? value;
  }
  if (typeof value === 'boolean')
    return lang === 'en' ? (value ? 'yes' : 'no') : value ? '是' : '否';
  if (typeof value === 'number') return String(value);
  const t = text(value);
  if (t) return localize(t, lang);
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'string' || typeof v === 'number'))
      return value.map((v) => valueWords(v, lang, names)).join(lang === 'en' ? ', ' : '、');
    return lang === 'en' ? `${value.length} items` : `${value.length} 项`;
  }
  if (isObject(value)) {
    const named = text(value.name ?? value.label ?? value.title);
    if (named) return localize(named, lang);
    if (typeof value.duration === 'string') {
      const d = valueWords(value.duration, lang, names);
      return value.calendar === 'working'
        ? lang === 'en'
          ? `${d} (working days)`
          : `${d}（工作日）`
        : d;
    }
  }
  const json = JSON.stringify(value) ?? '';
  return json.length > 60 ? `${json.slice(0, 57)}…` : json;
}

export interface DescribedFlowChange {
  kind: 'added' | 'removed' | 'changed';
  /** What changed, in words: 步骤“受理” › 办理时限 › 时长. */
  where: string;
  before: string;
  after: string;
  /** The whole sentence: 修改 步骤“受理” › 办理时限：15天 → 10天. */
  text: string;
}

/**
 * The diff of `a` → `b` in words, one line per change: where (the step,
 * edge or form by its name, then the field), the old value and the new one.
 * Ids are shown only where an item has no name.
 */
export function describeFlowDiff(a: unknown, b: unknown, lang: Lang): DescribedFlowChange[] {
  const fa = isObject(a) ? a : {};
  const fb = isObject(b) ? b : {};
  const items = new Map<string, unknown>();
  for (const c of COLLECTIONS)
    for (const f of [fa, fb]) for (const [id, item] of byId(f[c])) items.set(`${c}/${id}`, item);
  const nameOf = (c: string, id: string): string => {
    const item = items.get(`${c}/${id}`);
    if (!isObject(item)) return id;
    const t = text(item.name ?? item.label ?? item.title);
    if (t) return lang === 'en' ? `"${t.en}"` : `“${t['zh-CN']}”`;
    if (c === 'edges' && typeof item.from === 'string' && typeof item.to === 'string')
      return `${nameOf('nodes', item.from)} → ${nameOf('nodes', item.to)}`;
    return id;
  };
  // A string naming a node, role or form is shown by that item's name.
  const names = (id: string): string | undefined => {
    for (const c of ['nodes', 'roles', 'forms'] as const) {
      const item = items.get(`${c}/${id}`);
      const t = isObject(item) ? text(item.name ?? item.title) : undefined;
      if (t) return localize(t, lang);
    }
    return undefined;
  };
  const out: DescribedFlowChange[] = [];
  for (const change of diffFlows(fa, fb).changes) {
    const [first, id, ...rest] = change.path;
    const parts: string[] = [];
    let fields = change.path;
    if (first && (COLLECTIONS as readonly string[]).includes(first) && id !== undefined) {
      const list = FLOW_LIST_WORDS[first as Collection];
      parts.push(`${localize(list, lang)}${lang === 'en' ? ' ' : ''}${nameOf(first, id)}`);
      fields = rest;
    }
    for (const f of fields) {
      if (f === 'zh-CN') continue;
      if (f === 'en') parts.push(lang === 'en' ? 'English' : '英文');
      else parts.push(FLOW_FIELD_WORDS[f] ? localize(FLOW_FIELD_WORDS[f], lang) : f);
    }
    const where = parts.join(' › ') || (lang === 'en' ? 'the whole flow' : '整个流程');
    const kind =
      change.before === undefined ? 'added' : change.after === undefined ? 'removed' : 'changed';
    const before = valueWords(change.before, lang, names);
    const after = valueWords(change.after, lang, names);
    // A whole step, edge or form is named by `where`; a field added or removed says its value.
    const whole = fields.length === 0;
    const line =
      kind === 'added'
        ? lang === 'en'
          ? `added ${where}${whole ? '' : `: ${after}`}`
          : `新增 ${where}${whole ? '' : `：${after}`}`
        : kind === 'removed'
          ? lang === 'en'
            ? `removed ${where}${whole ? '' : ` (was ${before})`}`
            : `删除 ${where}${whole ? '' : `（原为 ${before}）`}`
          : lang === 'en'
            ? `changed ${where}: ${before} → ${after}`
            : `修改 ${where}：${before} → ${after}`;
    out.push({ kind, where, before, after, text: line });
  }
  return out;
}
