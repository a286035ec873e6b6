import {
  type CheckedFlow,
  type FlowDefinition,
  HUMAN_STEP_KINDS,
  NODE_KINDS,
  type NodeKind,
} from '@lianxin/spec';
import { alert } from './alerts';
import { instantMs } from './calendar';
import { holdClocks } from './clocks';
import { indexFlow } from './definition';
import { evolve, initialState } from './evolve';
import { guards } from './guards';
import { handlers } from './handlers';
import { RejectionSignal, reject } from './rejections';
import { enforce, fail, type Handler, needActor, Run } from './run';
import type {
  CaseState,
  Command,
  CommandOf,
  CommandType,
  Env,
  Event,
  TransitionResult,
} from './types';

export function migrate(
  def: FlowDefinition,
  state: CaseState,
  command: CommandOf<'case.migrate'>,
  run: Run,
): void {
  enforce(guards['case.migrate'](run, needActor(run), command));
  if (def.key !== state.flow.key || def.version <= state.flow.version) {
    fail('migration.notNewer', {
      from: `${state.flow.key}@${state.flow.version}`,
      to: `${def.key}@${def.version}`,
    });
  }
  const given = command.mapping ?? {};
  const mapping: Record<string, string> = {};
  const need = (node: string, kinds: readonly NodeKind[]) => {
    const to = given[node] ?? node;
    const target = run.ix.nodes.get(to);
    if (!target) fail('migration.unmappedNode', { node });
    if (!kinds.includes(target.kind))
      fail('migration.incompatibleNode', { node, to, kind: target.kind });
    mapping[node] = to;
  };
  for (const token of state.tokens) {
    const waitsOnTask = state.tasks.some((t) => t.tokenId === token.id);
    const waitsOnTimer = state.timers.some(
      (t) => t.purpose.kind === 'node' && t.purpose.tokenId === token.id,
    );
    const waitsOnChild = state.children.some((c) => c.tokenId === token.id);
    const kind: readonly NodeKind[] = waitsOnTask
      ? HUMAN_STEP_KINDS
      : waitsOnTimer
        ? ['timer']
        : waitsOnChild
          ? ['subflow']
          : NODE_KINDS;
    need(token.node, kind);
  }
  for (const join of Object.keys(state.joins)) need(join, ['join']);
  run.emit({ type: 'case.migrated', from: state.flow.version, to: def.version, mapping });
}

/**
 * Decides what a command does to a case: the events it causes (already folded
 * into the returned state), the effects the store must carry out, or a
 * rejection. Pure: time and ids come from `env` only.
 */
export function transition(
  definition: CheckedFlow,
  state: CaseState,
  command: Command,
  env: Env,
): TransitionResult {
  try {
    if (Number.isNaN(instantMs(env.now))) fail('env.invalidTime', { now: String(env.now) });
    if (command.expectedVersion !== undefined && command.expectedVersion !== state.version) {
      fail('state.stale', { expected: command.expectedVersion, actual: state.version });
    }
    const handler = handlers[command.type] as Handler<CommandType> | undefined;
    if (!handler) fail('command.unknown', { type: String(command.type) });
    const run = new Run(definition, indexFlow(definition), state, env, command.actor);
    if (command.type === 'case.start') {
      handler(run, command);
      holdClocks(run);
      alert(run, state);
      return { ok: true, state: run.state, events: run.events, effects: run.effects };
    }
    if (state.status === 'new') fail('case.notStarted');
    if (state.status !== 'active') fail('case.closed');
    if (command.type === 'case.migrate') {
      migrate(definition, state, command, run);
      holdClocks(run);
      return { ok: true, state: run.state, events: run.events, effects: run.effects };
    }
    if (definition.key !== state.flow.key || definition.version !== state.flow.version) {
      fail('definition.mismatch', {
        caseFlow: `${state.flow.key}@${state.flow.version}`,
        given: `${definition.key}@${definition.version}`,
      });
    }
    handler(run, command);
    holdClocks(run);
    alert(run, state);
    return { ok: true, state: run.state, events: run.events, effects: run.effects };
  } catch (error) {
    if (error instanceof RejectionSignal) return { ok: false, rejection: error.rejection };
    // Never throw at the caller: a definition that skipped the checker, or a bug, becomes
    // a rejection with its own code (the property tests assert it never happens).
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, rejection: reject('engine.internal', { detail }) };
  }
}

/** Rebuilds the state from events (the definition is only checked, never needed). */
export function replay(definition: CheckedFlow, events: readonly Event[]): CaseState {
  void definition;
  let state = initialState();
  for (const e of events) state = evolve(state, e);
  return state;
}
