import type { CaseState, Event, Notification, TimerPurpose } from '@lianxin/engine';
import type { LocalizedText } from '@lianxin/spec';

export type Json = unknown;
/** Display text, zh-CN first (en optional, as in flow files). */
export type Bilingual = LocalizedText;
/** A flow definition as stored (validated by the spec before it is written). */
export type FlowJson = Record<string, unknown>;
export type CaseRowState = CaseState;
export type EventJson = Event;
export type TimerPurposeJson = TimerPurpose;
export type NotificationRecipient = Notification['to'];
export type AttachmentScan = { checkedType: string };
