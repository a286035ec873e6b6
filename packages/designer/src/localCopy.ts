import type { FlowDefinition } from '@lianxin/spec';

/**
 * The browser's own copy of a draft being edited (localStorage), written a
 * moment after each unsaved edit and removed once the server has the draft:
 * after a crash, a closed tab or a reload the designer offers it back.
 */
export interface LocalCopy {
  flow: FlowDefinition;
  /** When it was written (ISO). */
  at: string;
  /** The server draft it was based on (for the conflict check when it is saved). */
  baseDraftHash?: string | null;
  flowId?: string;
}

const PREFIX = 'lianxin.designer.unsaved:';
const keyOf = (jurisdiction: string, flowKey: string) => `${PREFIX}${jurisdiction}:${flowKey}`;

function storage(): Storage | undefined {
  try {
    return typeof window === 'undefined' ? undefined : window.localStorage;
  } catch {
    return undefined;
  }
}

export function readLocalCopy(jurisdiction: string, flowKey: string): LocalCopy | undefined {
  const raw = storage()?.getItem(keyOf(jurisdiction, flowKey));
  if (!raw) return undefined;
  try {
    const copy = JSON.parse(raw) as LocalCopy;
    return copy && typeof copy === 'object' && copy.flow && typeof copy.at === 'string'
      ? copy
      : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the copy; false when the browser refuses (storage full or off). */
export function writeLocalCopy(copy: LocalCopy): boolean {
  const s = storage();
  if (!s) return false;
  try {
    s.setItem(keyOf(copy.flow.jurisdiction, copy.flow.key), JSON.stringify(copy));
    return true;
  } catch {
    return false;
  }
}

export function dropLocalCopy(jurisdiction: string, flowKey: string): void {
  try {
    storage()?.removeItem(keyOf(jurisdiction, flowKey));
  } catch {
    // Nothing to do: a copy that cannot be removed is offered again and can be discarded then.
  }
}

/**
 * Copies of flows never saved to the server (no flowId), newest first: a new
 * flow's work before its first save, offered on the new-flow page.
 */
export function unsavedNewFlows(): LocalCopy[] {
  const s = storage();
  if (!s) return [];
  const out: LocalCopy[] = [];
  for (let i = 0; i < s.length; i++) {
    const key = s.key(i);
    if (!key?.startsWith(PREFIX)) continue;
    const [jurisdiction = '', ...rest] = key.slice(PREFIX.length).split(':');
    const copy = readLocalCopy(jurisdiction, rest.join(':'));
    if (copy && !copy.flowId) out.push(copy);
  }
  return out.sort((a, b) => (a.at < b.at ? 1 : -1));
}
