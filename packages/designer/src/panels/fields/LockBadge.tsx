import { LockOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import { ConfigProvider, Tooltip } from 'antd';
import { type CSSProperties, type ReactNode, useContext } from 'react';
import { DesignerContext } from '../../context';
import {
  type FlowLock,
  type FlowLocks,
  keyedPath,
  lockOn,
  locksWithin,
  lockWords,
  useLocks,
} from '../../locks';

/** Greyed, with the province's lock and why: the part cannot be edited here. */
export const LOCKED_STYLE: CSSProperties = {
  background: '#f5f5f5',
  border: '1px dashed #d9d9d9',
  borderRadius: 6,
  padding: '6px 8px',
  marginBottom: 8,
};

/** A lock icon whose tooltip says who locked the part and why. */
export function LockIcon({ locks, lock, lang }: { locks: FlowLocks; lock: FlowLock; lang: Lang }) {
  const w = lockWords(locks, lock, lang);
  return (
    <Tooltip title={w.reason ? `${w.title}：${w.reason}` : w.title}>
      <LockOutlined style={{ color: '#8c8c8c' }} data-testid="lock-icon" aria-label={w.title} />
    </Tooltip>
  );
}

/** The lock written out under a locked part: which template locked it, and the reason. */
export function LockNote({ locks, lock, lang }: { locks: FlowLocks; lock: FlowLock; lang: Lang }) {
  const w = lockWords(locks, lock, lang);
  return (
    <div style={{ fontSize: 12, color: '#8c8c8c', marginTop: 4 }} data-testid="lock-note">
      <LockOutlined /> {w.title}
      {w.reason && (
        <div data-testid="lock-reason">
          {lang === 'en' ? 'Reason: ' : '理由：'}
          {w.reason}
        </div>
      )}
    </div>
  );
}

/** A part of a panel: greyed and disabled with its lock note when locked, as is otherwise. */
export function LockedPart({
  locks,
  lock,
  lang,
  children,
  testId,
}: {
  locks: FlowLocks | undefined;
  lock: FlowLock | undefined;
  lang: Lang;
  children: ReactNode;
  testId?: string;
}) {
  if (!locks || !lock) return <>{children}</>;
  return (
    <div style={LOCKED_STYLE} data-testid={testId ?? 'locked-part'} data-locked="true">
      <ConfigProvider componentDisabled>{children}</ConfigProvider>
      <LockNote locks={locks} lock={lock} lang={lang} />
    </div>
  );
}

/**
 * On a canvas node: a lock in its corner when the province locked it or a
 * part of it, and the node greyed when it is locked whole.
 */
export function NodeLockMark({ id }: { id: string }) {
  const locks = useLocks();
  // Outside a designer (a canvas drawn on its own) the lock speaks Chinese.
  const lang = useContext(DesignerContext)?.getState().lang ?? 'zh-CN';
  const lock = locksWithin(locks, keyedPath('nodes', id))[0];
  if (!locks || !lock) return null;
  const whole = lockOn(locks, keyedPath('nodes', id));
  const w = lockWords(locks, lock, lang);
  return (
    <>
      {whole && (
        <span
          aria-hidden
          style={{
            position: 'absolute',
            inset: 0,
            borderRadius: 'inherit',
            background: 'rgba(245, 245, 245, 0.6)',
            pointerEvents: 'none',
          }}
        />
      )}
      <span
        title={w.reason ? `${w.title}：${w.reason}` : w.title}
        data-testid="node-lock"
        style={{ position: 'absolute', top: 2, right: 4, fontSize: 11, color: '#8c8c8c' }}
      >
        <LockOutlined />
      </span>
    </>
  );
}
