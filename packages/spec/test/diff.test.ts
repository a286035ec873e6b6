import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeFlowDiff, diffFlows, isHumanStep, NODE_KINDS } from '../src';
import { base } from './fixtures';

/** The same JSON with every object's keys in another order. */
function reorder(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reorder(v, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const turned = entries.map((_, i) => entries[(i + seed) % entries.length]!);
  return Object.fromEntries(turned.reverse().map(([k, v]) => [k, reorder(v, seed * 7 + 1)]));
}

describe('flow diff', () => {
  const flow = base('confirmation');

  it('finds nothing between a flow and itself written in any key order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1000 }), (seed) => {
        const d = diffFlows(flow, reorder(flow, seed));
        expect(d.identical).toBe(true);
        expect(d.changes).toEqual([]);
        expect(d.nodes.changed).toEqual([]);
      }),
    );
  });

  it('shows one rename as one change, in words, whatever the key order', () => {
    const renamed = structuredClone(flow) as { nodes: { id: string; name: unknown }[] };
    const node = renamed.nodes[1]!;
    const was = (node.name as { 'zh-CN': string })['zh-CN'];
    node.name = { 'zh-CN': '接访登记' };
    const d = diffFlows(flow, reorder(renamed, 3));
    expect(d.nodes.changed).toEqual([node.id]);
    expect(d.nodes.added).toEqual([]);
    expect(d.fields).toEqual([]);
    const words = describeFlowDiff(flow, renamed, 'zh-CN');
    expect(words.map((w) => w.text)).toEqual([`修改 步骤“接访登记” › 名称：${was} → 接访登记`]);
    expect(describeFlowDiff(flow, renamed, 'en')[0]?.text).toMatch(/^changed step .* › name: /);
  });

  it('counts a moved node as moved, not changed', () => {
    const moved = structuredClone(flow) as { nodes: { id: string; position?: unknown }[] };
    moved.nodes[0]!.position = { x: 999, y: 999 };
    const d = diffFlows(flow, moved);
    expect(d.identical).toBe(true);
    expect(d.nodes.moved).toEqual([moved.nodes[0]!.id]);
    expect(describeFlowDiff(flow, moved, 'zh-CN')).toEqual([]);
  });

  it('names added and removed steps and a changed deadline in days', () => {
    const next = structuredClone(flow) as {
      nodes: Record<string, unknown>[];
    };
    const task = next.nodes.find((n) => n.kind === 'task')!;
    const before = task.deadline as { duration: string } | undefined;
    task.deadline = { ...(before ?? { calendar: 'natural' }), duration: 'P10D' };
    next.nodes.push({
      id: 'extra',
      kind: 'end',
      name: { 'zh-CN': '另行结案' },
      outcome: 'resolved',
    });
    const words = describeFlowDiff(flow, next, 'zh-CN').map((w) => w.text);
    expect(words).toContain('新增 步骤“另行结案”');
    expect(words.some((w) => w.includes('办理时限') && w.endsWith('10天'))).toBe(true);
    expect(words.join('')).not.toMatch(/P10D|"id"/);
  });
});

describe('isHumanStep', () => {
  it('is true for tasks and multi-instance tasks only', () => {
    expect(NODE_KINDS.filter((kind) => isHumanStep({ kind }))).toEqual(['task', 'multiTask']);
    expect(isHumanStep(undefined)).toBe(false);
  });
});
