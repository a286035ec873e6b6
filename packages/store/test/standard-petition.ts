import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor, CaseState } from '@lianxin/engine';
import { FlowDefinition } from '@lianxin/spec';
import type { Store } from '../src';

// Drives cases through templates/standard-petition, the flow counties run,
// so the KPI tests count histories a real office produces.

const folder = fileURLToPath(new URL('../../../templates/standard-petition', import.meta.url));
const readJson = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8'));

export const standardFlow = FlowDefinition.parse({
  ...readJson('flow.json'),
  forms: readdirSync(join(folder, 'forms')).map((f) => readJson(`forms/${f}`)),
});

/** Publishes the template (or a variant of it) as a flow of Taishan (440781); returns its id. */
export async function publishStandard(store: Store, flow = standardFlow): Promise<string> {
  const saved = await store.saveDraft({
    jurisdiction: '440781',
    key: flow.key,
    name: flow.name,
    draft: flow as unknown as Record<string, unknown>,
    by: null,
  });
  await store.publish(saved.id, null);
  return saved.id;
}

/** The staff of one jurisdiction, as the template's roles name them. */
export function staffOf(jurisdiction: string) {
  return {
    receptionist: { id: `rec-${jurisdiction}`, roles: ['receptionist'], jurisdiction },
    handler: { id: `hand-${jurisdiction}`, roles: ['handler'], jurisdiction, department: 'hrss' },
    leader: { id: `lead-${jurisdiction}`, roles: ['leader'], jurisdiction },
    reviewer: { id: `rev-${jurisdiction}`, roles: ['reviewer'], jurisdiction },
  } satisfies Record<string, Actor>;
}

export const registration = {
  petitioner: { name: '陈某' },
  category: 'labour',
  summary: '建筑工地拖欠工人工资一年多',
};

/** Valid form data for each task action of the template. */
export const ACTION_DATA: Record<string, Record<string, unknown>> = {
  'accept.accept': { category: 'labour', acceptanceNote: '属于本机关职权范围，予以受理' },
  'accept.decline': { category: 'labour', declineReason: '不属于信访事项受理范围' },
  'accept.transfer': {
    category: 'labour',
    transferTo: '台山市人民法院',
    transferReason: '属于应当通过诉讼解决的事项',
  },
  'assign.assign': { department: 'hrss', assignNote: '请人社局办理' },
  'handle.submit': { handlingOpinion: '已约谈施工单位，拖欠工资已全部发放到位' },
  'approve.sendBack': { approvalComment: '请补充核实发放凭证' },
  'approve.approve': { approvalComment: '同意' },
  'reply.send': {
    replyDocNo: '台信复〔2025〕1号',
    replyText: '经人社局协调，拖欠工资已全部支付。',
  },
  'visit.done': { visitMethod: 'phone', visitNote: '已电话回访' },
  'awaitReview.requestReview': { reviewReason: '对答复意见不服' },
  'review.decide': { reviewResult: 'uphold', reviewOpinion: '经复查，原答复意见认定事实清楚' },
};

/** Who does each task of the template. */
export const WORKER: Record<string, keyof ReturnType<typeof staffOf>> = {
  accept: 'receptionist',
  assign: 'receptionist',
  handle: 'handler',
  approve: 'leader',
  reply: 'receptionist',
  visit: 'receptionist',
  awaitReview: 'receptionist',
  review: 'reviewer',
};

export async function stateOf(store: Store, caseId: string): Promise<CaseState> {
  const row = await store.caseRow(caseId);
  if (!row) throw new Error(`case ${caseId} not found`);
  return row.state;
}

/** Completes the case's open task at `node` with `action`, as the staff who does it. */
export async function complete(
  store: Store,
  caseId: string,
  node: string,
  action: string,
  more: Record<string, unknown> = {},
) {
  const state = await stateOf(store, caseId);
  const task = state.tasks.find((t) => t.node === node);
  if (!task) throw new Error(`case ${caseId} has no open ${node} task`);
  const role = WORKER[node] ?? 'receptionist';
  await store.act(caseId, {
    type: 'task.complete',
    taskId: task.id,
    action,
    data: { ...ACTION_DATA[`${node}.${action}`], ...more },
    actor: staffOf(state.jurisdiction)[role],
  });
}

/** Fires every timer due now, and those their firing made due, as the scheduler would. */
export async function fireDue(store: Store) {
  for (;;) {
    const due = await store.claimDueTimers('kpi-test', 1000);
    if (due.length === 0) return;
    for (const timer of due) await store.fireTimer(timer);
  }
}
