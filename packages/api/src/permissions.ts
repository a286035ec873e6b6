import type { Actor } from '@lianxin/engine';
import { type Bilingual, SYSTEM_ROLES } from '@lianxin/spec';
import type { JurisdictionRow, MembershipRow, Store } from '@lianxin/store';
import type { SessionInfo } from './context';
import { apiError } from './errors';

/** The roles Lianxin knows (spec's list, which the designer offers flows too). */
export const ROLES = SYSTEM_ROLES;
export type Role = keyof typeof ROLES;
export const ROLE_IDS = Object.keys(ROLES) as Role[];

/** Who may do what, by role; the scope (own jurisdiction and below) is checked separately. */
export const PERMISSIONS = {
  /** Read cases, flows, tasks of the scope. */
  read: ROLE_IDS,
  registerCase: ['admin', 'receptionist', 'leader'],
  actOnCase: ROLE_IDS,
  editFlows: ['admin'],
  publishTemplates: ['admin'],
  viewStats: ['admin', 'leader', 'supervisor'],
  /** Issue and close supervision orders (督办) on cases of the scope. */
  supervise: ['admin', 'leader', 'supervisor'],
  /** Decide extension requests (the engine's rule: leaders and admins, or the 包案 leader). */
  approveExtensions: ['admin', 'leader'],
  manageUsers: ['admin'],
  /** Publish a year's holiday arrangement (province or nation), set or allow local days off. */
  manageCalendars: ['admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

/** The jurisdiction tree, cached: it changes only when an admin seeds or edits it. */
export class JurisdictionTree {
  private loaded?: {
    at: number;
    rows: Map<string, JurisdictionRow>;
    children: Map<string, string[]>;
  };
  constructor(
    private readonly store: Store,
    private readonly ttlMs = 60_000,
  ) {}

  private async data() {
    if (!this.loaded || Date.now() - this.loaded.at > this.ttlMs) {
      const rows = await this.store.listJurisdictions();
      const children = new Map<string, string[]>();
      for (const r of rows) {
        if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r.code]);
      }
      this.loaded = { at: Date.now(), rows: new Map(rows.map((r) => [r.code, r])), children };
    }
    return this.loaded;
  }

  invalidate() {
    this.loaded = undefined;
  }

  async get(code: string) {
    return (await this.data()).rows.get(code);
  }

  async all() {
    return [...(await this.data()).rows.values()];
  }

  async children(code: string) {
    return (await this.data()).children.get(code) ?? [];
  }

  /** The code and everything below it. */
  async below(code: string): Promise<string[]> {
    const { children } = await this.data();
    const out: string[] = [];
    const stack = [code];
    while (stack.length) {
      const c = stack.pop() as string;
      out.push(c);
      stack.push(...(children.get(c) ?? []));
    }
    return out;
  }

  /** The code and everything above it. */
  async above(code: string): Promise<string[]> {
    const { rows } = await this.data();
    const out: string[] = [];
    let c: string | null | undefined = code;
    while (c && !out.includes(c)) {
      out.push(c);
      c = rows.get(c)?.parent;
    }
    return out;
  }
}

function rolesFor(permission: Permission): readonly string[] {
  return PERMISSIONS[permission];
}

/**
 * Jurisdictions where the user holds a role granting `permission`: county
 * staff see their county, a city its counties, the province all.
 */
export async function scopeOf(
  tree: JurisdictionTree,
  session: SessionInfo,
  permission: Permission,
): Promise<string[]> {
  const allowed = rolesFor(permission);
  const codes = new Set<string>();
  for (const m of session.memberships) {
    if (!allowed.includes(m.role)) continue;
    for (const c of await tree.below(m.jurisdiction)) codes.add(c);
  }
  return [...codes];
}

/** Throws FORBIDDEN unless the user may use `permission` in `jurisdiction`. */
export async function requireScope(
  tree: JurisdictionTree,
  session: SessionInfo,
  permission: Permission,
  jurisdiction: string,
): Promise<MembershipRow[]> {
  const allowed = rolesFor(permission);
  const above = await tree.above(jurisdiction);
  const granting = session.memberships.filter(
    (m) => allowed.includes(m.role) && above.includes(m.jurisdiction),
  );
  if (granting.length) return granting;
  const hasRole = session.memberships.some((m) => allowed.includes(m.role));
  throw hasRole
    ? apiError('permission.jurisdiction', { jurisdiction: await placeWords(tree, jurisdiction) })
    : apiError('permission.role', { roles: roleWords(allowed) });
}

/** A jurisdiction as a refusal names it: 台山市, not 440781 (an unknown code as 该辖区). */
export async function placeWords(tree: JurisdictionTree, code: string): Promise<Bilingual> {
  const name = (await tree.get(code))?.name as Partial<Bilingual> | string | undefined;
  if (typeof name === 'string') return { 'zh-CN': name, en: name };
  if (name?.['zh-CN']) return { 'zh-CN': name['zh-CN'], en: name.en ?? name['zh-CN'] };
  return { 'zh-CN': '该辖区', en: 'that jurisdiction' };
}

/** Roles as a refusal names them: 管理员、领导, not admin, leader. */
export function roleWords(roles: readonly string[]): Bilingual {
  const named = roles.map((r) => ROLES[r as Role] ?? { 'zh-CN': r, en: r });
  return {
    'zh-CN': named.map((n) => n['zh-CN']).join('、'),
    en: named.map((n) => n.en).join(', '),
  };
}

/**
 * The engine actor for a case in `jurisdiction`: the roles of every
 * membership at that jurisdiction or above it. Memberships at the case's own
 * jurisdiction decide the actor's jurisdiction and department, so task
 * candidate rules match them.
 */
export async function actorFor(
  tree: JurisdictionTree,
  session: SessionInfo,
  jurisdiction: string,
): Promise<Actor> {
  const above = await tree.above(jurisdiction);
  const relevant = session.memberships.filter((m) => above.includes(m.jurisdiction));
  const local = relevant.filter((m) => m.jurisdiction === jurisdiction);
  const withDepartment = local.find((m) => m.department);
  const actor: Actor = {
    id: session.user.id,
    roles: [...new Set(relevant.map((m) => m.role))],
    jurisdiction: local.length ? jurisdiction : (relevant[0]?.jurisdiction ?? jurisdiction),
    // What a flow's registering-office rule reads: roles held in that office, not above it.
    officeRoles: [
      ...new Set(
        (local.length
          ? local
          : relevant.filter((m) => m.jurisdiction === relevant[0]?.jurisdiction)
        ).map((m) => m.role),
      ),
    ],
  };
  if (withDepartment?.department) actor.department = withDepartment.department;
  return actor;
}
