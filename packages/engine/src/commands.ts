import { Channel, Outcome, UrgencyColour } from '@lianxin/spec';
import * as z from 'zod';
import type { Command } from './types';

// What a caller may send as a command, checked at the edge (the API) before the
// engine sees it. Only shape and size are checked here; whether a value makes
// sense (a reason is not blank, a duration parses, a jurisdiction has 6
// digits) is the engine's to say, in its own bilingual words.

/** Ids of tasks, timers, clocks, nodes, users: generous, but bounded. */
const Id = z.string().min(1).max(200);
/** Free text a person types (comments, reasons): bounded so one request cannot be huge. */
const Text = z.string().max(20_000);
const Data = z.record(z.string(), z.unknown());

/** Every command's input, without the actor and version the caller's context supplies. */
export const CommandInput = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('case.start'),
    channel: Channel,
    data: Data.optional(),
    petitioner: Id.optional(),
    jurisdiction: z.string().max(64).optional(),
    urgency: UrgencyColour.optional(),
    repeat: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('task.complete'),
    taskId: Id,
    action: z.string().min(1).max(64),
    data: Data.optional(),
  }),
  z.object({ type: z.literal('task.claim'), taskId: Id }),
  z.object({ type: z.literal('task.release'), taskId: Id }),
  z.object({ type: z.literal('task.reassign'), taskId: Id, to: Id }),
  z.object({ type: z.literal('task.delegate'), taskId: Id, to: Id }),
  z.object({ type: z.literal('task.return'), taskId: Id, to: Id, reason: Text }),
  z.object({ type: z.literal('task.refuse'), taskId: Id, reason: Text }),
  z.object({
    type: z.literal('task.requestExtension'),
    taskId: Id,
    duration: z.string().max(64),
    reason: Text,
  }),
  z.object({ type: z.literal('timer.fire'), timerId: Id }),
  z.object({
    type: z.literal('deadline.requestExtension'),
    clockId: Id,
    duration: z.string().max(64),
    reason: Text,
  }),
  z.object({ type: z.literal('deadline.approveExtension'), requestId: Id }),
  z.object({ type: z.literal('deadline.refuseExtension'), requestId: Id, reason: Text }),
  z.object({ type: z.literal('clock.pause'), clockId: Id, reason: Text }),
  z.object({ type: z.literal('clock.resume'), clockId: Id, reason: Text.optional() }),
  z.object({ type: z.literal('case.comment'), text: Text }),
  z.object({ type: z.literal('case.attach'), ref: z.string().max(2_000), name: Text.optional() }),
  z.object({ type: z.literal('case.setLeader'), userId: Id }),
  z.object({ type: z.literal('case.setUrgency'), urgency: UrgencyColour }),
  z.object({ type: z.literal('case.withdraw'), reason: Text }),
  z.object({ type: z.literal('case.cancel'), reason: Text }),
  z.object({
    type: z.literal('case.supervise'),
    reason: Text,
    deadline: z.string().max(64),
    to: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('assignees') }),
      z.object({
        kind: z.literal('department'),
        jurisdiction: z.string().max(64),
        department: z.string().min(1).max(64),
      }),
      z.object({ kind: z.literal('user'), userId: Id }),
    ]),
  }),
  z.object({ type: z.literal('case.answerSupervision'), supervisionId: Id, text: Text }),
  z.object({ type: z.literal('case.closeSupervision'), supervisionId: Id, note: Text.optional() }),
  z.object({
    type: z.literal('child.complete'),
    childId: Id,
    outcome: Outcome,
    data: Data.optional(),
  }),
  z.object({ type: z.literal('case.migrate'), mapping: z.record(Id, Id).optional() }),
  z.object({ type: z.literal('calendar.recompute') }),
]);
export type CommandInput = z.infer<typeof CommandInput>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command as the engine's `Command` type has it, minus what the caller's context adds. */
export type CommandBody = DistributiveOmit<Command, 'actor' | 'expectedVersion'>;
