import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Encrypts personal data (ID-card numbers, phones, names) with AES-256-GCM
 * and computes keyed hashes (HMAC-SHA256) beside them, so repeat petitions
 * can be found without decrypting. Both keys derive from one master key.
 */
export class Vault {
  private readonly encKey: Buffer;
  private readonly macKey: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) throw new Error('master key must be 32 bytes');
    this.encKey = Buffer.from(hkdfSync('sha256', masterKey, '', 'lianxin/aes-256-gcm', 32));
    this.macKey = Buffer.from(hkdfSync('sha256', masterKey, '', 'lianxin/hmac-sha256', 32));
  }

  encrypt(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encKey, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
  }

  decrypt(sealed: string): string {
    if (!sealed.startsWith('v1:')) throw new Error('unknown ciphertext format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }

  /** Keyed hash of a normalised value (spaces removed, ID-card check letter upper-cased). */
  hash(value: string): string {
    const normal = value.replace(/[\s-]/g, '').toUpperCase();
    return createHmac('sha256', this.macKey).update(normal).digest('hex');
  }
}

/**
 * The master key: `LIANXIN_KEY` (64 hex characters or base64 of 32 bytes),
 * else the key file, created with mode 0600 on first run when `create` is set.
 */
export function loadMasterKey(options: {
  env?: NodeJS.ProcessEnv;
  keyFile: string;
  create: boolean;
}): Buffer {
  const fromEnv = (options.env ?? process.env).LIANXIN_KEY;
  if (fromEnv) return parseKey(fromEnv, 'LIANXIN_KEY');
  if (existsSync(options.keyFile)) {
    return parseKey(readFileSync(options.keyFile, 'utf8').trim(), options.keyFile);
  }
  if (!options.create) {
    throw new Error(`no key: set LIANXIN_KEY or create ${options.keyFile}`);
  }
  mkdirSync(dirname(options.keyFile), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(options.keyFile, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(options.keyFile, 0o600);
  return key;
}

function parseKey(text: string, where: string): Buffer {
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : Buffer.from(text, 'base64');
  if (key.length !== 32) throw new Error(`${where}: key must be 32 bytes (64 hex characters)`);
  return key;
}

const SCRYPT = { N: 16384, r: 8, p: 1, keylen: 32 };

/** `scrypt$N$r$p$salt$hash`, parameters kept so they can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keylen: expected.length,
  });
  return timingSafeEqual(expected, actual);
}

function scryptAsync(
  password: string,
  salt: Buffer,
  o: { N: number; r: number; p: number; keylen: number },
): Promise<Buffer> {
  return new Promise((resolvePromise, rejectPromise) => {
    scrypt(
      password,
      salt,
      o.keylen,
      { N: o.N, r: o.r, p: o.p, maxmem: 64 * 1024 * 1024 },
      (err, key) => (err ? rejectPromise(err) : resolvePromise(key)),
    );
  });
}
