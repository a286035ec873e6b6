import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lianxin, repoRoot } from './cli';

const work = mkdtempSync(join(tmpdir(), 'lianxin-simulate-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const flow = join(repoRoot, 'docs/examples/minimal-flow.json');
const script = join(repoRoot, 'docs/examples/minimal-flow.script.json');
const exampleScript = JSON.parse(readFileSync(script, 'utf8'));

function scriptFile(name: string, content: unknown): string {
  const path = join(work, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

// Each test spawns the CLI; on a busy machine that alone can take seconds.
describe('lianxin simulate', { timeout: 60_000 }, () => {
  it('runs the example script to a resolved case and prints the final state and events', () => {
    // when
    const result = lianxin(['simulate', flow, '--script', script]);
    // then
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.ok).toBe(true);
    expect(output.state).toMatchObject({
      status: 'closed',
      outcome: 'resolved',
      activeNodes: [],
      openTasks: [],
      firstHandler: 'li',
      data: { accepted: true, department: 'water' },
    });
    const types = output.events.map((e: { type: string }) => e.type);
    expect(types[0]).toBe('case.started');
    expect(types).toContain('task.dueSoon');
    expect(types.at(-1)).toBe('case.closed');
  });

  it('resolves paths against the working directory', () => {
    const result = lianxin(
      ['simulate', 'examples/minimal-flow.json', '--script', 'examples/minimal-flow.script.json'],
      { cwd: join(repoRoot, 'docs') },
    );
    expect(result.status).toBe(0);
  });

  it('shows open tasks with their deadlines when the script stops midway', () => {
    const partial = scriptFile('partial.json', {
      ...exampleScript,
      steps: exampleScript.steps.slice(0, 1),
    });
    const result = lianxin(['simulate', flow, '--script', partial]);
    expect(result.status).toBe(0);
    const { state } = JSON.parse(result.stdout);
    expect(state.activeNodes).toEqual(['handle']);
    expect(state.openTasks).toEqual([
      expect.objectContaining({
        node: 'handle',
        // accepted 30 September 2025: 60 days are 1 October – 29 November, to 24:00 Beijing time
        due: '2025-11-29T15:59:59.999Z',
        candidates: { role: 'handler', jurisdiction: '440781', department: 'water' },
      }),
    ]);
  });

  it('prints a rejected step in both languages with its index and exits 1', () => {
    // given: the handler is from another department
    const steps = structuredClone(exampleScript.steps);
    steps[2].actor.department = 'police';
    const bad = scriptFile('rejected.json', { ...exampleScript, steps });
    // when
    const result = lianxin(['simulate', flow, '--script', bad]);
    // then
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('第 2 步被拒绝');
    expect(result.stderr).toContain('step 2 rejected');
    expect(JSON.parse(result.stdout).rejection).toMatchObject({
      step: 2,
      code: 'actor.notAllowed',
    });
  });

  it('reports invalid form data with pointers', () => {
    const steps = structuredClone(exampleScript.steps);
    steps[0].complete.data = { department: 'water' };
    const bad = scriptFile('invalid-data.json', { ...exampleScript, steps });
    const result = lianxin(['simulate', flow, '--script', bad]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('/accepted');
  });

  it('refuses a flow with errors', () => {
    const broken = scriptFile('broken-flow.json', {
      ...JSON.parse(readFileSync(flow, 'utf8')),
      edges: [],
    });
    const result = lianxin(['simulate', broken, '--script', script]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the flow has');
  });

  it('flags a deadline counted over a provisional year', () => {
    // given: the review deadline counts working days and the case arrives at the end of 2026
    const source = JSON.parse(readFileSync(flow, 'utf8'));
    source.nodes[1].deadline = { duration: 'P15D', calendar: 'workingDays' };
    const lateFlow = scriptFile('working-days-flow.json', source);
    const late = scriptFile('late.json', {
      ...exampleScript,
      start: { ...exampleScript.start, at: '2026-12-28T09:00:00+08:00' },
      steps: [],
    });
    // when
    const result = lianxin(['simulate', lateFlow, '--script', late]);
    // then
    expect(result.status).toBe(0);
    const { state } = JSON.parse(result.stdout);
    // the review task counts working days into 2027, and the statutory acceptance clock's last
    // day (12 January 2027) is judged a working day on the provisional 2027 (no State Council
    // arrangement yet): both are flagged provisional
    expect(state.flags).toEqual([
      expect.objectContaining({
        code: 'calendar.provisional',
        years: [2027],
        subject: { kind: 'clock', id: 'acceptance' },
      }),
      expect.objectContaining({
        code: 'calendar.provisional',
        years: [2027],
        subject: expect.objectContaining({ kind: 'task' }),
      }),
    ]);
  });

  it('runs a template folder: its flow.json with the forms kept in forms/', () => {
    // given a template folder whose forms live outside the flow file
    const folder = join(work, 'template');
    const source = JSON.parse(readFileSync(flow, 'utf8'));
    mkdirSync(join(folder, 'forms'), { recursive: true });
    for (const form of source.forms) {
      writeFileSync(join(folder, 'forms', `${form.id}.json`), JSON.stringify(form));
    }
    writeFileSync(join(folder, 'flow.json'), JSON.stringify({ ...source, forms: [] }));
    // when
    const result = lianxin(['simulate', folder, '--script', script]);
    // then
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).state.outcome).toBe('resolved');
  });

  it('explains a missing file in both languages without a stack trace', () => {
    const result = lianxin(['simulate', flow, '--script', join(work, 'nope.json')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('文件不存在');
    expect(result.stderr).toContain('no such file');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('explains invalid JSON in both languages', () => {
    const result = lianxin(['simulate', flow, '--script', scriptFile('bad.json', '{ "start": ')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('bad.json：JSON 语法错误（第 1 行第 12 列）');
    expect(result.stderr).toContain('bad.json: JSON syntax error (line 1, column 12)');
  });

  describe('child cases', () => {
    // A parent flow whose subflow node calls the example flow, kept beside it in one folder.
    const chain = join(work, 'chain');
    mkdirSync(chain, { recursive: true });
    const receptionist = { id: 'li', roles: ['receptionist'], jurisdiction: '440781' };
    const waterHandler = {
      id: 'wang',
      roles: ['handler'],
      jurisdiction: '440781',
      department: 'water',
    };
    const parentFlow = {
      formatVersion: 1,
      key: 'parent-chain',
      version: 1,
      name: { 'zh-CN': '调处链', en: 'Resolution chain' },
      jurisdiction: '440781',
      roles: [{ id: 'receptionist', name: { 'zh-CN': '接访员', en: 'Receptionist' } }],
      dataSchema: {
        type: 'object',
        properties: { summary: { type: 'string' }, petitionOutcome: { type: 'string' } },
      },
      nodes: [
        {
          id: 'register',
          kind: 'start',
          name: { 'zh-CN': '登记', en: 'Register' },
          channels: ['visit'],
        },
        {
          id: 'petition',
          kind: 'subflow',
          name: { 'zh-CN': '信访办理', en: 'Petition' },
          flow: { key: 'minimal-petition' },
          input: { summary: { var: 'summary' } },
          outcomeVar: 'petitionOutcome',
        },
        { id: 'done', kind: 'end', name: { 'zh-CN': '办结', en: 'Done' }, outcome: 'resolved' },
      ],
      edges: [
        { id: 'e1', kind: 'next', from: 'register', to: 'petition' },
        { id: 'e2', kind: 'next', from: 'petition', to: 'done' },
      ],
    };
    const parentFile = join(chain, 'parent.json');
    writeFileSync(parentFile, JSON.stringify(parentFlow));
    const chainScript = scriptFile('chain-script.json', {
      start: {
        at: '2025-09-30T09:00:00+08:00',
        channel: 'visit',
        data: { summary: '小区门口道路积水' },
        actor: receptionist,
      },
      steps: [
        {
          at: '2025-09-30T10:30:00+08:00',
          case: 'child:petition',
          actor: receptionist,
          complete: {
            node: 'review',
            action: 'submit',
            data: { accepted: true, department: 'water' },
          },
        },
        { advanceTo: '2026-01-05T09:00:00+08:00' },
        {
          at: '2026-01-05T10:00:00+08:00',
          case: 'child:petition',
          actor: waterHandler,
          complete: { node: 'handle', action: 'reply', data: { reply: '已疏通排水管道' } },
        },
      ],
    });

    it('runs the child case a subflow starts, lets steps act on it, and reports back to the parent', () => {
      // given the called flow beside the parent
      writeFileSync(join(chain, 'child.json'), readFileSync(flow, 'utf8'));
      // when the script works the child case past its handling deadline and replies
      const result = lianxin(['simulate', parentFile, '--script', chainScript]);
      // then the parent closed with the child's outcome, on time itself
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const output = JSON.parse(result.stdout);
      expect(output.state).toMatchObject({
        status: 'closed',
        outcome: 'resolved',
        late: false,
        data: { petitionOutcome: 'resolved' },
      });
      // and the child shows as the store keeps it: late, with its closed task rows
      const [child] = output.cases;
      expect(child).toMatchObject({ node: 'petition', parentCaseId: output.state.caseId });
      expect(child.state).toMatchObject({ status: 'closed', late: true, overdue: false });
      expect(child.state.clocks.acceptance.status).toBe('stopped');
      expect(child.state.tasks).toEqual([
        expect.objectContaining({ node: 'review', status: 'closed', closeReason: 'completed' }),
        expect.objectContaining({
          node: 'handle',
          status: 'closed',
          dueState: 'overdue',
          closedAt: '2026-01-05T02:00:00.000Z',
        }),
      ]);
    });

    it('refuses, in both languages, a subflow whose flow is not beside the parent', () => {
      // given no flow with the called key in the folder
      rmSync(join(chain, 'child.json'), { force: true });
      // when
      const result = lianxin(['simulate', parentFile, '--script', chainScript]);
      // then the start is refused, naming the subflow node and the missing flow
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('找不到子流程 minimal-petition');
      expect(result.stderr).toContain('subflow minimal-petition is not published');
      expect(JSON.parse(result.stdout).rejection).toMatchObject({
        step: 'start',
        code: 'subflow.notFound',
        subflow: { node: 'petition', flow: 'minimal-petition' },
      });
    });
  });

  it('explains a malformed child-case address in both languages', () => {
    const steps = structuredClone(exampleScript.steps);
    steps[0].case = 'petition';
    const bad = scriptFile('bad-case.json', { ...exampleScript, steps });
    const result = lianxin(['simulate', flow, '--script', bad]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('脚本 steps[0] 的 case 应为 "child:<子流程节点>"');
    expect(result.stderr).toContain('script steps[0]: case must be "child:<subflow node>"');
  });

  it('asks for the script when it is missing', () => {
    const result = lianxin(['simulate', flow]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--script');
  });
});
