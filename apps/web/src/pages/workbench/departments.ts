import type { Lang } from '@lianxin/spec';
import { useEffect, useSyncExternalStore } from 'react';
import { tr } from '../../i18n';
import { api, type RouterOutputs } from './api';

/** A department as `departments.list` gives it: its jurisdiction, code and names. */
export type DepartmentRow = RouterOutputs['departments']['list'][number];

// The departments of every jurisdiction the signed-in person reads (deactivated
// ones too: old cases still name them), read once per page load and shared by
// every screen, the export sheets and the timeline's wording.
let rows: readonly DepartmentRow[] | undefined;
let loading: Promise<readonly DepartmentRow[]> | undefined;
const listeners = new Set<() => void>();

/** Replaces the directory (after it is read, or in tests) and redraws whoever shows names. */
export function setDepartments(next: readonly DepartmentRow[] | undefined): void {
  rows = next;
  loading = undefined;
  for (const l of listeners) l();
}

/** Reads the directory from the server once (again with `fresh`, e.g. after an admin edits it). */
export function loadDepartments(fresh = false): Promise<readonly DepartmentRow[]> {
  if (rows && !fresh) return Promise.resolve(rows);
  if (!loading || fresh) {
    const reading = api()
      .departments.list.query({ includeInactive: true })
      .then((list) => {
        if (loading === reading) setDepartments(list);
        return list;
      });
    loading = reading;
    // A failed read is tried again by the next screen that asks.
    reading.catch(() => {
      if (loading === reading) loading = undefined;
    });
  }
  return loading;
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
};

/**
 * The directory, read on first use; the component redraws when it arrives, so
 * names shown through `departmentLabel` follow.
 */
export function useDepartments(): readonly DepartmentRow[] | undefined {
  const current = useSyncExternalStore(subscribe, () => rows);
  useEffect(() => {
    if (!current) loadDepartments().catch(() => {});
  }, [current]);
  return current;
}

/**
 * A department's name as its jurisdiction keeps it (the English name when the
 * screen is English and one is kept); with no jurisdiction, or none keeping
 * that code, the first jurisdiction that does. `undefined` when none does.
 */
export function departmentLabel(
  code: string,
  lang: Lang,
  jurisdiction?: string | null,
): string | undefined {
  const list = rows ?? [];
  const row =
    (jurisdiction && list.find((r) => r.code === code && r.jurisdiction === jurisdiction)) ||
    list.find((r) => r.code === code);
  if (!row) return undefined;
  return lang === 'en' ? (row.name.en ?? row.name['zh-CN']) : row.name['zh-CN'];
}

/** A department in words: its kept name, else that it is not on any list the reader sees. */
export function departmentText(code: string, lang: Lang, jurisdiction?: string | null): string {
  return (
    departmentLabel(code, lang, jurisdiction) ??
    tr(lang, '未登记的部门', 'a department not on the list')
  );
}

/** The active departments of one jurisdiction, as picker choices (name shown, code kept). */
export function departmentChoices(
  list: readonly DepartmentRow[],
  jurisdiction: string | undefined,
  lang: Lang,
): { value: string; label: string }[] {
  return list
    .filter((r) => r.active && (!jurisdiction || r.jurisdiction === jurisdiction))
    .map((r) => ({
      value: r.code,
      label: lang === 'en' ? (r.name.en ?? r.name['zh-CN']) : r.name['zh-CN'],
    }));
}
