/**
 * Petitioners' personal data (信访人个人信息) as people without the need to
 * know see it. The server masks before anything leaves it; the browser only
 * renders what it got.
 */

/** Roles that see a petitioner's full name, phone and ID-card number. */
export const SEES_PERSONAL_DATA: ReadonlySet<string> = new Set(['admin', 'receptionist', 'leader']);

/** 陈伯 → 陈*; 欧阳小明 → 欧***. */
export function maskName(name: string): string {
  return name.slice(0, 1) + '*'.repeat(Math.max(1, name.length - 1));
}

/** 13800138000 → 138****8000. */
export function maskPhone(phone: string): string {
  return phone.length > 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

/** 11010519491231002X → 1101**********002X: the region's first digits and the last four stay. */
export function maskIdCard(idCard: string): string {
  return `${idCard.slice(0, 4)}**********${idCard.slice(-4)}`;
}

export interface PetitionerContact {
  name: string | null;
  phone: string | null;
  idCard: string | null;
}

/** A petitioner's contact details, masked unless one of `roles` may see them. */
export function petitionerFor(
  contact: PetitionerContact,
  roles: readonly string[],
): PetitionerContact {
  if (roles.some((r) => SEES_PERSONAL_DATA.has(r))) return contact;
  return {
    name: contact.name === null ? null : maskName(contact.name),
    phone: contact.phone === null ? null : maskPhone(contact.phone),
    idCard: contact.idCard === null ? null : maskIdCard(contact.idCard),
  };
}

/**
 * Case data as a case may start with it: a petitioner's phone and ID-card
 * number belong in the encrypted petitioner record, never in case data or
 * events, so copies a form put under `data.petitioner` are dropped. The
 * store's intake and the simulator both start cases through this.
 */
export function withoutContactDetails(data: Record<string, unknown>): Record<string, unknown> {
  const petitioner = data.petitioner;
  if (petitioner === null || typeof petitioner !== 'object' || Array.isArray(petitioner)) {
    return data;
  }
  const { phone: _phone, idCard: _idCard, ...rest } = petitioner as Record<string, unknown>;
  return { ...data, petitioner: rest };
}
