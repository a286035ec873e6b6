import type { FlowDefinition } from '@lianxin/spec';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainError } from '../src/components/ErrorBoundary';
import { caseFields, withCaseField } from '../src/panels/fields/CaseFieldPicker';
import { smallFlow } from './fixtures';

const dataSchema = {
  type: 'object',
  properties: {
    petitionerName: { type: 'string', title: '信访人姓名' },
    replies: { type: 'array', title: '各部门答复', items: { type: 'object' } },
    visit: {
      type: 'object',
      title: '来访',
      properties: {
        result: { type: 'string', title: '结果' },
        people: { type: 'array', title: '来访人' },
      },
    },
    amount: { type: 'number', title: '金额' },
  },
};

describe('case data fields a step writes', () => {
  it('offers lists for 汇总到 and texts for 结果写入字段, by title, inside groups too', () => {
    expect(caseFields(dataSchema, 'list')).toEqual([
      { value: 'replies', label: '各部门答复' },
      { value: 'visit.people', label: '来访 · 来访人' },
    ]);
    expect(caseFields(dataSchema, 'text')).toEqual([
      { value: 'petitionerName', label: '信访人姓名' },
      { value: 'visit.result', label: '来访 · 结果' },
    ]);
  });

  it('a new field is declared and set on its step in one flow, leaving every other part as it was', () => {
    const flow = smallFlow();
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
        fc.constantFrom('list' as const, 'text' as const),
        fc.constantFrom(...flow.nodes.map((n) => n.id)),
        (name, kind, nodeId) => {
          const next = withCaseField(flow, name, kind, '新字段', nodeId, { outcomeVar: name });
          const props = next.dataSchema.properties as Record<string, Record<string, unknown>>;
          expect(props[name]?.type).toBe(kind === 'list' ? 'array' : 'string');
          expect(props[name]?.title).toBe('新字段');
          expect(caseFields(next.dataSchema, kind).map((o) => o.value)).toContain(name);
          for (const [i, n] of next.nodes.entries()) {
            const before = flow.nodes[i] as FlowDefinition['nodes'][number];
            if (n.id === nodeId) expect(n).toEqual({ ...before, outcomeVar: name });
            else expect(n).toBe(before);
          }
          expect(next.edges).toBe(flow.edges);
          expect(next.forms).toBe(flow.forms);
          expect(flow.dataSchema.properties).not.toHaveProperty(name);
        },
      ),
    );
  });
});

describe('the designer’s error boundary', () => {
  it('names a form widget that does not exist in the admin’s words, and leaves other errors to the technical detail', () => {
    const error = new Error(
      `No widget 'textarae' for type 'string' in schema: {"type":"string","title":"姓名"}`,
    );
    expect(explainError(error, 'zh-CN')).toContain('控件 “textarae” 不存在');
    expect(explainError(error, 'en')).toContain('widget "textarae" that does not exist');
    expect(explainError(new Error('Could not find a definition for #/x'), 'zh-CN')).toContain(
      '引用了不存在的定义',
    );
    expect(explainError(new Error('Cannot read properties of undefined'), 'zh-CN')).toBeUndefined();
  });
});
