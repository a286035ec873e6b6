import {
  type FlowDefinition,
  type Lang,
  localize,
  type Problem,
  parsePointer,
} from '@lianxin/spec';

/** The element a checker problem is about, so the UI can highlight it and jump to it. */
export type ProblemTarget =
  | { kind: 'node'; id: string; field?: string }
  | { kind: 'edge'; id: string; field?: string }
  | { kind: 'form'; id: string; field?: string }
  | { kind: 'flow'; field?: string };

/**
 * Maps a problem's JSON Pointer (`/nodes/3/deadline/duration`, `/edges/5`,
 * `/forms/0/schema`) to the element it names, by index into this flow.
 */
export function problemTarget(flow: FlowDefinition, pointer: string): ProblemTarget {
  let tokens: string[];
  try {
    tokens = parsePointer(pointer);
  } catch {
    return { kind: 'flow' };
  }
  const [list, index, ...rest] = tokens;
  const field = rest.length ? rest.join('.') : undefined;
  const at = Number(index);
  const withField = <T extends object>(t: T) => (field ? { ...t, field } : t);
  if (list === 'nodes' && Number.isInteger(at)) {
    const node = flow.nodes[at];
    if (node) return withField({ kind: 'node' as const, id: node.id });
  }
  if (list === 'edges' && Number.isInteger(at)) {
    const edge = flow.edges[at];
    if (edge) return withField({ kind: 'edge' as const, id: edge.id });
  }
  if (list === 'forms' && Number.isInteger(at)) {
    const form = flow.forms[at];
    if (form) return withField({ kind: 'form' as const, id: form.id });
  }
  const whole = tokens.join('.');
  return whole ? { kind: 'flow', field: whole } : { kind: 'flow' };
}

/** Element ids with an error (or only a warning), for highlighting on the canvas. */
export function problemsByElement(
  flow: FlowDefinition,
  problems: readonly Problem[],
): Map<string, 'error' | 'warning'> {
  const out = new Map<string, 'error' | 'warning'>();
  for (const p of problems) {
    const t = problemTarget(flow, p.pointer);
    if (t.kind !== 'node' && t.kind !== 'edge') continue;
    if (out.get(t.id) !== 'error') out.set(t.id, p.severity);
  }
  return out;
}

/** Where a problem is, in words: the node or edge name, or the part of the flow. */
export function describeTarget(flow: FlowDefinition, target: ProblemTarget, lang: Lang): string {
  const zh = lang === 'zh-CN';
  switch (target.kind) {
    case 'node': {
      const n = flow.nodes.find((x) => x.id === target.id);
      return n ? localize(n.name, lang) : target.id;
    }
    case 'edge': {
      const e = flow.edges.find((x) => x.id === target.id);
      if (!e) return target.id;
      const name = (id: string) => {
        const n = flow.nodes.find((x) => x.id === id);
        return n ? localize(n.name, lang) : id;
      };
      return `${name(e.from)} → ${name(e.to)}`;
    }
    case 'form': {
      const f = flow.forms.find((x) => x.id === target.id);
      return `${zh ? '表单' : 'Form'} ${f ? localize(f.title, lang) : target.id}`;
    }
    case 'flow':
      return zh ? '流程' : 'Flow';
  }
}

/**
 * A problem's message with the ids it quotes (“task6”, "e3", a role's or a
 * form's id) replaced by what the admin named them, so no internal id
 * reaches the screen where a name exists.
 */
export function problemMessage(flow: FlowDefinition, p: Problem, lang: Lang): string {
  const names = new Map<string, string>();
  for (const r of flow.roles) names.set(r.id, localize(r.name, lang));
  for (const f of flow.forms) names.set(f.id, localize(f.title, lang));
  for (const n of flow.nodes) names.set(n.id, localize(n.name, lang));
  for (const e of flow.edges) {
    const from = names.get(e.from) ?? e.from;
    const to = names.get(e.to) ?? e.to;
    if (!names.has(e.id)) names.set(e.id, `${from} → ${to}`);
  }
  const text = localize(p.message, lang);
  return text.replace(/([“"'])([A-Za-z_][\w.-]*)([”"'])/g, (whole, open, id, close) => {
    const name = names.get(id);
    return name ? `${open}${name}${close}` : whole;
  });
}

/**
 * What to tell the admin about a failed request, in their language: the
 * server's own words when it refused (`bilingual`), a plain sentence when the
 * server could not be reached (the browser's "Failed to fetch").
 */
export function errorText(e: unknown, lang: Lang): string {
  const bilingual = (e as { bilingual?: { 'zh-CN': string; en?: string } } | null)?.bilingual;
  if (bilingual) return localize(bilingual, lang);
  const message = e instanceof Error ? e.message : String(e);
  if (
    e instanceof TypeError ||
    /failed to fetch|networkerror|load failed|network request failed/i.test(message)
  )
    return lang === 'en'
      ? 'Cannot reach the server: check the network and try again (your edits are kept in this browser)'
      : '无法连接服务器，请检查网络后重试（您的修改已保存在本浏览器中）';
  return message;
}
