import { checkedFlow, sealValue } from '@lianxin/spec';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseComplaint, LIST_TITLE_LENGTH, type Store } from '../src';
import flowJson from './fixtures/flow.json' with { type: 'json' };
import { DIALECTS, flow, receptionist, setupStore } from './helpers';

/** The test flow naming its title (诉求摘要) and, as the summary, the reply field. */
const titled = checkedFlow({
  ...flowJson,
  key: 'titled',
  caseTitle: 'summary',
  caseSummary: 'reply',
});

describe('what a listed case is about', () => {
  it('the flow’s title field, shortened with an ellipsis, never a sealed value', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const { title } = caseComplaint(titled, { summary: text });
        const one = text.replace(/\s+/g, ' ').trim();
        if (!one) expect(title).toBeNull();
        else if ([...one].length <= LIST_TITLE_LENGTH) expect(title).toBe(one);
        else {
          expect(title?.endsWith('…')).toBe(true);
          expect([...(title ?? '')]).toHaveLength(LIST_TITLE_LENGTH + 1);
        }
      }),
    );
    expect(caseComplaint(titled, { summary: sealValue('text', 'AAAA') }).title).toBeNull();
  });

  it('a choice reads as its form shows it (申请类型 复查), not its code', () => {
    // as in the lawyer review room: 申请类型 is review or reReview, its form says 复查 or 复核
    const reviewType = { type: 'string', title: '申请类型', enum: ['review', 'reReview'] };
    const lawyerRoom = checkedFlow({
      ...flowJson,
      key: 'lawyer-room',
      caseTitle: 'reviewType',
      dataSchema: {
        ...flowJson.dataSchema,
        properties: { ...flowJson.dataSchema.properties, reviewType },
      },
      forms: [
        ...flowJson.forms,
        {
          id: 'application',
          title: { 'zh-CN': '申请' },
          schema: { type: 'object', properties: { reviewType } },
          uiSchema: { reviewType: { 'ui:enumNames': ['复查', '复核'], 'ui:widget': 'radio' } },
        },
      ],
    });
    expect(caseComplaint(lawyerRoom, { reviewType: 'review' }).title).toBe('复查');
    expect(caseComplaint(lawyerRoom, { reviewType: 'reReview' }).title).toBe('复核');
    // a value no form names stays as it is
    expect(caseComplaint(lawyerRoom, { reviewType: 'other' }).title).toBe('other');
    const oneOf = checkedFlow({
      ...flowJson,
      key: 'one-of',
      caseTitle: 'summary',
      dataSchema: {
        ...flowJson.dataSchema,
        properties: {
          ...flowJson.dataSchema.properties,
          summary: { type: 'string', oneOf: [{ const: 'lamp', title: '路灯' }] },
        },
      },
    });
    expect(caseComplaint(oneOf, { summary: 'lamp' }).title).toBe('路灯');
  });

  it('a flow published before it named its title falls back to 诉求摘要', () => {
    expect(caseComplaint(flow, { summary: '路灯坏了' })).toEqual({
      title: '路灯坏了',
      summary: null,
      flowName: flow.name,
    });
  });
});

describe.each(DIALECTS)('list rows carry the title and summary on %s', (dialect) => {
  let store: Store;
  let flowId: string;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const s = await setupStore(dialect);
    store = s.store;
    drop = () => s.test.drop();
    const saved = await store.saveDraft({
      jurisdiction: '440781',
      key: titled.key,
      name: titled.name,
      draft: titled as unknown as Record<string, unknown>,
      by: null,
    });
    await store.publish(saved.id, null);
    flowId = saved.id;
  });
  afterAll(async () => {
    await drop();
  });

  it('in the case list and the inbox', async () => {
    const long = `工资被拖欠${'久'.repeat(200)}`;
    const { caseId } = await store.startCase({
      flowId,
      version: 1,
      command: {
        type: 'case.start',
        channel: 'visit',
        data: { summary: long },
        actor: receptionist,
      },
    });
    const { rows } = await store.listCases({ jurisdictions: ['440781'] });
    const row = rows.find((r) => r.id === caseId);
    expect(row?.title).toBe(`${[...long].slice(0, LIST_TITLE_LENGTH).join('')}…`);
    expect(row?.summary).toBeNull();
    expect(row?.flowName).toEqual(titled.name);
    expect(row && 'data' in row).toBe(false);
    const inbox = await store.inbox({
      userId: 'u-desk',
      memberships: [{ jurisdiction: '440781', role: 'receptionist', department: null }],
    });
    const task = inbox.rows.find((r) => r.task.caseId === caseId);
    expect(task?.title?.startsWith('工资被拖欠')).toBe(true);
    expect(task && 'data' in task).toBe(false);
  });
});
