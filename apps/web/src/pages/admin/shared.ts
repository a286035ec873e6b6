import type { Lang } from '@lianxin/spec';
import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../../backend';
import { type Api, api, pick } from '../workbench/api';

export type Department = Awaited<ReturnType<Api['departments']['list']['query']>>[number];
export type UserRow = Awaited<ReturnType<Api['admin']['users']['query']>>[number];
export type Place = Awaited<ReturnType<Api['jurisdictions']['list']['query']>>[number];
export interface Role {
  id: string;
  name: { 'zh-CN': string; en: string };
}

/**
 * What the admin page reads once: the jurisdictions the signed-in admin
 * administers (their admin memberships and everything below), the system's
 * roles by name, and every department of those jurisdictions.
 */
export function useAdminData(me: Me) {
  const [places, setPlaces] = useState<Place[]>();
  const [roles, setRoles] = useState<Role[]>([]);
  const [departments, setDepartments] = useState<Department[]>([]);
  const [error, setError] = useState<unknown>();

  const reloadDepartments = useCallback(async () => {
    setDepartments(await api().departments.list.query({ includeInactive: true }));
  }, []);

  useEffect(() => {
    const adminOf = new Set(
      me.memberships.filter((m) => m.role === 'admin').map((m) => m.jurisdiction),
    );
    Promise.all([api().jurisdictions.list.query(), api().admin.roles.query(), reloadDepartments()])
      .then(([all, r]) => {
        const parent = new Map(all.map((j) => [j.code, j.parent]));
        const administered = (code: string) => {
          for (let c: string | null | undefined = code; c; c = parent.get(c))
            if (adminOf.has(c)) return true;
          return false;
        };
        setPlaces(all.filter((j) => administered(j.code)));
        setRoles(r as Role[]);
      })
      .catch(setError);
  }, [me, reloadDepartments]);

  return { places, roles, departments, reloadDepartments, error };
}

export const placeWords = (places: readonly Place[] | undefined, code: string, lang: Lang) =>
  pick(places?.find((p) => p.code === code)?.name, lang) ||
  (lang === 'en' ? 'another jurisdiction' : '其他辖区');

export const roleWords = (roles: readonly Role[], id: string, lang: Lang) =>
  pick(roles.find((r) => r.id === id)?.name, lang) || (lang === 'en' ? 'another role' : '其他角色');

/** A department by name; one not in the list (or not loaded) says so rather than showing its code. */
export const departmentWords = (
  departments: readonly Department[],
  jurisdiction: string,
  code: string,
  lang: Lang,
) => {
  const d = departments.find((x) => x.jurisdiction === jurisdiction && x.code === code);
  if (!d) return lang === 'en' ? `unlisted department (${code})` : `未登记的部门（${code}）`;
  const name = pick(d.name, lang);
  return d.active ? name : `${name}${lang === 'en' ? ' (deactivated)' : '（已停用）'}`;
};
