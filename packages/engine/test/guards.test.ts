import { CASE_COMMANDS, type CaseCommand, type CheckedFlow, checkedFlow } from '@lianxin/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Actor,
  type AvailableActions,
  availableActions,
  type CaseState,
  type Command,
  type CommandType,
  initialState,
  transition,
} from '../src/index';
import {
  adminActor,
  blocks,
  buildFlow,
  commandFor,
  leaderActor,
  step,
  workerFor,
} from './arbitraries';

// availableActions and the command handlers answer "may this actor do this?"
// from the same guards, so what a screen offers always works and what it hides
// is always refused. Checked over random flows and random reachable states.

/**
 * Every command a person could give on this state with well-formed input, one
 * group per entry of `availableActions`: a task command per task (a button per
 * action, a return per target), a case command with every clock or request it
 * could name.
 */
function everyCommand(
  def: CheckedFlow,
  state: CaseState,
  actor: Actor,
  nowMs: number,
): { key: string; type: CommandType; commands: Command[] }[] {
  const groups: { key: string; type: CommandType; commands: Command[] }[] = [];
  const add = (key: string, type: CommandType, commands: Command[]) =>
    groups.push({ key, type, commands });
  for (const task of state.tasks) {
    const taskId = task.id;
    const node = def.nodes.find((n) => n.id === task.node);
    for (const e of def.edges) {
      if (e.kind === 'action' && e.from === task.node)
        add(`${taskId} action ${e.action}`, 'task.complete', [
          { type: 'task.complete', taskId, action: e.action, data: {}, actor },
        ]);
    }
    add(`${taskId} task.claim`, 'task.claim', [{ type: 'task.claim', taskId, actor }]);
    add(`${taskId} task.release`, 'task.release', [{ type: 'task.release', taskId, actor }]);
    add(`${taskId} task.reassign`, 'task.reassign', [
      { type: 'task.reassign', taskId, to: 'someone-else', actor },
    ]);
    add(`${taskId} task.delegate`, 'task.delegate', [
      { type: 'task.delegate', taskId, to: 'deputy', actor },
    ]);
    const returnTo = node && 'returnTo' in node ? (node.returnTo ?? []) : [];
    for (const to of returnTo)
      add(`${taskId} return ${to}`, 'task.return', [
        { type: 'task.return', taskId, to, reason: '补充材料', actor },
      ]);
    add(`${taskId} task.refuse`, 'task.refuse', [
      { type: 'task.refuse', taskId, reason: '不属本部门', actor },
    ]);
  }
  const clockIds = def.clocks.map((c) => c.id);
  const requestIds = Object.keys(state.extensionRequests);
  const caseGroup = (type: CommandType, commands: Command[]) => add(type, type, commands);
  caseGroup('case.comment', [{ type: 'case.comment', text: '已电话联系', actor }]);
  caseGroup('case.attach', [{ type: 'case.attach', ref: 'uploads/1.pdf', actor }]);
  caseGroup('case.withdraw', [{ type: 'case.withdraw', reason: '当事人撤回', actor }]);
  caseGroup('case.setUrgency', [{ type: 'case.setUrgency', urgency: 'red', actor }]);
  caseGroup(
    'deadline.requestExtension',
    clockIds.map((clockId) => ({
      type: 'deadline.requestExtension',
      clockId,
      duration: 'P1D',
      reason: '需要鉴定',
      actor,
    })),
  );
  caseGroup(
    'deadline.approveExtension',
    requestIds.map((requestId) => ({ type: 'deadline.approveExtension', requestId, actor })),
  );
  caseGroup(
    'deadline.refuseExtension',
    requestIds.map((requestId) => ({
      type: 'deadline.refuseExtension',
      requestId,
      reason: '理由不足',
      actor,
    })),
  );
  caseGroup(
    'clock.pause',
    clockIds.map((clockId) => ({ type: 'clock.pause', clockId, reason: '鉴定', actor })),
  );
  caseGroup(
    'clock.resume',
    clockIds.map((clockId) => ({ type: 'clock.resume', clockId, actor })),
  );
  caseGroup('case.setLeader', [{ type: 'case.setLeader', userId: 'leader-7', actor }]);
  caseGroup('case.cancel', [{ type: 'case.cancel', reason: '重复登记', actor }]);
  caseGroup('case.migrate', [{ type: 'case.migrate', actor }]);
  caseGroup('case.supervise', [
    {
      type: 'case.supervise',
      reason: '群众反映久拖未办',
      deadline: new Date(nowMs + 7 * 86_400_000).toISOString(),
      to: { kind: 'assignees' },
      actor,
    },
  ]);
  const orders = (state.supervisions ?? []).map((o) => o.id);
  caseGroup(
    'case.answerSupervision',
    orders.map((supervisionId) => ({
      type: 'case.answerSupervision',
      supervisionId,
      text: '已约谈当事人，本周内答复',
      actor,
    })),
  );
  caseGroup(
    'case.closeSupervision',
    orders.map((supervisionId) => ({ type: 'case.closeSupervision', supervisionId, actor })),
  );
  return groups;
}

function offered(available: AvailableActions, key: string, type: CommandType): boolean {
  const [taskId, kind, arg] = key.split(' ');
  if (kind === undefined) return available.case.includes(type);
  const task = available.tasks.find((t) => t.taskId === taskId);
  if (!task) return false;
  if (kind === 'action') return task.actions.some((a) => a.action === arg);
  if (kind === 'return') return (task.returnTo ?? []).includes(arg as string);
  return task.commands.includes(type);
}

/** The people who might look at the case: its workers, a leader, an admin, the owner, a stranger. */
function actorsOf(state: CaseState): Actor[] {
  const actors: Actor[] = [
    ...state.tasks.map(workerFor),
    leaderActor,
    adminActor,
    { id: 'visitor', roles: ['handler'], jurisdiction: '110101' },
    // The registering office's receptionist, and one who is a receptionist only upstairs.
    { id: 'desk', roles: ['receptionist'], jurisdiction: state.receivedJurisdiction },
    {
      id: 'upstairs',
      roles: ['receptionist', 'handler'],
      officeRoles: ['handler'],
      jurisdiction: state.receivedJurisdiction,
    },
  ];
  if (state.leaderOwner)
    actors.push({ id: state.leaderOwner, roles: ['handler'], jurisdiction: '440781' });
  return actors;
}

const caseCommandRule = fc.record(
  {
    anyone: fc.boolean(),
    roles: fc.subarray(['leader', 'admin', 'receptionist', 'handler']),
    registeringOffice: fc.subarray(['receptionist', 'handler']),
    workers: fc.boolean(),
    leaderOwner: fc.boolean(),
  },
  { requiredKeys: [] },
);
const caseCommandRules = fc.record(
  Object.fromEntries(CASE_COMMANDS.map((c) => [c, caseCommandRule])) as Record<
    CaseCommand,
    typeof caseCommandRule
  >,
  { requiredKeys: [] },
);

// The walk does not take these: a migrated case runs on the newer flow, and a
// withdrawn or cancelled one has nothing left to offer.
const WALK_SKIPS: CommandType[] = ['case.migrate', 'case.withdraw', 'case.cancel'];

describe('one rule set for "may this actor do this?"', () => {
  it('accepts every command availableActions offers and rejects every one it does not', {
    timeout: 120_000,
  }, () => {
    let acceptedOffers = 0;
    let refusedHidden = 0;
    const reached = new Set<string>();
    fc.assert(
      fc.property(
        blocks,
        fc.boolean(),
        fc.array(fc.constantFrom('police', 'housing', 'water'), { maxLength: 3 }),
        fc.array(step, { maxLength: 25 }),
        fc.option(caseCommandRules, { nil: undefined }),
        (seq, withClock, departments, steps, rules) => {
          const built = buildFlow(seq, withClock);
          // Half the flows declare their own case-command rules, the rest keep the defaults.
          const def = rules ? checkedFlow({ ...built, caseCommands: rules }) : built;
          // A migration needs a newer version of the same flow.
          const newer = checkedFlow({ ...def, version: def.version + 1 });
          let counter = 0;
          let now = Date.parse('2026-09-25T01:00:00Z');
          const env = () => ({ now: new Date(now).toISOString(), newId: () => `id${++counter}` });
          const started = transition(
            def,
            initialState(),
            {
              type: 'case.start',
              channel: 'visit',
              data: { flag: false, departments },
              actor: leaderActor,
            },
            env(),
          );
          if (!started.ok) throw new Error(started.rejection.message.en);
          let state = started.state;
          // Checks the property on the current state; returns the states the accepted commands lead to.
          const check = () => {
            for (const clock of Object.values(state.clocks)) {
              reached.add(`clock ${clock.status}`);
              if (clock.extensionsUsed) reached.add('extension used');
            }
            if (Object.keys(state.extensionRequests).length) reached.add('extension requested');
            if (state.leaderOwner) reached.add('leader owner');
            for (const o of state.supervisions ?? []) reached.add(`supervision ${o.status}`);
            if (state.tasks.some((t) => t.assignee)) reached.add('task claimed');
            const reachable = new Map<CommandType, CaseState[]>();
            for (const actor of actorsOf(state)) {
              const available = availableActions(def, state, actor);
              for (const group of everyCommand(def, state, actor, now)) {
                const results = group.commands.map((command) =>
                  transition(command.type === 'case.migrate' ? newer : def, state, command, env()),
                );
                const why = `${actor.id} ${group.key} (version ${state.version})`;
                if (offered(available, group.key, group.type)) {
                  const accepted = results.some((r) => r.ok);
                  const rejections = results.map((r) => (r.ok ? '' : r.rejection.code));
                  expect(accepted, `${why} is offered but refused: ${rejections}`).toBe(true);
                  acceptedOffers++;
                  if (!WALK_SKIPS.includes(group.type))
                    for (const r of results)
                      if (r.ok)
                        reachable.set(group.type, [...(reachable.get(group.type) ?? []), r.state]);
                } else {
                  const accepted = results.filter((r) => r.ok).length;
                  expect(accepted, `${why} is hidden but accepted`).toBe(0);
                  for (const r of results) {
                    if (!r.ok) expect(r.rejection.code).not.toBe('engine.internal');
                  }
                  refusedHidden += results.length;
                }
              }
            }
            return reachable;
          };
          let reachable = check();
          for (const s of steps) {
            // Half the steps take an offered command, a kind chosen first so rare ones
            // (approving an extension, resuming a clock) come up: that walks deeper
            // into a case than random commands, which mostly end it.
            const kinds = [...reachable.values()];
            const states = kinds[s.pick % Math.max(1, kinds.length)] ?? [];
            const offeredState = s.flag ? states[s.op % Math.max(1, states.length)] : undefined;
            if (offeredState) {
              state = offeredState;
              reachable = check();
              continue;
            }
            const next = commandFor(def, state, s, now);
            now = next.now;
            if (!next.command) continue;
            const result = transition(def, state, next.command, env());
            if (!result.ok) continue;
            state = result.state;
            reachable = check();
          }
        },
      ),
      {
        numRuns: Number(process.env.PROPERTY_RUNS ?? 60),
        ...(process.env.PROPERTY_SEED === 'random'
          ? {}
          : { seed: Number(process.env.PROPERTY_SEED ?? 20251001) }),
      },
    );
    // Both halves of the property were really exercised.
    expect(acceptedOffers).toBeGreaterThan(1000);
    expect(refusedHidden).toBeGreaterThan(1000);
    expect([...reached]).toEqual(
      expect.arrayContaining([
        'clock paused',
        'clock running',
        'clock stopped',
        'extension requested',
        'extension used',
        'leader owner',
        'task claimed',
        'supervision open',
      ]),
    );
  });
});
