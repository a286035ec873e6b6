import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type CheckedFlow, parseFlow } from '@lianxin/spec';
import { describe, expect, it, vi } from 'vitest';

// Only the runner is under test; the app's i18n and client are not needed.
vi.mock('../../src/i18n', () => ({ tr: (_l: string, zh: string) => zh, useLang: () => ({}) }));
vi.mock('../../src/pages/templates/api', () => ({
  pick: (t: { 'zh-CN'?: string } | string) => (typeof t === 'string' ? t : (t?.['zh-CN'] ?? '')),
  errorText: String,
}));

import { runTemplateScenario } from '../../src/pages/templates/TemplateScenarios';

const templates = resolve(import.meta.dirname, '../../../../templates');
const read = (...p: string[]) => JSON.parse(readFileSync(join(templates, ...p), 'utf8'));
function checked(folder: string): CheckedFlow {
  const flow = read(folder, 'flow.json');
  const forms = readdirSync(join(templates, folder, 'forms')).map((f) => {
    const { $schema: _s, ...form } = read(folder, 'forms', f);
    return form;
  });
  const parsed = parseFlow({ ...flow, forms: [...(flow.forms ?? []), ...forms] });
  if (!parsed.ok) throw new Error(`${folder} fails the checker`);
  return parsed.flow;
}
const scenarios = (folder: string) =>
  readdirSync(join(templates, folder, 'scenarios')).map((f) => ({
    name: f.replace(/\.json$/, ''),
    script: read(folder, 'scenarios', f),
  }));

describe('running a template’s scenarios in the browser (the library’s 测试场景)', () => {
  it('runs each standard-petition scenario to the end its file expects', () => {
    const flow = checked('standard-petition');
    for (const s of scenarios('standard-petition')) {
      const r = runTemplateScenario(flow, s, new Map());
      expect(r, s.name).toMatchObject({ ok: true, asExpected: true });
    }
  });

  it('runs a scenario whose subflow is another template (diversified-resolution calls standard-petition)', () => {
    const subflows = new Map([
      ['standard-petition', checked('standard-petition')],
      ['judicial-confirmation', checked('judicial-confirmation')],
    ]);
    const flow = checked('diversified-resolution');
    for (const s of scenarios('diversified-resolution'))
      expect(runTemplateScenario(flow, s, subflows), s.name).toMatchObject({
        ok: true,
        asExpected: true,
      });
  });

  it('says when the end differs from what the scenario expects, and where a step is refused', () => {
    const flow = checked('standard-petition');
    const [happy] = scenarios('standard-petition').filter((s) => s.name === 'happy-path');
    const script = happy?.script as { expect: { outcome: string }; steps: unknown[] };
    const wrong = runTemplateScenario(
      flow,
      { name: 'x', script: { ...script, expect: { ...script.expect, outcome: 'declined' } } },
      new Map(),
    );
    expect(wrong).toMatchObject({ ok: true, asExpected: false });
    const refused = runTemplateScenario(
      flow,
      { name: 'y', script: { ...script, steps: [{ complete: { node: 'visit' } }] } },
      new Map(),
    );
    expect(refused.ok).toBe(false);
    expect(refused.text['zh-CN']).toMatch(/^第 1 步被拒绝：/);
  });
});
