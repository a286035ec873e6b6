import type { LocalizedText } from '@lianxin/spec';
import { createContext, type ReactNode, useContext } from 'react';

/** One part of an adopted flow its provincial template locks. */
export interface FlowLock {
  /**
   * Where, as a keyed path: list items by id, not index, so the lock follows
   * the item (`/clocks/acceptance/deadline`, `/nodes/accept`, `/dataSchema`).
   */
  path: string;
  /** Why, as the province wrote it (the manifest's `lockReasons`); may be absent. */
  reason?: LocalizedText | null;
}

/** The parts of a flow the template it was adopted from locks, and which template that is. */
export interface FlowLocks {
  template: { name: LocalizedText; version: number };
  parts: FlowLock[];
}

const LocksContext = createContext<FlowLocks | undefined>(undefined);

/** Gives the panels and the canvas the flow's locked parts (none when the flow is the county's own). */
export function LocksProvider({
  locks,
  children,
}: {
  locks: FlowLocks | undefined;
  children: ReactNode;
}) {
  return <LocksContext.Provider value={locks}>{children}</LocksContext.Provider>;
}

export const useLocks = (): FlowLocks | undefined => useContext(LocksContext);

/** A keyed path from its tokens (RFC 6901 escaping). */
export const keyedPath = (...tokens: string[]): string =>
  tokens.map((t) => `/${t.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');

/**
 * The lock that covers `path` whole (the path or a part above it is locked),
 * else undefined. Editing anything under `path` is then refused.
 */
export function lockOn(locks: FlowLocks | undefined, path: string): FlowLock | undefined {
  return locks?.parts.find((l) => path === l.path || path.startsWith(`${l.path}/`));
}

/** Locks on `path` or on parts inside it: removing or replacing it would change them. */
export function locksWithin(locks: FlowLocks | undefined, path: string): FlowLock[] {
  return (locks?.parts ?? []).filter(
    (l) => path === l.path || path.startsWith(`${l.path}/`) || l.path.startsWith(`${path}/`),
  );
}

/** Why a part is locked, in words: the province's reason when it gave one. */
export function lockWords(
  locks: FlowLocks,
  lock: FlowLock,
  lang: 'zh-CN' | 'en',
): { title: string; reason?: string } {
  const name =
    lang === 'en'
      ? (locks.template.name.en ?? locks.template.name['zh-CN'])
      : locks.template.name['zh-CN'];
  const reason = lock.reason
    ? lang === 'en'
      ? (lock.reason.en ?? lock.reason['zh-CN'])
      : lock.reason['zh-CN']
    : undefined;
  return {
    title:
      lang === 'en'
        ? `Locked by the provincial template "${name}" (version ${locks.template.version}); the county cannot change it`
        : `由省级模板“${name}”（第 ${locks.template.version} 版）锁定，县级不能修改`,
    ...(reason ? { reason } : {}),
  };
}
