import type { FlowEdge, NodeKind, NodeOfKind } from '@lianxin/spec';
import { clockHooks, settlePauseBeforeStop } from './clocks';
import { type NodeSemantics, semantics } from './nodes';
import { byId, type Run } from './run';
import type { Timer, Token } from './types';

export function enterNode(run: Run, token: Token, nodeId: string, via: FlowEdge | undefined): void {
  run.step();
  clockHooks(run, 'enter', nodeId);
  if (!run.active) return;
  const node = run.node(nodeId);
  (semantics[node.kind] as NodeSemantics<NodeKind>).enter(run, token, node, via);
}

/** Moves a token along an edge (leaving its node) and lets the next node act. */
export function moveToken(run: Run, tokenId: string, edge: FlowEdge): void {
  if (!run.active) return;
  const token = byId(run.state.tokens, tokenId);
  if (!token) return;
  clockHooks(run, 'leave', token.node);
  if (!run.active) return;
  run.emit({ type: 'token.moved', tokenId, node: edge.to, via: edge.id });
  enterNode(run, byId(run.state.tokens, tokenId) as Token, edge.to, edge);
}

/** Puts a token back on an earlier node (退回 / 拒签) without an edge. */
export function jumpToken(run: Run, tokenId: string, nodeId: string, via: string): void {
  const token = byId(run.state.tokens, tokenId);
  if (!token) return;
  clockHooks(run, 'leave', token.node);
  if (!run.active) return;
  run.emit({ type: 'token.moved', tokenId, node: nodeId, via });
  enterNode(run, byId(run.state.tokens, tokenId) as Token, nodeId, undefined);
}

export function cancelTimers(run: Run, match: (t: Timer) => boolean): void {
  for (const timer of run.state.timers) {
    if (match(timer)) run.emit({ type: 'timer.cancelled', timerId: timer.id });
  }
}

export function cancelTaskTimers(run: Run, taskId: string): void {
  cancelTimers(
    run,
    (t) =>
      (t.purpose.kind === 'taskWarning' || t.purpose.kind === 'taskOverdue') &&
      t.purpose.taskId === taskId,
  );
}

/** Cancels a token with everything it waits on: tasks, timers, child cases. */
export function cancelToken(
  run: Run,
  tokenId: string,
  reason: 'ended' | 'branchCancelled' = 'branchCancelled',
): void {
  for (const task of run.state.tasks) {
    if (task.tokenId !== tokenId) continue;
    cancelTaskTimers(run, task.id);
    run.emit({ type: 'task.cancelled', taskId: task.id, reason });
  }
  cancelTimers(run, (t) => t.purpose.kind === 'node' && t.purpose.tokenId === tokenId);
  for (const child of run.state.children) {
    if (child.tokenId === tokenId) run.emit({ type: 'child.cancelled', childId: child.id });
  }
  run.emit({ type: 'token.consumed', tokenId, reason: reason === 'ended' ? 'ended' : 'cancelled' });
}

/** Terminate semantics: other tokens, tasks, timers and clocks stop, then the case closes. */
export function closeCase(run: Run, outcome: NodeOfKind<'end'>['outcome'], node?: string): void {
  for (const token of run.state.tokens) cancelToken(run, token.id, 'ended');
  stopEverything(run);
  run.emit({ type: 'case.closed', outcome, ...(node ? { node } : {}) });
}

export function stopEverything(run: Run): void {
  for (const id of Object.keys(run.state.clocks).sort()) settlePauseBeforeStop(run, id);
  cancelTimers(run, () => true);
  // Definition order, not the state's key order: PostgreSQL's jsonb reorders object keys, and
  // the events must come out the same whichever store the state was read from.
  // A clock the definition no longer has (after a migration) comes last, by id.
  const declared = run.def.clocks.map((c) => c.id);
  const ids = [
    ...declared,
    ...Object.keys(run.state.clocks)
      .filter((id) => !declared.includes(id))
      .sort(),
  ];
  for (const id of ids) {
    const clock = run.state.clocks[id];
    if (clock && clock.status !== 'stopped') run.emit({ type: 'clock.stopped', clockId: id });
  }
}
