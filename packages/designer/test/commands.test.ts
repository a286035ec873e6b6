import type { FlowDefinition } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { createDesignerStore, type Edit, prepareCopies, redo, undo } from '../src/model';
import { smallFlow } from './fixtures';

interface Case {
  description: string;
  edit: (flow: FlowDefinition) => Edit;
  expect: (flow: FlowDefinition) => void;
}

const cases: Case[] = [
  {
    description: 'node.add adds a decision',
    edit: () => ({
      type: 'node.add',
      node: { id: 'decision1', kind: 'decision', name: { 'zh-CN': '是否受理' } },
    }),
    expect: (f) => expect(f.nodes.map((n) => n.id)).toContain('decision1'),
  },
  {
    description: 'node.update renames a step and rewires its edges when the id changes',
    edit: () => ({
      type: 'node.update',
      id: 'register',
      patch: { id: 'intake', name: { 'zh-CN': '接访登记' } },
    }),
    expect: (f) => {
      expect(f.nodes[1]).toMatchObject({ id: 'intake', name: { 'zh-CN': '接访登记' } });
      expect(f.edges.map((e) => [e.from, e.to])).toEqual([
        ['start', 'intake'],
        ['intake', 'done'],
      ]);
    },
  },
  {
    description: 'node.update removes a field set to undefined',
    edit: () => ({ type: 'node.update', id: 'register', patch: { form: undefined } }),
    expect: (f) => expect('form' in (f.nodes[1] ?? {})).toBe(false),
  },
  {
    description: 'node.move moves nodes to rounded positions',
    edit: () => ({ type: 'node.move', positions: { done: { x: 10.4, y: 300.6 } } }),
    expect: (f) => expect(f.nodes[2]?.position).toEqual({ x: 10, y: 301 }),
  },
  {
    description: 'edge.add connects two nodes',
    edit: () => ({ type: 'edge.add', edge: { id: 'e3', kind: 'next', from: 'start', to: 'done' } }),
    expect: (f) => expect(f.edges).toHaveLength(3),
  },
  {
    description: 'edge.update relabels a button',
    edit: () => ({
      type: 'edge.update',
      id: 'e2',
      patch: { label: { 'zh-CN': '办结', en: 'Close' } },
    }),
    expect: (f) => expect(f.edges[1]?.label).toEqual({ 'zh-CN': '办结', en: 'Close' }),
  },
  {
    description: 'elements.remove deletes a node with the edges touching it',
    edit: () => ({ type: 'elements.remove', nodes: ['register'], edges: [] }),
    expect: (f) => {
      expect(f.nodes.map((n) => n.id)).toEqual(['start', 'done']);
      expect(f.edges).toEqual([]);
    },
  },
  {
    description: 'elements.paste adds copies with fresh ids, skipping a second start',
    edit: (flow) => ({ type: 'elements.paste', ...prepareCopies(flow, flow.nodes, flow.edges) }),
    expect: (f) => {
      expect(f.nodes.map((n) => n.id)).toEqual(['start', 'register', 'done', 'task1', 'end1']);
      expect(f.edges.at(-1)).toMatchObject({ id: 'e3', from: 'task1', to: 'end1' });
      expect(f.nodes.at(-1)?.position).toEqual({ x: 40, y: 280 });
    },
  },
  {
    description: 'flow.update renames the flow',
    edit: () => ({ type: 'flow.update', patch: { name: { 'zh-CN': '新名称' } } }),
    expect: (f) => expect(f.name).toEqual({ 'zh-CN': '新名称' }),
  },
  {
    description: 'form.put adds a form and its fields to the case data schema',
    edit: () => ({
      type: 'form.put',
      form: {
        id: 'reply',
        title: { 'zh-CN': '答复' },
        schema: { type: 'object', properties: { reply: { type: 'string' } } },
      },
      dataSchemaProperties: { reply: { type: 'string' } },
    }),
    expect: (f) => {
      expect(f.forms.map((x) => x.id)).toEqual(['register', 'reply']);
      expect(Object.keys(f.dataSchema.properties as object)).toEqual(['summary', 'reply']);
    },
  },
  {
    description: 'form.remove deletes a form and unlinks tasks using it',
    edit: () => ({ type: 'form.remove', id: 'register' }),
    expect: (f) => {
      expect(f.forms).toEqual([]);
      expect('form' in (f.nodes[1] ?? {})).toBe(false);
    },
  },
  {
    description: 'flow.replace swaps in an imported flow',
    edit: (flow) => ({ type: 'flow.replace', flow: { ...flow, key: 'imported' } }),
    expect: (f) => expect(f.key).toBe('imported'),
  },
];

describe('editor edits: do, undo, redo', () => {
  it.each(cases)('$description', ({ edit, expect: then }) => {
    // given
    const store = createDesignerStore(smallFlow());
    const before = store.getState().flow;
    // when
    store.getState().dispatch(edit(before));
    const after = store.getState().flow;
    // then
    then(after);
    undo(store);
    expect(store.getState().flow).toEqual(before);
    redo(store);
    expect(store.getState().flow).toEqual(after);
    then(store.getState().flow);
  });

  it('keeps unchanged nodes identical, so the canvas re-renders only what changed', () => {
    const store = createDesignerStore(smallFlow());
    const [a, b] = store.getState().flow.nodes;
    store.getState().dispatch({ type: 'node.move', positions: { done: { x: 1, y: 1 } } });
    expect(store.getState().flow.nodes[0]).toBe(a);
    expect(store.getState().flow.nodes[1]).toBe(b);
  });

  it('changes nothing, and records no undo step, when an edit names an edge removed meanwhile', () => {
    // (a condition saved as its builder closes, the edge deleted just before)
    const store = createDesignerStore(smallFlow());
    const before = store.getState().flow;
    store
      .getState()
      .dispatch({ type: 'edge.update', id: 'gone', patch: { label: { 'zh-CN': 'x' } } });
    expect(store.getState().flow).toBe(before);
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });

  it('does not record selection changes in the undo history', () => {
    const store = createDesignerStore(smallFlow());
    store.getState().select({ nodes: ['start'], edges: [] });
    expect(store.temporal.getState().pastStates).toHaveLength(0);
  });

  it('undoes a sequence of edits one at a time', () => {
    const store = createDesignerStore(smallFlow());
    const { dispatch } = store.getState();
    dispatch({ type: 'node.update', id: 'done', patch: { name: { 'zh-CN': 'A' } } });
    dispatch({ type: 'node.update', id: 'done', patch: { name: { 'zh-CN': 'B' } } });
    undo(store);
    expect(store.getState().flow.nodes[2]?.name['zh-CN']).toBe('A');
    undo(store);
    expect(store.getState().flow.nodes[2]?.name['zh-CN']).toBe('办结');
    redo(store);
    redo(store);
    expect(store.getState().flow.nodes[2]?.name['zh-CN']).toBe('B');
  });
});

describe('paste', () => {
  it('selects the pasted copies, so Delete removes them and not the originals', () => {
    const store = createDesignerStore(smallFlow());
    const original = store.getState().flow.nodes.filter((n) => n.kind !== 'start');
    const ids = new Set(original.map((n) => n.id));
    const copies = prepareCopies(
      store.getState().flow,
      original,
      store.getState().flow.edges.filter((e) => ids.has(e.from) && ids.has(e.to)),
      40,
    );
    store.getState().select({ nodes: original.map((n) => n.id), edges: [] });
    store.getState().dispatch({ type: 'elements.paste', ...copies });
    const sel = store.getState().selection;
    expect(sel.nodes).toEqual(copies.nodes.map((n) => n.id));
    expect(sel.nodes.some((id) => ids.has(id))).toBe(false);
    store.getState().dispatch({ type: 'elements.remove', nodes: sel.nodes, edges: sel.edges });
    expect(store.getState().flow.nodes.map((n) => n.id)).toEqual(
      smallFlow().nodes.map((n) => n.id),
    );
  });
});
