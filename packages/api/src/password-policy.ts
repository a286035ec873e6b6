import type { Bilingual } from '@lianxin/spec';
import { apiError } from './errors';

export const MIN_PASSWORD_LENGTH = 10;
/** A passphrase this long needs no mix of character kinds. */
export const PASSPHRASE_LENGTH = 16;

/** The rules as people read them: shown on the sign-in and change-password pages. */
export const PASSWORD_RULES: Bilingual[] = [
  {
    'zh-CN': `至少 ${MIN_PASSWORD_LENGTH} 个字符`,
    en: `at least ${MIN_PASSWORD_LENGTH} characters`,
  },
  {
    'zh-CN': `包含小写字母、大写字母、数字、符号中的至少 3 类；或使用不少于 ${PASSPHRASE_LENGTH} 个字符的长口令`,
    en: `at least 3 of: lower-case letters, capitals, digits, symbols; or a passphrase of ${PASSPHRASE_LENGTH}+ characters`,
  },
  { 'zh-CN': '不能包含用户名', en: 'must not contain the user name' },
  {
    'zh-CN': '不能是常见密码或简单重复（如 11111111、password、12345678）',
    en: 'must not be a common or repetitive password (e.g. 11111111, password, 12345678)',
  },
];

// Lower-cased, with digits and symbols kept: guessed first by every attacker.
const COMMON = new Set([
  '123456789',
  '1234567890',
  '12345678910',
  '0123456789',
  '9876543210',
  '1qaz2wsx3edc',
  '1q2w3e4r5t',
  'qwertyuiop',
  'qwerty123456',
  'qwer1234!@#$',
  'asdfghjkl;',
  'password',
  'password1',
  'password12',
  'password123',
  'password1234',
  'password@123',
  'p@ssw0rd123',
  'p@ssw0rd!',
  'passw0rd!',
  'admin123456',
  'admin@123456',
  'administrator',
  'abc123456789',
  'abcd1234!@#$',
  'iloveyou1314',
  'woaini1314',
  '5201314520',
  'a123456789',
  'aa123456789',
  'zxcvbnm123',
  'lianxin123',
  'lianxin@123',
  'lianxin-demo',
  'xinfang123',
  'xinfang@123',
  'changeme123',
  'welcome123',
  'welcome@123',
]);

/**
 * What is wrong with a new password for `username`, one item per broken rule
 * (empty when it passes). The demo seed writes its accounts through the store
 * and is not held to this: only passwords chosen through the API are.
 */
export function passwordProblems(password: string, username: string): Bilingual[] {
  const problems: Bilingual[] = [];
  const [length, kinds, name, common] = PASSWORD_RULES as [
    Bilingual,
    Bilingual,
    Bilingual,
    Bilingual,
  ];
  const chars = [...password];
  if (chars.length < MIN_PASSWORD_LENGTH) problems.push(length);
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((re) => re.test(password)).length;
  if (classes < 3 && chars.length < PASSPHRASE_LENGTH) problems.push(kinds);
  const lower = password.toLowerCase();
  if (username.length >= 3 && lower.includes(username.toLowerCase())) problems.push(name);
  // A few characters repeated over and over ("11111111", "abcabcabcabc") are as weak as a listed one.
  const repetitive = new Set(chars).size <= 3 || /^(.{1,4})\1+$/.test(password);
  if (COMMON.has(lower) || repetitive) problems.push(common);
  return problems;
}

/** Refuses a new password that breaks the policy, naming every rule it breaks. */
export function requireStrongPassword(password: string, username: string, pointer: string) {
  const problems = passwordProblems(password, username);
  if (problems.length) {
    throw apiError(
      'auth.weakPassword',
      {
        detail: problems.map((p) => p['zh-CN']).join('；'),
        detailEn: problems.map((p) => p.en).join('; '),
      },
      { pointer },
    );
  }
}
