import {
  HIDDEN_TEXT,
  mapSealed,
  maskSensitive,
  parseSealed,
  type SensitiveKind,
} from '@lianxin/spec';
import type { Context } from './context';

/** Which kinds of sensitive value a reader sees in full; the rest masked by kind. */
export interface View {
  full: ReadonlySet<SensitiveKind>;
}

export const MASKED: View = { full: new Set() };

/** One value as `view` shows it: the plain text, or its mask. */
function show(kind: SensitiveKind, plain: string, view: View) {
  return view.full.has(kind) ? plain : maskSensitive(kind, plain);
}

/**
 * Case material as this reader may see it: every sealed value (at any depth)
 * opened and shown in full or masked by its kind. The browser never receives
 * a sealed value; one that does not open (a damaged row) shows as hidden.
 * Every procedure's answer passes through this (`maskSealedOutput` with
 * `MASKED`); `cases.get` passes the reader's own view first.
 */
export function present<T>(ctx: Pick<Context, 'store'>, value: T, view: View): T {
  return mapSealed(value, (sealed) => {
    const { kind, ciphertext } = parseSealed(sealed);
    let plain: string;
    try {
      plain = ctx.store.vault.decrypt(ciphertext);
    } catch {
      return HIDDEN_TEXT;
    }
    return show(kind, plain, view);
  }) as T;
}

/** The petitioner record (decrypted by the store) as this reader may see it. */
export function presentPetitioner(
  p: { name?: string | undefined; phone?: string | undefined; idCard?: string | undefined },
  view: View,
) {
  const one = (kind: SensitiveKind, v: string | undefined) =>
    v === undefined ? null : show(kind, v, view);
  return {
    name: one('name', p.name),
    phone: one('phone', p.phone),
    idCard: one('idCard', p.idCard),
  };
}
