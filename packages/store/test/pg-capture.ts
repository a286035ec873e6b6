import pg from 'pg';

/** A SELECT the process sent to PostgreSQL, with its parameters. */
export interface Captured {
  text: string;
  values: unknown[];
}

type Query = (...args: unknown[]) => unknown;

/**
 * Records every SELECT the process sends to PostgreSQL while `run` runs, off the wire
 * (test/pg-plans.test.ts and bench/province.ts explain them).
 */
export async function capture(run: () => Promise<unknown>): Promise<Captured[]> {
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  const seen: Captured[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const [config, values] = args;
    const text = typeof config === 'string' ? config : (config as { text?: string })?.text;
    const params =
      (Array.isArray(values) ? values : (config as { values?: unknown[] })?.values) ?? [];
    if (text && /^\s*(with|select)\b/i.test(text)) seen.push({ text, values: params });
    return original.apply(this, args);
  };
  try {
    await run();
  } finally {
    proto.query = original;
  }
  return seen;
}
