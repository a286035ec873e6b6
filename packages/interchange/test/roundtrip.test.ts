import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkFlow, diffFlows } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { createModdle, exportBpmn, importBpmn } from '../src/index';
import { templateFlows } from './templates';

describe('export to BPMN and back', () => {
  it.each(templateFlows())(
    '$name: bpmn-moddle reads the export without warnings and it re-imports equal',
    async ({ flow }) => {
      // given a template flow with its forms
      expect(checkFlow(flow).filter((p) => p.severity === 'error')).toEqual([]);
      // when it is exported and read back
      const xml = await exportBpmn(flow);
      const parsed = await createModdle().fromXML(xml);
      const back = await importBpmn(xml);
      // then
      expect(parsed.warnings).toEqual([]);
      expect(back.problems).toEqual([]);
      const diff = diffFlows(flow, back.flow);
      expect(diff.changes).toEqual([]);
      expect(diff.identical).toBe(true);
      // every node is placed on the diagram
      expect(back.flow?.nodes.every((n) => n.position)).toBe(true);
    },
  );
});

describe('export keeps what a template does not show', () => {
  it('brings back node positions, a warning deadline edge and the example flows', async () => {
    // given a template flow placed on the canvas, with a due-soon edge
    const [first] = templateFlows().filter((t) => t.name === 'standard-petition');
    const base = first?.flow as NonNullable<typeof first>['flow'];
    const placed = {
      ...base,
      nodes: base.nodes.map((n, i) => ({
        ...n,
        position: { x: 40 + (i % 5) * 210.5, y: 30 + Math.floor(i / 5) * 140 },
      })),
      edges: [
        ...base.edges,
        {
          id: 'accept-dueSoon',
          kind: 'deadline' as const,
          from: 'accept',
          to: 'assign',
          on: 'warning' as const,
        },
      ],
    };
    // when
    const back = await importBpmn(await exportBpmn(placed));
    // then
    expect(back.problems).toEqual([]);
    expect(diffFlows(placed, back.flow).identical).toBe(true);
    expect(back.flow?.nodes.map((n) => n.position)).toEqual(placed.nodes.map((n) => n.position));
    for (const file of [
      'docs/examples/minimal-flow.json',
      'packages/spec/test/fixtures/bases/dispatch.json',
    ]) {
      const flow = JSON.parse(readFileSync(join(import.meta.dirname, '../../..', file), 'utf8'));
      const again = await importBpmn(await exportBpmn(flow));
      expect(again.problems).toEqual([]);
      expect(diffFlows(flow, again.flow).changes).toEqual([]);
    }
  });
});
