/**
 * BPMN condition expressions to JSON Logic: JUEL (`${amount > 100000}`, as
 * Camunda 7, Flowable and Activiti write them) and simple FEEL (`= amount >
 * 100000`, Camunda 8). Only comparisons, and/or/not, literals and variables
 * convert; anything else (a method call, arithmetic, a FEEL function, a
 * range) is refused with a reason, never turned into an always-true rule.
 */

export type VarKind = 'number' | 'string' | 'boolean' | 'array';

export type ConversionResult =
  | { ok: true; logic: Record<string, unknown>; variables: Map<string, VarKind | undefined> }
  | { ok: false; reason: { 'zh-CN': string; en: string } };

type Token =
  | { t: 'num'; v: number }
  | { t: 'str'; v: string }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!', '=', '(', ')'];
const WORD_OPS: Record<string, string> = {
  and: '&&',
  or: '||',
  not: '!',
  eq: '==',
  ne: '!=',
  lt: '<',
  gt: '>',
  le: '<=',
  ge: '>=',
};

class Refused extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(en);
  }
}

function tokenize(text: string, feel: boolean): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^\d+(\.\d+)?/.exec(text.slice(i));
    if (num) {
      out.push({ t: 'num', v: Number(num[0]) });
      i += num[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new Refused(`字符串没有结束引号`, 'a string has no closing quote');
      out.push({ t: 'str', v: text.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (id) {
      const word = id[0];
      const next = text.slice(i + word.length).trimStart();
      if (next.startsWith('(') && !(word in WORD_OPS))
        throw new Refused(
          `不支持函数或方法调用 “${word}(…)”`,
          `function or method call "${word}(…)" is not supported`,
        );
      const op = WORD_OPS[word];
      out.push(op ? { t: 'op', v: op } : { t: 'id', v: word });
      i += word.length;
      continue;
    }
    const op = OPS.find((o) => text.startsWith(o, i));
    if (!op || (op === '=' && !feel))
      throw new Refused(
        `不支持的符号 “${text.slice(i, i + 3)}”`,
        `unsupported symbol "${text.slice(i, i + 3)}"`,
      );
    out.push({ t: 'op', v: op === '=' ? '==' : op });
    i += op.length;
  }
  return out;
}

const COMPARISONS = new Set(['==', '!=', '<', '>', '<=', '>=']);

class Parser {
  private i = 0;
  readonly variables = new Map<string, VarKind | undefined>();
  constructor(private readonly tokens: Token[]) {}

  parse(): Record<string, unknown> {
    const out = this.or();
    const rest = this.tokens[this.i];
    if (rest)
      throw new Refused(
        `表达式在 “${String(rest.v)}” 处无法理解`,
        `cannot read the expression at "${String(rest.v)}"`,
      );
    return asRule(out, this.variables);
  }

  private peek(op: string) {
    const t = this.tokens[this.i];
    return t?.t === 'op' && t.v === op;
  }

  private or(): unknown {
    const parts = [this.and()];
    while (this.peek('||')) {
      this.i++;
      parts.push(this.and());
    }
    return parts.length > 1 ? { or: parts.map((p) => asRule(p, this.variables)) } : parts[0];
  }

  private and(): unknown {
    const parts = [this.unary()];
    while (this.peek('&&')) {
      this.i++;
      parts.push(this.unary());
    }
    return parts.length > 1 ? { and: parts.map((p) => asRule(p, this.variables)) } : parts[0];
  }

  private unary(): unknown {
    if (this.peek('!')) {
      this.i++;
      return { '!': [asRule(this.unary(), this.variables)] };
    }
    return this.comparison();
  }

  private comparison(): unknown {
    const left = this.primary();
    const t = this.tokens[this.i];
    if (t?.t === 'op' && COMPARISONS.has(t.v)) {
      this.i++;
      const right = this.primary();
      note(left, right, this.variables);
      note(right, left, this.variables);
      return { [t.v]: [left, right] };
    }
    return left;
  }

  private primary(): unknown {
    const t = this.tokens[this.i++];
    if (!t) throw new Refused('表达式不完整', 'the expression is incomplete');
    if (t.t === 'num' || t.t === 'str') return t.v;
    if (t.t === 'id') {
      if (t.v === 'true') return true;
      if (t.v === 'false') return false;
      if (t.v === 'null') return null;
      if (!this.variables.has(t.v)) this.variables.set(t.v, undefined);
      return { var: t.v };
    }
    if (t.v === '(') {
      const inner = this.or();
      if (!this.peek(')')) throw new Refused('缺少右括号', 'a closing parenthesis is missing');
      this.i++;
      return inner;
    }
    throw new Refused(`表达式在 “${t.v}” 处无法理解`, `cannot read the expression at "${t.v}"`);
  }
}

const isVar = (v: unknown): v is { var: string } =>
  typeof v === 'object' && v !== null && typeof (v as { var?: unknown }).var === 'string';

function note(a: unknown, b: unknown, vars: Map<string, VarKind | undefined>) {
  if (!isVar(a)) return;
  const kind =
    typeof b === 'number'
      ? 'number'
      : typeof b === 'string'
        ? 'string'
        : typeof b === 'boolean'
          ? 'boolean'
          : undefined;
  if (kind && !vars.get(a.var)) vars.set(a.var, kind);
}

/** A bare variable used as a condition means “is true”; a literal alone is refused. */
function asRule(v: unknown, vars: Map<string, VarKind | undefined>): Record<string, unknown> {
  if (isVar(v)) {
    if (!vars.get(v.var)) vars.set(v.var, 'boolean');
    return { '==': [v, true] };
  }
  if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
  throw new Refused(
    `条件是常量 ${JSON.stringify(v)}，不读取任何数据`,
    `the condition is the constant ${JSON.stringify(v)} and reads no data`,
  );
}

/**
 * Converts one condition expression. `${…}` / `#{…}` is JUEL, a leading `=`
 * is FEEL; a JSON Logic body (language `https://jsonlogic.com`, as Lianxin
 * exports) is taken as it is.
 */
export function convertCondition(body: string, language?: string): ConversionResult {
  const text = body.trim();
  try {
    if (language && /jsonlogic/i.test(language)) {
      const logic = JSON.parse(text) as unknown;
      if (typeof logic !== 'object' || logic === null || Array.isArray(logic))
        throw new Refused('JSON Logic 条件必须是对象', 'a JSON Logic condition must be an object');
      return { ok: true, logic: logic as Record<string, unknown>, variables: new Map() };
    }
    let source: string;
    let feel = false;
    const juel = /^[$#]\{([\s\S]*)\}$/.exec(text);
    if (juel) source = juel[1] as string;
    else if (text.startsWith('=')) {
      source = text.slice(1);
      feel = true;
    } else
      throw new Refused(
        `“${text}” 不是 JUEL（\${…}）或 FEEL（=…）表达式`,
        `"${text}" is neither a JUEL (\${…}) nor a FEEL (=…) expression`,
      );
    const parser = new Parser(tokenize(source, feel));
    const logic = parser.parse();
    return { ok: true, logic, variables: parser.variables };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: { 'zh-CN': error.zh, en: error.en } };
    if (error instanceof SyntaxError)
      return {
        ok: false,
        reason: {
          'zh-CN': 'JSON Logic 条件不是有效的 JSON',
          en: 'the JSON Logic condition is not valid JSON',
        },
      };
    throw error;
  }
}
