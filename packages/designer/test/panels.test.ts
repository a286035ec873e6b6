import { type FlowDefinition, NODE_KINDS, type Operation } from '@lianxin/spec';
import { describe, expect, it } from 'vitest';
import { listFields } from '../src/panels/fields/ListFieldPicker';
import { operationWords } from '../src/panels/fields/OperationsWords';
import { NODE_PANELS } from '../src/panels/nodes';

describe('the property panel, one spec per node kind', () => {
  it('has a panel for every node kind, with entry ids unique within it', () => {
    expect(Object.keys(NODE_PANELS).sort()).toEqual([...NODE_KINDS].sort());
    for (const kind of NODE_KINDS) {
      const ids = NODE_PANELS[kind].groups.flatMap((g) => g.entries.map((e) => `${g.id}/${e.id}`));
      expect(new Set(ids).size, kind).toBe(ids.length);
    }
  });

  it('offers the list fields a multi-instance task can run over, inside groups too, by title', () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', title: '姓名' },
        departments: { type: 'array', title: '协办部门', items: { type: 'string' } },
        triage: {
          type: 'object',
          title: '分流',
          properties: { towns: { type: 'array', items: { type: 'string' } } },
        },
      },
    };
    expect(listFields(schema)).toEqual([
      { value: 'departments', label: '协办部门' },
      { value: 'triage.towns', label: '分流 · towns' },
    ]);
    expect(listFields({})).toEqual([]);
  });

  it('says the operations of an automatic step in words, with no code in them', () => {
    const flow = {
      roles: [{ id: 'leader', name: { 'zh-CN': '分管领导' } }],
      dataSchema: {
        type: 'object',
        properties: {
          triage: { type: 'object', title: '分流', properties: { lead: { title: '主办部门' } } },
        },
      },
    } as unknown as FlowDefinition;
    const said = (op: Operation) => operationWords(op, flow, 'zh-CN');
    expect(said({ op: 'set', var: 'triage.lead', value: 'housing' })).toBe(
      '把“分流 · 主办部门”设为“housing”',
    );
    expect(said({ op: 'setUrgency', value: 'red' })).toBe('把四色等级设为红');
    expect(said({ op: 'escalate', level: 'city' })).toBe('提级到市级');
    expect(
      said({ op: 'notify', to: 'petitioner', message: { 'zh-CN': '您的信访事项已受理' } }),
    ).toBe('通知信访人：“您的信访事项已受理”');
    expect(
      said({
        op: 'notify',
        to: { role: 'leader', level: 'county' },
        message: { 'zh-CN': '请阅' },
      }),
    ).toBe('通知县级分管领导：“请阅”');
    expect(said({ op: 'set', var: 'unknown', value: { var: 'triage.lead' } })).toBe(
      '把案件数据中的一个字段设为“分流 · 主办部门”的值',
    );
  });
});
