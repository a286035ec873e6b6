import { type LocalizedText, lockedKeyedPaths } from '@lianxin/spec';
import type { TemplateVersionRow } from '@lianxin/store';

type Json = Record<string, unknown>;

/** One part of an adopted flow its template locks: where (a keyed path, list items by id) and why. */
export interface FlowLock {
  path: string;
  reason: LocalizedText | null;
}

const isObject = (v: unknown): v is Json =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The parts a template version locks, as keyed paths into a county flow
 * (`/clocks/acceptance/deadline`: the lock follows the item, wherever the
 * county moved it in the list) with the province's reason when it gave one
 * (`lockReasons`), for the designer to grey them out.
 */
export function templateLocks(tpl: TemplateVersionRow): {
  template: { name: LocalizedText; version: number };
  parts: FlowLock[];
} {
  const manifest = (isObject(tpl.manifest) ? tpl.manifest : {}) as Json;
  const locked = Array.isArray(manifest.locked)
    ? manifest.locked.filter((l): l is string => typeof l === 'string')
    : [];
  const reasons = isObject(manifest.lockReasons) ? manifest.lockReasons : {};
  // The template's forms folder is folded into its flow's forms, as counties receive them.
  const flow = tpl.flow as Json;
  const base = { ...flow, forms: [...(Array.isArray(flow.forms) ? flow.forms : []), ...tpl.forms] };
  const name = isObject(manifest.name) ? (manifest.name as LocalizedText) : { 'zh-CN': tpl.key };
  return {
    template: { name, version: tpl.version },
    parts: locked.flatMap((pointer) =>
      lockedKeyedPaths(base, [pointer]).map((path) => {
        const reason = reasons[pointer];
        return {
          path,
          reason:
            isObject(reason) && typeof reason['zh-CN'] === 'string'
              ? (reason as LocalizedText)
              : null,
        };
      }),
    ),
  };
}
