import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import {
  checkFlow,
  checkTemplateManifest,
  exportJsonSchemas,
  FlowDefinition,
  PROBLEM_RULES,
  upgradeFlow,
} from '../src/index';
import { base, readJson } from './fixtures';

const docs = join(import.meta.dirname, '../../../docs');

describe('JSON Schema export', () => {
  it('matches the schemas published in docs/schema (run `pnpm --filter @lianxin/spec export-schema` after a format change)', () => {
    for (const [file, schema] of Object.entries(exportJsonSchemas())) {
      const published = JSON.parse(readFileSync(join(docs, 'schema', file), 'utf8'));
      expect(published, file).toEqual(JSON.parse(JSON.stringify(schema)));
    }
  });

  it('lets another tool validate flow files with the published flow schema', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    const validate = ajv.compile(readJson(join(docs, 'schema/flow.schema.json')) as object);
    expect(validate(readJson(join(docs, 'examples/minimal-flow.json')))).toBe(true);
    expect(validate(base('dispatch'))).toBe(true);
    const typo = base('dispatch');
    typo.nodez = typo.nodes;
    expect(validate(typo)).toBe(false);
    expect(validate.errors?.[0]?.keyword).toBe('additionalProperties');
  });
});

describe('flow format', () => {
  it('documents a small complete example that the checker accepts', () => {
    const markdown = readFileSync(join(docs, 'formats.md'), 'utf8');
    const example = /```json\n([\s\S]*?)\n```/.exec(markdown)?.[1];
    expect(example).toBeDefined();
    expect(checkFlow(JSON.parse(example as string))).toEqual([]);
  });

  it('documents every problem code in docs/checker.md', () => {
    const markdown = readFileSync(join(docs, 'checker.md'), 'utf8');
    const missing = Object.keys(PROBLEM_RULES).filter(
      (code) => !markdown.includes(`| \`${code}\` |`),
    );
    expect(missing).toEqual([]);
  });

  it('fills defaults a file may leave out', () => {
    const flow = FlowDefinition.parse(readJson(join(docs, 'examples/minimal-flow.json')));
    expect(flow.clocks[0]?.deadline.calendar).toBe('natural');
    const join1 = FlowDefinition.parse(base('dispatch')).nodes.find((n) => n.kind === 'join');
    expect(join1).toMatchObject({ mode: 'all' });
  });
});

describe('upgradeFlow', () => {
  it('passes a current file through unchanged', () => {
    const flow = base('dispatch');
    expect(upgradeFlow(flow)).toEqual({ ok: true, flow, from: 1, to: 1 });
  });

  it('refuses a file from a newer Lianxin with a message in both languages', () => {
    const result = upgradeFlow({ ...base('dispatch'), formatVersion: 3 });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message.en).toContain('newer');
      expect(result.message['zh-CN']).toContain('升级');
    }
  });

  it('runs each upgrade step in order up to the newest format', () => {
    const steps = {
      1: (f: Record<string, unknown>) => ({ ...f, renamed: f.old, old: undefined }),
      2: (f: Record<string, unknown>) => ({ ...f, added: true }),
    };
    const result = upgradeFlow({ formatVersion: 1, old: 'x' }, steps);
    expect(result).toEqual({
      ok: true,
      flow: { formatVersion: 3, renamed: 'x', old: undefined, added: true },
      from: 1,
      to: 3,
    });
  });

  it('refuses a missing format version', () => {
    expect(upgradeFlow({ key: 'x' }).ok).toBe(false);
    expect(upgradeFlow('flow').ok).toBe(false);
  });
});

describe('checkTemplateManifest', () => {
  const manifest = {
    formatVersion: 1,
    key: 'dispatch',
    version: 1,
    name: { 'zh-CN': '交办' },
    summary: { 'zh-CN': '测试模板' },
    publisher: '440000',
    locked: ['/clocks/0/deadline'],
  };

  it('accepts a manifest that matches its flow', () => {
    expect(checkTemplateManifest(manifest, base('dispatch'))).toEqual([]);
  });

  it('reports a version that differs from the flow and a lock on nothing', () => {
    const problems = checkTemplateManifest(
      { ...manifest, version: 2, locked: ['/clocks/0/deadline', '/clocks/5'] },
      base('dispatch'),
    );
    expect(problems.map((p) => `${p.code} ${p.pointer}`)).toEqual([
      'template.lockedMissing /locked/1',
      'template.mismatch /version',
    ]);
  });
});
