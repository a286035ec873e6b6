import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lianxin, repoRoot } from './cli';

const templatesDir = join(repoRoot, 'templates');
const templates = readdirSync(templatesDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

interface Scenario {
  description: string;
  expect: { status: string; outcome: string; urgency?: string; late?: boolean; path: string[] };
}

const scenarios = templates.flatMap((template) =>
  readdirSync(join(templatesDir, template, 'scenarios'))
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const script = JSON.parse(
        readFileSync(join(templatesDir, template, 'scenarios', file), 'utf8'),
      ) as Scenario;
      return { template, file, description: script.description, expected: script.expect };
    }),
);

describe('bundled templates', () => {
  it('are all clean under `lianxin validate`', () => {
    const run = lianxin(['validate', 'templates', '--json']);
    expect(JSON.parse(run.stdout)).toEqual({ ok: true, problems: [] });
    expect(run.status).toBe(0);
  });

  it('each have a README in Chinese with an English summary, and at least two scenarios', () => {
    for (const template of templates) {
      const readme = readFileSync(join(templatesDir, template, 'README.md'), 'utf8');
      expect(readme, template).toMatch(/^# [\u4e00-\u9fff]/);
      expect(readme, template).toContain('## English summary');
      expect(readme, template).toContain('## 县里通常改什么');
      expect(
        scenarios.filter((s) => s.template === template).length,
        template,
      ).toBeGreaterThanOrEqual(2);
    }
  });

  it('standard-petition: a written reply sent back to the department keeps the handling clock running', () => {
    // given the happy path up to the leader's approval
    const folder = join('templates', 'standard-petition');
    const happy = JSON.parse(
      readFileSync(join(repoRoot, folder, 'scenarios', 'happy-path.json'), 'utf8'),
    ) as { steps: { complete?: { node: string } }[] };
    const upToReply = happy.steps.slice(
      0,
      happy.steps.findIndex((s) => s.complete?.node === 'reply'),
    );
    const back = {
      at: '2025-10-22T09:00:00+08:00',
      actor: { id: 'li', roles: ['receptionist'], jurisdiction: '440781' },
      return: { node: 'reply', to: 'handle', reason: '答复意见缺少工资支付凭证，请补充' },
    };
    const dir = mkdtempSync(join(tmpdir(), 'lianxin-return-'));
    const script = join(dir, 'return.json');
    writeFileSync(script, JSON.stringify({ ...happy, steps: [...upToReply, back] }));
    try {
      // when the reply is returned to 部门办理
      const run = lianxin(['simulate', folder, '--script', script]);
      // then the department handles it again within the same statutory deadline
      const result = JSON.parse(run.stdout);
      expect(result.ok).toBe(true);
      expect(result.state.openTasks.map((t: { node: string }) => t.node)).toEqual(['handle']);
      expect(result.state.clocks.handling.status).toBe('running');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(scenarios)('$template/$file: $description', ({ template, file, expected }) => {
    // given the template folder and one of its scenario scripts
    const folder = join('templates', template);
    // when `lianxin simulate` runs it
    const run = lianxin(['simulate', folder, '--script', join(folder, 'scenarios', file)]);
    // then the case ends as the scenario says, along the expected path
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.ok).toBe(true);
    expect(result.state.status).toBe(expected.status);
    expect(result.state.outcome).toBe(expected.outcome);
    if (expected.urgency) expect(result.state.urgency).toBe(expected.urgency);
    // late: a deadline was missed at some point (the 按期办结率 counts it)
    if (expected.late !== undefined) expect(result.state.late).toBe(expected.late);
    const path = result.events
      .filter((e: { type: string }) => e.type === 'token.moved')
      .map((e: { node: string }) => e.node);
    expect(path).toEqual(expected.path);
  });
});
