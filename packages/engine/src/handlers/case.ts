import { type DataError, URGENCY_COLOURS } from '@lianxin/spec';
import { clockHooks } from '../clocks';
import { guards } from '../guards';
import { cancelToken, closeCase, enterNode, stopEverything } from '../movement';
import { byId, enforce, fail, type Handlers, needActor } from '../run';
import { sealFormData, validateForm } from '../tasks';
import type { Token } from '../types';

export const caseHandlers = {
  'case.start'(run, c) {
    if (run.state.status !== 'new') fail('case.alreadyStarted');
    const start = run.ix.start;
    if (!start) throw new Error('flow has no start node');
    if (!start.channels.includes(c.channel)) {
      fail('channel.notAllowed', { channel: c.channel, allowed: start.channels.join(', ') });
    }
    const jurisdiction = c.jurisdiction ?? run.def.jurisdiction;
    if (!/^\d{6}$/.test(jurisdiction)) fail('jurisdiction.invalid', { code: jurisdiction });
    const data = c.data ?? {};
    const errors: DataError[] = [];
    // Citizens submitting online fill the public intake form; staff fill the registration form.
    const formId = c.channel === 'online' && start.intakeForm ? start.intakeForm : start.form;
    validateForm(run, formId, data, errors);
    if (errors.length) fail('form.invalid', { count: errors.length }, { errors });
    run.emit({
      type: 'case.started',
      caseId: run.newId(),
      flow: { key: run.def.key, version: run.def.version },
      channel: c.channel,
      data: sealFormData(run, [formId], data),
      jurisdiction,
      urgency: c.urgency ?? null,
      repeat: c.repeat ?? false,
      ...(c.petitioner !== undefined ? { petitioner: c.petitioner } : {}),
    });
    clockHooks(run, 'caseStart');
    const tokenId = run.newId();
    run.emit({ type: 'token.created', tokenId, node: start.id });
    enterNode(run, byId(run.state.tokens, tokenId) as Token, start.id, undefined);
  },

  'case.comment'(run, c) {
    enforce(guards['case.comment'](run, needActor(run), c));
    if (!c.text?.trim()) fail('text.empty', { field: '意见内容', fieldEn: 'the comment' });
    run.emit({ type: 'comment.added', id: run.newId(), text: c.text });
  },

  'case.attach'(run, c) {
    enforce(guards['case.attach'](run, needActor(run), c));
    if (!c.ref?.trim())
      fail('text.empty', { field: '附件引用', fieldEn: 'the attachment reference' });
    run.emit({
      type: 'attachment.added',
      id: run.newId(),
      ref: c.ref,
      ...(c.name ? { name: c.name } : {}),
    });
  },

  'case.setLeader'(run, c) {
    enforce(guards['case.setLeader'](run, needActor(run), c));
    if (!c.userId?.trim()) fail('text.empty', { field: '包案领导', fieldEn: 'the leader' });
    run.emit({ type: 'leaderOwner.set', userId: c.userId });
  },

  'case.setUrgency'(run, c) {
    enforce(guards['case.setUrgency'](run, needActor(run), c));
    if (!URGENCY_COLOURS.includes(c.urgency))
      fail('text.empty', { field: '预警颜色', fieldEn: 'the colour' });
    run.emit({ type: 'urgency.set', urgency: c.urgency });
  },

  'case.withdraw'(run, c) {
    enforce(guards['case.withdraw'](run, needActor(run), c));
    if (!c.reason?.trim()) fail('text.empty', { field: '撤回理由', fieldEn: 'the reason' });
    closeCase(run, 'withdrawn');
  },

  'case.cancel'(run, c) {
    enforce(guards['case.cancel'](run, needActor(run), c));
    if (!c.reason?.trim()) fail('text.empty', { field: '作废理由', fieldEn: 'the reason' });
    for (const token of run.state.tokens) cancelToken(run, token.id, 'ended');
    stopEverything(run);
    run.emit({ type: 'case.cancelled', reason: c.reason });
  },

  'case.migrate'() {
    // Handled in `transition`, which knows both versions.
  },
} satisfies Handlers<
  | 'case.start'
  | 'case.comment'
  | 'case.attach'
  | 'case.setLeader'
  | 'case.setUrgency'
  | 'case.withdraw'
  | 'case.cancel'
  | 'case.migrate'
>;
