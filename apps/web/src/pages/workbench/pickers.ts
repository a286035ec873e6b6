import type { LoadPickerChoices, PickerChoice } from '@lianxin/forms';
import type { Lang } from '@lianxin/spec';
import { useCallback } from 'react';
import { api, type RouterOutputs } from './api';
import { departmentChoices, departmentText, loadDepartments } from './departments';
import { ROLE_NAMES } from './words';

type Member = RouterOutputs['users']['members'][number];

/** A colleague as the 人员 picker offers them: the name kept, with role and department beside it. */
export function memberChoice(m: Member, lang: Lang): PickerChoice {
  const roles = m.roles.flatMap((r) => {
    const n = ROLE_NAMES[r];
    return n ? [lang === 'en' ? n[1] : n[0]] : [];
  });
  const where = [m.department ? departmentText(m.department, lang, m.jurisdiction) : '', ...roles]
    .filter(Boolean)
    .join(lang === 'en' ? ', ' : '，');
  return {
    value: m.displayName,
    label: where
      ? lang === 'en'
        ? `${m.displayName} (${where})`
        : `${m.displayName}（${where}）`
      : m.displayName,
  };
}

/**
 * The lists the forms' 部门 and 人员 pickers offer where a case of this
 * jurisdiction is registered or worked: its active departments, and its
 * active staff (users.members) by name.
 */
export function usePickerChoices(jurisdiction: string | undefined, lang: Lang): LoadPickerChoices {
  return useCallback(
    async (kind) => {
      if (kind === 'department')
        return departmentChoices(await loadDepartments(), jurisdiction, lang);
      await loadDepartments().catch(() => []);
      const members = await api().users.members.query(jurisdiction ? { jurisdiction } : undefined);
      const seen = new Set<string>();
      return members
        .map((m) => memberChoice(m, lang))
        .filter((c) => !seen.has(c.value) && seen.add(c.value));
    },
    [jurisdiction, lang],
  );
}
