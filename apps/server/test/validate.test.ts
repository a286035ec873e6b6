import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lianxin, repoRoot } from './cli';

const work = mkdtempSync(join(tmpdir(), 'lianxin-validate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const minimal = join(repoRoot, 'docs/examples/minimal-flow.json');
const broken = join(repoRoot, 'docs/examples/broken-flow.json');

function template(name: string, edit?: (files: Record<string, unknown>) => void): string {
  const dir = join(work, name);
  mkdirSync(join(dir, 'forms'), { recursive: true });
  const flow = JSON.parse(readFileSync(minimal, 'utf8'));
  const forms = flow.forms as Array<{ id: string }>;
  flow.forms = [];
  const files: Record<string, unknown> = {
    'flow.json': flow,
    'template.json': {
      formatVersion: 1,
      key: flow.key,
      version: flow.version,
      name: flow.name,
      summary: { 'zh-CN': '测试模板' },
      publisher: '440000',
      locked: ['/clocks/0/deadline'],
    },
  };
  for (const form of forms) files[`forms/${form.id}.json`] = form;
  edit?.(files);
  for (const [file, value] of Object.entries(files))
    writeFileSync(join(dir, file), JSON.stringify(value, null, 2));
  writeFileSync(join(dir, 'README.md'), '# 测试模板\n');
  return dir;
}

describe('lianxin validate', () => {
  it('accepts a valid flow and exits 0', () => {
    const run = lianxin(['validate', minimal]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('0 个错误');
  });

  it('prints each problem as `file pointer code message`, in Chinese by default', () => {
    const run = lianxin(['validate', 'docs/examples/broken-flow.json']);
    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toBe(
      'docs/examples/broken-flow.json /edges/1/to edge.unknownNode 连线指向不存在的节点 “archive”',
    );
    expect(lines[9]).toMatch(
      /^docs\/examples\/broken-flow\.json \/nodes\/6 node\.unreachable 警告：/,
    );
  });

  it('speaks English with --lang en or an English locale', () => {
    const flag = lianxin(['validate', broken, '--lang', 'en']);
    expect(flag.stdout).toContain('edge points at node "archive", which does not exist');
    const locale = lianxin(['validate', broken], { env: { LANG: 'en_US.UTF-8' } });
    expect(locale.stdout).toContain('edge points at node "archive"');
  });

  it('prints exactly one JSON object with --json', () => {
    const run = lianxin(['validate', broken, minimal, '--json', '--lang', 'en']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(Object.keys(report)).toEqual(['ok', 'problems']);
    expect(report.ok).toBe(false);
    expect(report.problems).toHaveLength(10);
    expect(report.problems[0]).toEqual({
      file: 'docs/examples/broken-flow.json',
      pointer: '/edges/1/to',
      code: 'edge.unknownNode',
      severity: 'error',
      message: 'edge points at node "archive", which does not exist',
    });
  });

  it('exits 2 with a located message, not a stack trace, on a missing file or broken JSON', () => {
    const file = join(work, 'truncated.json');
    writeFileSync(file, '{\n  "formatVersion": 1,\n  "key" "x"\n}');
    const run = lianxin(['validate', file, join(work, 'missing.json'), '--lang', 'en']);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(
      /truncated\.json "" json\.syntax JSON syntax error \(line 3, column 9\)/,
    );
    expect(run.stdout).toMatch(/missing\.json "" file\.unreadable cannot be read: no such file/);
    expect(run.stdout + run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
    const json = lianxin(['validate', join(work, 'missing.json'), '--json']);
    expect(json.status).toBe(2);
    expect(JSON.parse(json.stdout).problems[0].code).toBe('file.unreadable');
  });

  it('checks a template folder as a whole: manifest, flow and its forms', () => {
    const good = template('good');
    expect(lianxin(['validate', good]).status).toBe(0);

    const bad = template('bad', (files) => {
      (files['template.json'] as Record<string, unknown>).version = 2;
      (
        files['forms/reply.json'] as { schema: { properties: { reply: { type: string } } } }
      ).schema.properties.reply.type = 'txt';
      delete files['forms/acceptance.json'];
    });
    const run = lianxin(['validate', bad, '--json', '--lang', 'en']);
    expect(run.status).toBe(1);
    const found = JSON.parse(run.stdout).problems.map(
      (p: { file: string; pointer: string; code: string }) =>
        `${p.file.replace(/^.*\/bad\//, '')} ${p.pointer} ${p.code}`,
    );
    expect(found.sort()).toEqual(
      [
        'flow.json /nodes/1/form form.missing',
        'forms/reply.json /schema/properties/reply/type form.invalidSchema',
        'template.json /version template.mismatch',
      ].sort(),
    );
  });

  it('searches plain folders for template folders and flow files', () => {
    const tree = join(work, 'tree');
    mkdirSync(join(tree, 'nested'), { recursive: true });
    cpSync(template('inner'), join(tree, 'nested', 'inner'), { recursive: true });
    cpSync(broken, join(tree, 'broken.json'));
    const run = lianxin(['validate', tree, '--json']);
    const files = new Set(JSON.parse(run.stdout).problems.map((p: { file: string }) => p.file));
    expect([...files]).toEqual([expect.stringMatching(/tree\/broken\.json$/)]);
    expect(run.status).toBe(1);
  });

  it('reports a template folder without its manifest', () => {
    const dir = template('no-manifest');
    rmSync(join(dir, 'template.json'));
    const run = lianxin(['validate', dir, '--json']);
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout).problems).toEqual([
      expect.objectContaining({ code: 'template.missingFile', severity: 'error', pointer: '' }),
    ]);
  });

  it('answers an unknown command with the usage and exit 2', () => {
    const run = lianxin(['frobnicate']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('validate');
  });
});
