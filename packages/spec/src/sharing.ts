import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import canonicalize from 'canonicalize';
import jsonPatch, { type Operation } from 'fast-json-patch';
import { escapeToken, parsePointer, resolvePointer, toPointer } from './pointer';
import type { Bilingual } from './text';

/**
 * Template sharing: a county's flow is its template plus an overlay of local
 * changes. Overlays are JSON Patch (RFC 6902) operations on the *keyed* form
 * of a flow, where nodes, edges, forms, roles, groups and clocks are objects
 * keyed by id instead of arrays, so a path such as
 * `/nodes/accept/deadline/duration` keeps pointing at the same step when the
 * province inserts, removes or reorders steps in a new version.
 */
export type Overlay = Operation[];

type Json = Record<string, unknown>;

/** Arrays of a flow whose items have stable ids. */
const KEYED_LISTS = ['nodes', 'edges', 'forms', 'roles', 'groups', 'clocks'] as const;
/** A county flow's own identity: never part of an overlay. */
const IDENTITY = ['$schema', 'key', 'version', 'jurisdiction', 'extends', 'formatVersion'] as const;

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);

/** The keyed form of a flow (identity fields dropped). */
export function toKeyed(flow: Json): Json {
  const keyed: Json = {};
  for (const [field, value] of Object.entries(flow)) {
    if ((IDENTITY as readonly string[]).includes(field)) continue;
    if ((KEYED_LISTS as readonly string[]).includes(field) && Array.isArray(value)) {
      const byId: Json = {};
      for (const item of value)
        if (isObject(item) && typeof item.id === 'string') byId[item.id] = clone(item);
      keyed[field] = byId;
    } else {
      keyed[field] = clone(value);
    }
  }
  return keyed;
}

/**
 * Back from the keyed form. Items keep the order they have in `orderFrom`
 * (the template); items the county added come after them, in the order of
 * `addedOrderFrom` (the county's own flow) — so conditions the county adds to
 * a decision are tried after the template's.
 */
export function fromKeyed(
  keyed: Json,
  identity: Json,
  orderFrom: Json,
  addedOrderFrom?: Json,
): Json {
  const flow: Json = {};
  for (const field of IDENTITY)
    if (identity[field] !== undefined) flow[field] = clone(identity[field]);
  for (const [field, value] of Object.entries(keyed)) {
    if ((KEYED_LISTS as readonly string[]).includes(field) && isObject(value)) {
      const ids = (list: unknown) =>
        Array.isArray(list)
          ? list.flatMap((i) => (isObject(i) && typeof i.id === 'string' ? [i.id] : []))
          : [];
      const order = [
        ...ids(orderFrom[field]),
        ...ids(addedOrderFrom?.[field]),
        ...Object.keys(value),
      ];
      flow[field] = [...new Set(order)].filter((id) => id in value).map((id) => clone(value[id]));
    } else {
      flow[field] = clone(value);
    }
  }
  return flow;
}

/** The county's local changes to a template, as an overlay. */
export function computeOverlay(template: Json, county: Json): Overlay {
  return jsonPatch.compare(toKeyed(template), toKeyed(county));
}

export interface OverlayFailure {
  op: Operation;
  message: Bilingual;
}

/** Applies an overlay to a template; operations whose target no longer exists are reported, not dropped silently. */
export function applyOverlay(
  template: Json,
  overlay: Overlay,
  identity: Json,
): { flow: Json; failures: OverlayFailure[] } {
  const keyed = toKeyed(template);
  const failures: OverlayFailure[] = [];
  for (const op of overlay) {
    const problem = jsonPatch.validate([op], keyed);
    if (problem) {
      failures.push({
        op,
        message: {
          'zh-CN': `本地修改 ${op.op} ${op.path} 无法应用：模板中已没有该位置`,
          en: `local change ${op.op} ${op.path} cannot be applied: the template no longer has that place`,
        },
      });
      continue;
    }
    jsonPatch.applyOperation(keyed, clone(op), false, true);
  }
  return { flow: fromKeyed(keyed, identity, template), failures };
}

const isPrefix = (a: string, b: string) => a === b || b.startsWith(`${a}/`);
const related = (a: string, b: string) => isPrefix(a, b) || isPrefix(b, a);
const sameChange = (a: Operation, b: Operation) => canonicalize(a) === canonicalize(b);

export interface Conflict {
  /** Keyed path where both sides changed something. */
  path: string;
  local: Operation[];
  upstream: Operation[];
  /** What the flow holds at `path` in the old template, the new template and the county's flow. */
  base: unknown;
  theirs: unknown;
  ours: unknown;
}

export interface UpgradePlan {
  /** Template changes from the adopted version to the new one. */
  upstream: Overlay;
  /** The county's local changes. */
  local: Overlay;
  /** Local changes that touch something the template also changed. */
  conflicts: Conflict[];
}

/** The three-way comparison behind an upgrade: template old → new against the county's overlay. */
export function planUpgrade(oldTemplate: Json, newTemplate: Json, county: Json): UpgradePlan {
  const upstream = jsonPatch.compare(toKeyed(oldTemplate), toKeyed(newTemplate));
  const local = computeOverlay(oldTemplate, county);
  const groups: Conflict[] = [];
  const keyedOld = toKeyed(oldTemplate);
  const keyedNew = toKeyed(newTemplate);
  const keyedCounty = toKeyed(county);
  const at = (doc: Json, path: string) => {
    const r = resolvePointer(doc, path);
    return r.found ? clone(r.value) : undefined;
  };
  for (const l of local) {
    const clashing = upstream.filter((u) => related(u.path, l.path) && !sameChange(u, l));
    if (clashing.length === 0) continue;
    // Group by the shortest path involved so one conflict shows one place.
    const path = [l.path, ...clashing.map((u) => u.path)].reduce((a, b) =>
      a.length <= b.length ? a : b,
    );
    let group = groups.find((g) => related(g.path, path));
    if (!group) {
      group = {
        path,
        local: [],
        upstream: [],
        base: undefined,
        theirs: undefined,
        ours: undefined,
      };
      groups.push(group);
    }
    if (path.length < group.path.length) group.path = path;
    group.local.push(l);
    for (const u of clashing) if (!group.upstream.includes(u)) group.upstream.push(u);
  }
  for (const g of groups) {
    g.base = at(keyedOld, g.path);
    g.theirs = at(keyedNew, g.path);
    g.ours = at(keyedCounty, g.path);
  }
  return { upstream, local, conflicts: groups };
}

export type Resolution = 'ours' | 'theirs';

export type UpgradeResult =
  | { ok: true; flow: Json; overlay: Overlay }
  | { ok: false; unresolved: Conflict[] };

/**
 * Upgrades a county flow to a new template version: the template's changes
 * are taken, the county's non-conflicting changes are kept, and each conflict
 * is settled by `resolutions[conflict.path]` (keep ours, or take theirs).
 * Refuses while any conflict is unresolved: nothing local is lost silently.
 */
export function upgradeFlowToTemplate(
  oldTemplate: Json,
  newTemplate: Json,
  county: Json,
  resolutions: Record<string, Resolution> = {},
): UpgradeResult {
  const plan = planUpgrade(oldTemplate, newTemplate, county);
  const unresolved = plan.conflicts.filter((c) => !resolutions[c.path]);
  if (unresolved.length > 0) return { ok: false, unresolved };
  const keyed = toKeyed(newTemplate);
  const keyedCounty = toKeyed(county);
  const conflictOf = (op: Operation) => plan.conflicts.find((c) => c.local.includes(op));
  const keptWhole = new Set<string>();
  for (const op of plan.local) {
    const conflict = conflictOf(op);
    if (conflict && resolutions[conflict.path] === 'theirs') continue;
    if (conflict) {
      // Keep ours: copy the county's whole value at the conflict's place.
      if (keptWhole.has(conflict.path)) continue;
      keptWhole.add(conflict.path);
      const ours = resolvePointer(keyedCounty, conflict.path);
      const exists = resolvePointer(keyed, conflict.path).found;
      const parentExists = resolvePointer(keyed, parentOf(conflict.path)).found;
      if (ours.found && parentExists) {
        jsonPatch.applyOperation(keyed, {
          op: exists ? 'replace' : 'add',
          path: conflict.path,
          value: clone(ours.value),
        });
      } else if (!ours.found && exists) {
        jsonPatch.applyOperation(keyed, { op: 'remove', path: conflict.path });
      }
      continue;
    }
    if (!jsonPatch.validate([op], keyed)) jsonPatch.applyOperation(keyed, clone(op), false, true);
  }
  const flow = fromKeyed(keyed, county, newTemplate, county);
  return { ok: true, flow, overlay: computeOverlay(newTemplate, flow) };
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/'));
}

/**
 * Locked template parts as keyed paths. `locked` holds JSON Pointers into the
 * template flow as published (e.g. `/clocks/0/deadline`); list indices become
 * ids so the lock follows the item.
 */
export function lockedKeyedPaths(template: Json, locked: readonly string[]): string[] {
  return locked.flatMap((pointer) => {
    const tokens = parsePointer(pointer);
    const [list, index, ...rest] = tokens;
    if (list && (KEYED_LISTS as readonly string[]).includes(list) && index !== undefined) {
      const items = template[list];
      const item = Array.isArray(items) ? items[Number(index)] : undefined;
      if (!isObject(item) || typeof item.id !== 'string') return [];
      return [toPointer([list, item.id, ...rest])];
    }
    return [pointer];
  });
}

/** Converts a keyed path back to a JSON Pointer into a flow with arrays (for locating problems). */
export function keyedPathToPointer(flow: Json, path: string): string {
  const [list, id, ...rest] = parsePointer(path);
  if (list && (KEYED_LISTS as readonly string[]).includes(list) && id !== undefined) {
    const items = flow[list];
    const index = Array.isArray(items) ? items.findIndex((i) => isObject(i) && i.id === id) : -1;
    if (index >= 0) return `/${list}/${index}${rest.map((t) => `/${escapeToken(t)}`).join('')}`;
    return `/${list}`;
  }
  return path;
}

/** Local changes that touch a locked part of the template. */
export function lockedChanges(
  template: Json,
  locked: readonly string[],
  county: Json,
): Operation[] {
  const paths = lockedKeyedPaths(template, locked);
  return computeOverlay(template, county).filter((op) => paths.some((p) => related(p, op.path)));
}

/** sha256 over the canonical JSON (RFC 8785) of a bundle without its `contentHash`. */
export function bundleHash(bundle: Json): string {
  const { contentHash: _ignored, ...content } = bundle;
  return `sha256:${bytesToHex(sha256(utf8ToBytes(canonicalize(content) ?? '')))}`;
}
