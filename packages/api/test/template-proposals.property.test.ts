import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { computeOverlay, resolvePointer, toKeyed } from '@lianxin/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeProposal } from '../src/routers/template-proposals';

type Json = Record<string, unknown>;
type Node = { id: string; name: Json; deadline?: Json };
const base = JSON.parse(
  readFileSync(
    fileURLToPath(new URL('../../../templates/standard-petition/flow.json', import.meta.url)),
    'utf8',
  ),
) as Json;
const STEPS = ['accept', 'assign', 'approve', 'reply', 'visit'] as const;
const at = (flow: Json, path: string) => {
  const r = resolvePointer(toKeyed(flow), path);
  return r.found ? r.value : undefined;
};

/** A flow with some steps given other durations and names. */
function edited(
  from: Json,
  edits: { step: string; days?: number; name?: string }[],
  identity: Json = {},
): Json {
  const flow = { ...structuredClone(from), ...identity };
  for (const e of edits) {
    const node = (flow.nodes as Node[]).find((n) => n.id === e.step) as Node;
    if (e.days !== undefined) node.deadline = { ...node.deadline, duration: `P${e.days}D` };
    if (e.name !== undefined) node.name = { ...node.name, 'zh-CN': e.name };
  }
  return flow;
}

const edits = fc.uniqueArray(
  fc.record({
    step: fc.constantFrom(...STEPS),
    days: fc.option(fc.integer({ min: 1, max: 90 }), { nil: undefined }),
    name: fc.option(fc.constantFrom('电话回访', '审核', '限时办理'), { nil: undefined }),
  }),
  { selector: (e) => e.step, maxLength: STEPS.length },
);

describe('采纳 merges exactly the chosen county changes into the province’s source', () => {
  it('takes each chosen change, keeps the source elsewhere and its identity', () => {
    fc.assert(
      fc.property(
        edits,
        edits,
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        (c, p, pick) => {
          const county = edited(base, c);
          const offered = computeOverlay(base, county);
          const chosen = offered.filter((_, i) => pick[i % pick.length]);
          const source = edited(base, p, { jurisdiction: '440000' });
          const merged = mergeProposal(base, chosen, source);
          expect(merged.ok).toBe(true);
          if (!merged.ok) return;
          const flow = merged.flow;
          expect(flow.jurisdiction).toBe('440000');
          expect(flow.key).toBe(base.key);
          const provinceChanged = computeOverlay(base, source).map((op) => op.path);
          for (const op of offered) {
            if (chosen.includes(op)) expect(at(flow, op.path)).toEqual(at(county, op.path));
            // Not chosen: whatever the source has there stays.
            else expect(at(flow, op.path)).toEqual(at(source, op.path));
          }
          const chosenPaths = chosen.map((op) => op.path);
          for (const path of provinceChanged)
            if (!chosenPaths.includes(path)) expect(at(flow, path)).toEqual(at(source, path));
          // Nothing else moves: the merged flow differs from the source only where chosen.
          for (const op of computeOverlay(source, flow)) expect(chosenPaths).toContain(op.path);
        },
      ),
      { numRuns: 60 },
    );
  });
});
