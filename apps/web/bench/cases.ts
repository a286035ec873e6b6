import type { FlowDefinition } from '@lianxin/spec';
import { bigFlow } from '../test/fixtures';

/** A 300-field registration-style form: text, numbers, choices, long text, ID and phone fields. */
export function bigForm(
  n = 300,
  options: { plain?: boolean } = {},
): { schema: Record<string, unknown>; uiSchema: Record<string, unknown> } {
  const properties: Record<string, unknown> = {};
  const uiSchema: Record<string, unknown> = {};
  const required: string[] = [];
  for (let i = 0; i < n; i++) {
    const key = `f${i}`;
    switch (i % 10) {
      case 0:
        properties[key] = { type: 'number', title: `数字字段 ${i}` };
        break;
      case 1:
        properties[key] = { type: 'string', title: `类别 ${i}`, enum: ['土地', '劳资', '其他'] };
        break;
      case 2:
        properties[key] = { type: 'string', title: `说明 ${i}` };
        uiSchema[key] = { 'ui:widget': 'textarea' };
        break;
      case 3:
        if (options.plain)
          properties[key] = { type: 'string', title: `手机 ${i}`, pattern: '^1[3-9]\\d{9}$' };
        else {
          properties[key] = { type: 'string', title: `手机 ${i}`, format: 'cn-mobile' };
          uiSchema[key] = { 'ui:widget': 'mobile' };
        }
        break;
      default:
        properties[key] = { type: 'string', title: `文本字段 ${i}`, minLength: 2 };
    }
    if (i % 7 === 0) required.push(key);
  }
  return { schema: { type: 'object', required, properties }, uiSchema };
}

/** The benchmark's flow of `n` nodes: the browser test's large flow, 25 to a row, without deadlines. */
export const benchFlow = (n: number): FlowDefinition =>
  bigFlow(n, `bench-${n}`, { perRow: 25, deadlines: false, name: `基准流程（${n} 个节点）` });
