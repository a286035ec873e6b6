import { describe, expect, expectTypeOf, it } from 'vitest';
import { type CommandBody, CommandInput, initialState, transition } from '../src/index';
import { edge, makeFlow, node, receptionist } from './helpers';

describe('CommandInput, the shape of a command at the edge', () => {
  it('describes exactly the commands the engine takes', () => {
    // A new command or field that only one side knows fails the typecheck here.
    expectTypeOf<CommandInput>().toEqualTypeOf<CommandBody>();
  });

  it.each<[string, unknown]>([
    ['case.start', { type: 'case.start', channel: 'visit', data: { title: '噪音' } }],
    ['task.complete', { type: 'task.complete', taskId: 't1', action: 'done', data: {} }],
    ['task.return', { type: 'task.return', taskId: 't1', to: 'review', reason: '补充材料' }],
    [
      'deadline.requestExtension',
      { type: 'deadline.requestExtension', clockId: 'handling', duration: 'P30D', reason: '鉴定' },
    ],
    ['clock.resume', { type: 'clock.resume', clockId: 'handling' }],
    ['case.setUrgency', { type: 'case.setUrgency', urgency: 'red' }],
    ['case.migrate', { type: 'case.migrate', mapping: { old: 'new' } }],
  ])('accepts a well-formed %s', (_type, input) => {
    expect(CommandInput.safeParse(input).success).toBe(true);
  });

  it('refuses an unknown command, a missing field and a colour that is not one of the four', () => {
    expect(CommandInput.safeParse({ type: 'case.explode' }).success).toBe(false);
    expect(CommandInput.safeParse({ type: 'task.claim' }).success).toBe(false);
    expect(CommandInput.safeParse({ type: 'case.setUrgency', urgency: 'purple' }).success).toBe(
      false,
    );
  });

  it('bounds free text: a 20,000-character comment passes, one more character does not', () => {
    const long = '信'.repeat(20_000);
    expect(CommandInput.safeParse({ type: 'case.comment', text: long }).success).toBe(true);
    const parsed = CommandInput.safeParse({ type: 'case.comment', text: `${long}访` });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['text']);
  });

  it('drops an actor a caller smuggles in, so only the server can say who acts', () => {
    const parsed = CommandInput.parse({
      type: 'case.comment',
      text: '请加快',
      actor: { id: 'root', roles: ['admin'], jurisdiction: '440781' },
    });
    expect(parsed).toEqual({ type: 'case.comment', text: '请加快' });
  });

  it('leaves blank text to the engine, which says which field in both languages', () => {
    const flow = makeFlow({
      nodes: [node.start('s'), node.task('t'), node.end('e')],
      edges: [edge.next('s', 't'), edge.action('t', 'e', 'done')],
    });
    // The registering office's receptionist: the flow's default lets them withdraw.
    const clerk = receptionist;
    const started = transition(
      flow,
      initialState(),
      { type: 'case.start', channel: 'visit', actor: clerk },
      { now: '2026-03-02T01:00:00Z', newId: () => 'id' },
    );
    if (!started.ok) throw new Error(started.rejection.message.en);
    const input = CommandInput.parse({ type: 'case.withdraw', reason: '  ' });
    const result = transition(
      flow,
      started.state,
      { ...input, actor: clerk },
      {
        now: '2026-03-02T02:00:00Z',
        newId: () => 'id2',
      },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.rejection.code).toBe('text.empty');
    expect(result.rejection.message['zh-CN']).toContain('撤回理由');
    expect(result.rejection.message.en).toContain('the reason');
  });
});
