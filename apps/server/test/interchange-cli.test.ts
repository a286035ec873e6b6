import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffFlows } from '@lianxin/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { lianxin, repoRoot } from './cli';

const work = mkdtempSync(join(tmpdir(), 'lianxin-interchange-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fixtures = join(repoRoot, 'packages/interchange/test/fixtures');

// Each test spawns the CLI; on a busy machine that alone can take seconds.
describe('lianxin import / export', { timeout: 60_000 }, () => {
  it('imports a BPMN file, printing each problem located by its element, and exits 1 while the flow needs finishing', () => {
    const out = join(work, 'camunda7.json');
    const result = lianxin([
      'import',
      join(fixtures, 'bpmn/camunda7-petition.bpmn'),
      '--jurisdiction',
      '440781',
      '--role',
      'reception=receptionist',
      '--out',
      out,
    ]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('[bpmn.unsupported] Task_Script “计算补偿”');
    expect(result.stderr).toContain('[检查 condition.missing] /edges/2');
    const flow = JSON.parse(readFileSync(out, 'utf8'));
    expect(flow.roles).toContainEqual({
      id: 'receptionist',
      name: { 'zh-CN': '接访员', en: 'Receptionist' },
    });
  });

  it('imports a Form.io form and lists what each component lost, in English when asked', () => {
    const result = lianxin([
      'import',
      join(fixtures, 'forms/formio-mediation.json'),
      '--lang',
      'en',
    ]);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain(
      '[form.component] signature “签名”: component type "signature" has no Lianxin field',
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ id: 'mediationRequest' });
  });

  it('exports a template to BPMN that imports back to the same flow', () => {
    const bpmn = join(work, 'standard.bpmn');
    const json = join(work, 'standard.json');
    expect(lianxin(['export', '--bpmn', 'templates/standard-petition', '--out', bpmn]).status).toBe(
      0,
    );
    expect(readFileSync(bpmn, 'utf8')).toContain('<bpmndi:BPMNShape');
    const back = lianxin(['import', bpmn, '--out', json]);
    expect(back.status).toBe(0);
    const original = JSON.parse(
      readFileSync(join(repoRoot, 'templates/standard-petition/flow.json'), 'utf8'),
    );
    const imported = JSON.parse(readFileSync(json, 'utf8'));
    const { forms: _forms, ...withoutForms } = imported;
    expect(diffFlows(original, withoutForms).identical).toBe(true);
  });

  it('says how to export a flow by key when no file has that name', () => {
    const result = lianxin(['export', '--bpmn', 'no-such-flow']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--jurisdiction');
  });
});
