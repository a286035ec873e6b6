import { isValidIdCardNumber } from '@lianxin/spec';
import { divisionFullName, findDivision } from './divisions';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The GB 11643 check character for the first 17 digits, or undefined if they are not 17 digits. */
export function idCardCheckCharacter(first17: string): string | undefined {
  if (!/^\d{17}$/.test(first17)) return undefined;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK[sum % 11];
}

export interface IdCardInfo {
  valid: boolean;
  /** Why it is not valid, in both languages. */
  reason?: { 'zh-CN': string; en: string };
  birthDate?: string;
  sex?: 'male' | 'female';
  /** Region of issue from the first six digits, when the division data has it. */
  region?: string;
}

/** Reads a citizen ID number: whether it is valid and what it says (birth date, sex, region). */
export function describeIdCard(raw: string): IdCardInfo {
  const value = raw.trim().toUpperCase();
  if (value.length !== 18) {
    return {
      valid: false,
      reason: {
        'zh-CN': `应为 18 位，现为 ${value.length} 位`,
        en: `needs 18 characters, has ${value.length}`,
      },
    };
  }
  if (!/^\d{17}[\dX]$/.test(value)) {
    return {
      valid: false,
      reason: { 'zh-CN': '前 17 位应为数字，末位为数字或 X', en: '17 digits then a digit or X' },
    };
  }
  const birthDate = `${value.slice(6, 10)}-${value.slice(10, 12)}-${value.slice(12, 14)}`;
  const sex = Number(value[16]) % 2 === 1 ? 'male' : 'female';
  const regionCode = value.slice(0, 6);
  const region = findDivision(regionCode) ? divisionFullName(regionCode) : undefined;
  const info = { birthDate, sex, ...(region ? { region } : {}) } as const;
  if (isValidIdCardNumber(value)) return { valid: true, ...info };
  const expected = idCardCheckCharacter(value.slice(0, 17));
  if (expected !== value[17]) {
    return {
      valid: false,
      ...info,
      reason: {
        'zh-CN': `校验位不符（应为 ${expected}）`,
        en: `check character does not match (expected ${expected})`,
      },
    };
  }
  return {
    valid: false,
    reason: { 'zh-CN': `出生日期 ${birthDate} 无效`, en: `birth date ${birthDate} is not valid` },
  };
}

const FULL_WIDTH = /[\uFF10-\uFF19\uFF0B]/g;
/** Spaces (also full-width and no-break), dashes of every width, dots, brackets. */
const SEPARATORS = /[\s\u00A0\u3000\-\u2010-\u2015\u2212\uFF0D.\u00B7()\uFF08\uFF09]/g;

/**
 * A mainland mobile number as typed or pasted, in the 11 digits the server
 * takes: full-width digits become digits, spaces, dashes, dots and brackets
 * go, and the country code (+86, 0086, or 86 before 11 digits) is dropped.
 * Anything else (a letter, a 12th digit) is kept, so validation can say
 * what is wrong instead of the text silently changing.
 * "+86 138-0013-8000" → "13800138000".
 */
export function normaliseMobile(raw: string): string {
  const s = raw
    .replace(FULL_WIDTH, (c) => (c === '\uFF0B' ? '+' : String(c.charCodeAt(0) - 0xff10)))
    .replace(SEPARATORS, '');
  const national = /^(?:\+86|0086)(.*)$/.exec(s)?.[1] ?? (/^86(1\d{10})$/.exec(s)?.[1] || s);
  return national;
}
