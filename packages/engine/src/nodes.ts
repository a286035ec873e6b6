import {
  evaluateCondition,
  evaluateExpression,
  type FlowEdge,
  type FlowNode,
  type NodeKind,
  type NodeOfKind,
  URGENCY_COLOURS,
  type UrgencyColour,
} from '@lianxin/spec';
import { computeDue } from './calendar';
import { actionEdges, jurisdictionAt, nodesReaching } from './definition';
import { getPath } from './evolve';
import { cancelToken, closeCase, moveToken } from './movement';
import { byId, type Run } from './run';
import { handsOutShares, openShares, shareList } from './shares';
import { candidatesFor, openTask } from './tasks';
import type { Timer, Token } from './types';

export interface NodeSemantics<K extends NodeKind> {
  /** A token has arrived at the node (via the edge, when it came along one). */
  enter(run: Run, token: Token, node: NodeOfKind<K>, via: FlowEdge | undefined): void;
}
export type Semantics = { [K in NodeKind]: NodeSemantics<K> };

export function onlyNext(run: Run, node: FlowNode): FlowEdge {
  const edge = (run.ix.outgoing.get(node.id) ?? []).find((e) => e.kind === 'next');
  if (!edge) throw new Error(`node "${node.id}" has no next edge`);
  return edge;
}

export function safeCondition(run: Run, logic: unknown, extra?: Record<string, unknown>): boolean {
  try {
    return evaluateCondition(logic, run.conditionData(extra));
  } catch {
    return false;
  }
}

export function safeExpression(run: Run, logic: unknown): unknown {
  try {
    return evaluateExpression(logic, run.conditionData());
  } catch {
    return null;
  }
}

/** What each kind of node does when a token arrives. */
export const semantics = {
  start: {
    enter(run, token, node) {
      moveToken(run, token.id, onlyNext(run, node));
    },
  },
  task: {
    enter(run, token, node, via) {
      // Arriving without an edge is a jump back (退回, 拒签): the step is done again.
      openTask(run, token, node, undefined, via ? {} : { again: true });
    },
  },
  multiTask: {
    enter(run, token, node) {
      const list = getPath(run.state.data, node.over);
      const shares = handsOutShares(node);
      const items = shares ? shareList(run, node) : Array.isArray(list) ? list : [];
      if (items.length === 0) {
        // Nothing to hand out: the node is done at once, along its first button.
        const edge = actionEdges(run.ix, node.id)[0];
        if (edge) moveToken(run, token.id, edge);
        return;
      }
      if (shares) {
        openShares(run, token, node, items);
        return;
      }
      run.emit({ type: 'multiTask.started', tokenId: token.id, count: items.length });
      items.forEach((value, index) => {
        openTask(run, token, node, { index, value });
      });
    },
  },
  decision: {
    enter(run, token, node) {
      const out = run.ix.outgoing.get(node.id) ?? [];
      const chosen =
        out.find((e) => e.kind === 'condition' && safeCondition(run, e.condition)) ??
        out.find((e) => e.kind === 'default');
      if (!chosen) throw new Error(`decision "${node.id}" has no default edge`);
      moveToken(run, token.id, chosen);
    },
  },
  parallel: {
    enter(run, token, node) {
      const out = (run.ix.outgoing.get(node.id) ?? []).filter((e) => e.kind === 'next');
      const [first, ...rest] = out;
      if (!first) return;
      // Create every branch's token before any moves, so an early end cancels them all.
      const spawned = rest.map((edge) => {
        const tokenId = run.newId();
        run.emit({ type: 'token.created', tokenId, node: node.id });
        return { tokenId, edge };
      });
      moveToken(run, token.id, first);
      for (const { tokenId, edge } of spawned) {
        if (run.active && byId(run.state.tokens, tokenId)) moveToken(run, tokenId, edge);
      }
    },
  },
  join: {
    enter(run, token, node, via) {
      if (node.mode === 'any') {
        // First token wins: cancel every other token still on its way here.
        const upstream = nodesReaching(run.ix, node.id);
        for (const other of run.state.tokens) {
          if (other.id !== token.id && upstream.has(other.node)) cancelToken(run, other.id);
        }
        if (run.state.joins[node.id]) {
          run.emit({ type: 'join.reset', node: node.id, edges: run.state.joins[node.id] ?? [] });
        }
        moveToken(run, token.id, onlyNext(run, node));
        return;
      }
      const incoming = (run.ix.incoming.get(node.id) ?? []).map((e) => e.id);
      const arrived = run.state.joins[node.id] ?? [];
      if (via && !arrived.includes(via.id))
        run.emit({ type: 'join.arrived', node: node.id, edge: via.id });
      const now = run.state.joins[node.id] ?? [];
      if (incoming.every((e) => now.includes(e))) {
        run.emit({ type: 'join.reset', node: node.id, edges: incoming });
        moveToken(run, token.id, onlyNext(run, node));
      } else {
        run.emit({ type: 'token.consumed', tokenId: token.id, reason: 'joined' });
      }
    },
  },
  timer: {
    enter(run, token, node) {
      const due = computeDue(
        run.nowMs,
        node.wait.duration,
        node.wait.calendar,
        false,
        run.calendar,
      );
      if (!due) throw new Error(`timer "${node.id}" has an invalid duration`);
      const timer: Timer = {
        id: run.newId(),
        due: due.due,
        purpose: { kind: 'node', tokenId: token.id, node: node.id },
      };
      run.emit({ type: 'timer.set', timer, calendarVersion: due.calendarVersion });
      run.flagProvisional({ kind: 'timer', id: timer.id }, due);
    },
  },
  action: {
    enter(run, token, node) {
      for (const op of node.operations) {
        switch (op.op) {
          case 'set':
            run.emit({
              type: 'data.set',
              var: op.var,
              value: safeExpression(run, op.value) ?? null,
            });
            break;
          case 'setUrgency': {
            const value = safeExpression(run, op.value);
            if (URGENCY_COLOURS.includes(value as UrgencyColour) && value !== run.state.urgency) {
              run.emit({ type: 'urgency.set', urgency: value as UrgencyColour });
            }
            break;
          }
          case 'notify': {
            const message = {
              'zh-CN': op.message['zh-CN'],
              en: op.message.en ?? op.message['zh-CN'],
            };
            if (typeof op.to === 'string') run.notify({ to: { kind: op.to }, message });
            else
              run.notify({
                to: { kind: 'candidates', candidates: candidatesFor(run, op.to) },
                message,
              });
            break;
          }
          case 'escalate': {
            const jurisdiction = jurisdictionAt(run.state.receivedJurisdiction, op.level);
            run.emit({ type: 'case.escalated', level: op.level, jurisdiction });
            break;
          }
        }
      }
      moveToken(run, token.id, onlyNext(run, node));
    },
  },
  subflow: {
    enter(run, token, node) {
      const input: Record<string, unknown> = {};
      for (const [key, logic] of Object.entries(node.input ?? {})) {
        input[key] = safeExpression(run, logic) ?? null;
      }
      run.emit({
        type: 'child.started',
        child: { id: run.newId(), tokenId: token.id, node: node.id, flow: node.flow, input },
      });
    },
  },
  end: {
    enter(run, token, node) {
      run.emit({ type: 'token.consumed', tokenId: token.id, reason: 'ended' });
      closeCase(run, node.outcome, node.id);
    },
  },
} satisfies Semantics;
