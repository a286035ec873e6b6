import {
  type Bilingual,
  FLOW_FIELD_WORDS,
  FLOW_LIST_WORDS,
  parsePointer,
  resolvePointer,
} from '@lianxin/spec';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

// One vocabulary with the designer's diff (spec diff.ts): the same part reads the same everywhere.
const LISTS: Record<string, Bilingual> = FLOW_LIST_WORDS;
const FIELDS: Record<string, Bilingual> = FLOW_FIELD_WORDS;

const zh = (t: unknown): string | undefined =>
  isObject(t) && typeof t['zh-CN'] === 'string' ? (t['zh-CN'] as string) : undefined;
const en = (t: unknown): string | undefined =>
  isObject(t) && typeof t.en === 'string' ? (t.en as string) : zh(t);

/** A short human name for an item of a keyed list. */
function itemName(list: string, item: unknown, id: string): Bilingual {
  if (!isObject(item)) return { 'zh-CN': id, en: id };
  const text = item.name ?? item.label ?? item.title;
  if (zh(text)) return { 'zh-CN': `“${zh(text)}”`, en: `"${en(text)}"` };
  if (list === 'edges' && typeof item.from === 'string' && typeof item.to === 'string')
    return { 'zh-CN': `${item.from} → ${item.to}`, en: `${item.from} → ${item.to}` };
  return { 'zh-CN': id, en: id };
}

/** Where a keyed path points, in words: 步骤“受理” › 办理时限 › 时长. */
export function describePlace(path: string, ...docs: Json[]): Bilingual {
  const tokens = parsePointer(path);
  const [first, id, ...rest] = tokens;
  const zhParts: string[] = [];
  const enParts: string[] = [];
  let fields = tokens;
  if (first && LISTS[first] && id !== undefined) {
    let item: unknown;
    for (const d of docs) {
      const r = resolvePointer(d, `/${first}/${id.replace(/~/g, '~0').replace(/\//g, '~1')}`);
      if (r.found) {
        item = r.value;
        break;
      }
    }
    const n = itemName(first, item, id);
    zhParts.push(`${LISTS[first]['zh-CN']}${n['zh-CN']}`);
    enParts.push(`${LISTS[first].en} ${n.en}`);
    fields = rest;
  }
  for (const f of fields) {
    if (f === 'zh-CN') continue;
    if (f === 'en') {
      zhParts.push('英文');
      enParts.push('English');
      continue;
    }
    zhParts.push(FIELDS[f]?.['zh-CN'] ?? f);
    enParts.push(FIELDS[f]?.en ?? f);
  }
  if (zhParts.length === 0) return { 'zh-CN': '整个流程', en: 'the whole flow' };
  return { 'zh-CN': zhParts.join(' › '), en: enParts.join(' › ') };
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/;

/** A value in words: durations in days, names by their text, objects shortened. */
export function describeValue(value: unknown): Bilingual {
  if (value === undefined) return { 'zh-CN': '（无）', en: '(none)' };
  if (typeof value === 'string') {
    const m = DURATION.exec(value);
    if (m && value !== 'P') {
      const units: [string | undefined, string, string][] = [
        [m[1], '年', 'y'],
        [m[2], '个月', 'mo'],
        [m[3], '周', 'w'],
        [m[4], '天', 'd'],
        [m[5], '小时', 'h'],
        [m[6], '分钟', 'min'],
      ];
      const used = units.filter(([n]) => n);
      return {
        'zh-CN': used.map(([n, u]) => `${n}${u}`).join(''),
        en: used.map(([n, , u]) => `${n} ${u}`).join(' '),
      };
    }
    return { 'zh-CN': value, en: value };
  }
  if (typeof value === 'number' || typeof value === 'boolean')
    return { 'zh-CN': String(value), en: String(value) };
  if (zh(value)) return { 'zh-CN': zh(value) as string, en: en(value) as string };
  if (isObject(value)) {
    const text = value.name ?? value.label ?? value.title;
    if (zh(text)) return { 'zh-CN': zh(text) as string, en: en(text) as string };
    if (typeof value.duration === 'string') {
      const d = describeValue(value.duration);
      const cal =
        value.calendar === 'working'
          ? { 'zh-CN': '（工作日）', en: ' (working days)' }
          : { 'zh-CN': '', en: '' };
      return { 'zh-CN': `${d['zh-CN']}${cal['zh-CN']}`, en: `${d.en}${cal.en}` };
    }
  }
  const json = JSON.stringify(value) ?? '';
  const short = json.length > 80 ? `${json.slice(0, 77)}…` : json;
  return { 'zh-CN': short, en: short };
}

export interface DescribedChange {
  op: string;
  path: string;
  where: Bilingual;
  before: unknown;
  after: unknown;
  beforeText: Bilingual;
  afterText: Bilingual;
  text: Bilingual;
}

/** One JSON Patch operation in words, with the values before and after it. */
export function describeChange(
  op: { op: string; path: string },
  before: Json,
  after: Json,
): DescribedChange {
  const at = (d: Json) => {
    const r = resolvePointer(d, op.path);
    return r.found ? r.value : undefined;
  };
  const was = at(before);
  const now = at(after);
  const where = describePlace(op.path, before, after);
  const a = describeValue(was);
  const b = describeValue(now);
  const text: Bilingual =
    op.op === 'add'
      ? { 'zh-CN': `新增 ${where['zh-CN']}：${b['zh-CN']}`, en: `added ${where.en}: ${b.en}` }
      : op.op === 'remove'
        ? {
            'zh-CN': `删除 ${where['zh-CN']}（原为 ${a['zh-CN']}）`,
            en: `removed ${where.en} (was ${a.en})`,
          }
        : {
            'zh-CN': `修改 ${where['zh-CN']}：${a['zh-CN']} → ${b['zh-CN']}`,
            en: `changed ${where.en}: ${a.en} → ${b.en}`,
          };
  return {
    op: op.op,
    path: op.path,
    where,
    before: was,
    after: now,
    beforeText: a,
    afterText: b,
    text,
  };
}
