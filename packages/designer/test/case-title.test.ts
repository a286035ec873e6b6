import type { FlowDefinition } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { caseTitleOptions } from '../src/components/CaseTitleFields';
import { createDesignerStore, redo, undo } from '../src/model';
import { smallFlow } from './fixtures';

/** The small flow with a sensitive name, a long text, a number and a list field. */
function flowWithFields(): FlowDefinition {
  const flow = smallFlow();
  return {
    ...flow,
    dataSchema: {
      type: 'object',
      properties: {
        summary: { type: 'string', title: '诉求摘要' },
        requests: { type: 'string', title: { 'zh-CN': '具体诉求', en: 'Requests' } },
        amount: { type: 'number', title: '争议金额' },
        petitionerName: { type: 'string', title: '姓名', 'x-sensitive': 'name' },
        departments: { type: 'array', items: { type: 'string' } },
      },
    },
  };
}

describe('the case title and summary pickers', () => {
  it('offer the text and number fields by their titles, never a sensitive one', () => {
    expect(caseTitleOptions(flowWithFields(), 'zh-CN')).toEqual([
      { value: 'summary', label: '诉求摘要' },
      { value: 'requests', label: '具体诉求' },
      { value: 'amount', label: '争议金额' },
    ]);
    expect(caseTitleOptions(flowWithFields(), 'en').map((o) => o.label)).toEqual([
      '诉求摘要',
      'Requests',
      '争议金额',
    ]);
  });

  it('leave out a field a form marks sensitive though the case schema does not', () => {
    const flow = flowWithFields();
    const marked: FlowDefinition = {
      ...flow,
      forms: [
        {
          id: 'register',
          title: { 'zh-CN': '登记' },
          schema: {
            type: 'object',
            properties: { requests: { type: 'string', 'x-sensitive': 'text' } },
          },
        },
      ],
    };
    expect(caseTitleOptions(marked, 'zh-CN').map((o) => o.value)).toEqual(['summary', 'amount']);
  });

  it('set, clear, undo and redo the flow’s title field', () => {
    // given
    const store = createDesignerStore(flowWithFields());
    const before = store.getState().flow;
    // when
    store.getState().dispatch({ type: 'flow.update', patch: { caseTitle: 'summary' } });
    store.getState().dispatch({ type: 'flow.update', patch: { caseSummary: 'requests' } });
    // then
    expect(store.getState().flow).toMatchObject({ caseTitle: 'summary', caseSummary: 'requests' });
    store.getState().dispatch({ type: 'flow.update', patch: { caseSummary: undefined } });
    expect('caseSummary' in store.getState().flow).toBe(false);
    undo(store);
    expect(store.getState().flow.caseSummary).toBe('requests');
    undo(store);
    undo(store);
    expect(store.getState().flow).toEqual(before);
    redo(store);
    expect(store.getState().flow.caseTitle).toBe('summary');
  });
});
