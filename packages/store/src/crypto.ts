import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One master key of the ring, with the keys derived from it. */
interface RingKey {
  /** Short id carried by `v2:` ciphertexts: the fingerprint's first 8 hex digits. */
  kid: string;
  fingerprint: string;
  encKey: Buffer;
  macKey: Buffer;
  /** Derives the IV of a deterministic re-encryption (`reseal`). */
  ivKey: Buffer;
}

function derive(master: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, '', info, 32));
}

/**
 * A key's fingerprint: SHA-256 of a value derived from it, so the database can
 * record which key wrote it without holding anything that opens the data.
 */
export function keyFingerprint(master: Buffer): string {
  return createHash('sha256').update(derive(master, 'lianxin/fingerprint')).digest('hex');
}

function ringKey(master: Buffer): RingKey {
  if (master.length !== 32) throw new Error('master key must be 32 bytes');
  const fingerprint = keyFingerprint(master);
  return {
    kid: fingerprint.slice(0, 8),
    fingerprint,
    encKey: derive(master, 'lianxin/aes-256-gcm'),
    macKey: derive(master, 'lianxin/hmac-sha256'),
    ivKey: derive(master, 'lianxin/reseal-iv'),
  };
}

/**
 * Encrypts personal data (ID-card numbers, phones, names) with AES-256-GCM
 * and computes keyed hashes (HMAC-SHA256) beside them, so repeat petitions
 * can be found without decrypting. It holds a key ring, newest first: new
 * ciphertexts are `v2:<kid>:<base64>` under the newest key; older keys only
 * open what they wrote (`v1:` ciphertexts, from before the ring, carry no key
 * id and are opened by whichever key's GCM tag accepts them). A ring built
 * with `reload` re-reads its keys when it meets a key id it does not know,
 * which is how a running server follows `lianxin key rotate`.
 */
export class Vault {
  private ring: RingKey[] = [];

  constructor(
    keys: Buffer | readonly Buffer[],
    private readonly reloadKeys?: () => readonly Buffer[],
  ) {
    this.setKeys(Buffer.isBuffer(keys) ? [keys] : keys);
  }

  private setKeys(keys: readonly Buffer[]): void {
    if (!keys.length) throw new Error('a key ring needs at least one key');
    this.ring = keys.map(ringKey);
  }

  /** Re-reads the keys (when built with `reload`); true when the ring changed. */
  reload(): boolean {
    if (!this.reloadKeys) return false;
    const before = this.ring.map((k) => k.kid).join();
    this.setKeys(this.reloadKeys());
    return this.ring.map((k) => k.kid).join() !== before;
  }

  private get primary(): RingKey {
    return this.ring[0] as RingKey;
  }

  /** The ring's keys by id and fingerprint, newest first (never the keys). */
  get keys(): Array<{ kid: string; fingerprint: string }> {
    return this.ring.map(({ kid, fingerprint }) => ({ kid, fingerprint }));
  }

  /** The id of the key new ciphertexts are written with. */
  get primaryKid(): string {
    return this.primary.kid;
  }

  encrypt(plain: string): string {
    return seal(this.primary, plain, randomBytes(12));
  }

  /**
   * The ciphertext under the newest key, unchanged when it already is.
   * Deterministic: the IV is derived from the old ciphertext, so every copy
   * of one ciphertext (in events and in the case row that caches them)
   * becomes the same new ciphertext, whenever and wherever it is re-encrypted.
   */
  reseal(sealed: string): string {
    if (this.kidOf(sealed) === this.primary.kid) return sealed;
    const iv = createHmac('sha256', this.primary.ivKey).update(sealed).digest().subarray(0, 12);
    return seal(this.primary, this.decrypt(sealed), iv);
  }

  /** The key id a ciphertext names (`v1` for ciphertexts from before the ring). */
  kidOf(sealed: string): string {
    if (sealed.startsWith('v1:')) return 'v1';
    const m = /^v2:([0-9a-f]{8}):/.exec(sealed);
    if (!m) throw new Error('unknown ciphertext format');
    return m[1] as string;
  }

  decrypt(sealed: string): string {
    if (sealed.startsWith('v1:')) {
      const raw = Buffer.from(sealed.slice(3), 'base64');
      for (const key of this.ring) {
        const plain = open(key, raw);
        if (plain !== undefined) return plain;
      }
      throw new Error('no key of the ring opens this ciphertext');
    }
    const kid = this.kidOf(sealed);
    let key = this.ring.find((k) => k.kid === kid);
    if (!key && this.reload()) key = this.ring.find((k) => k.kid === kid);
    if (!key) throw new Error(`ciphertext under key ${kid}, which is not in the key ring`);
    const plain = open(key, Buffer.from(sealed.slice(12), 'base64'));
    if (plain === undefined) throw new Error(`ciphertext under key ${kid} does not authenticate`);
    return plain;
  }

  /** Keyed hash of a normalised value (spaces removed, ID-card check letter upper-cased), under the newest key. */
  hash(value: string): string {
    return macOf(this.primary, value);
  }

  /**
   * The value's keyed hash under every key of the ring, newest first: a
   * look-up matches rows hashed before and during a rotation alike.
   */
  hashes(value: string): string[] {
    return this.ring.map((k) => macOf(k, value));
  }
}

function seal(key: RingKey, plain: string, iv: Buffer): string {
  const cipher = createCipheriv('aes-256-gcm', key.encKey, iv);
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `v2:${key.kid}:${Buffer.concat([iv, cipher.getAuthTag(), data]).toString('base64')}`;
}

function open(key: RingKey, raw: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.encKey, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

function macOf(key: RingKey, value: string): string {
  const normal = value.replace(/[\s-]/g, '').toUpperCase();
  return createHmac('sha256', key.macKey).update(normal).digest('hex');
}

/** Where the keys came from, for messages: the variable or the file. */
export type KeySource = { kind: 'env' } | { kind: 'file'; path: string };

/**
 * The configured key ring, newest first: `LIANXIN_KEY` (keys separated by
 * commas or spaces, each 64 hex characters or base64 of 32 bytes), else the
 * key file (one key a line, `#` comments). Undefined when neither exists:
 * the caller decides whether a first key may be made (`createKeyFile`).
 */
export function loadKeyRing(options: {
  env?: NodeJS.ProcessEnv;
  keyFile: string;
}): { keys: Buffer[]; source: KeySource } | undefined {
  const fromEnv = (options.env ?? process.env).LIANXIN_KEY;
  if (fromEnv) {
    return { keys: parseKeys(fromEnv.split(/[\s,]+/), 'LIANXIN_KEY'), source: { kind: 'env' } };
  }
  if (!existsSync(options.keyFile)) return undefined;
  return {
    keys: readKeyFile(options.keyFile),
    source: { kind: 'file', path: options.keyFile },
  };
}

export function readKeyFile(path: string): Buffer[] {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return parseKeys(lines, path);
}

function parseKeys(texts: string[], where: string): Buffer[] {
  const keys = texts.filter(Boolean).map((t) => parseKey(t, where));
  if (!keys.length) throw new Error(`${where}: no key`);
  return keys;
}

/**
 * Writes the key file (newest key first) with mode 0600, through a
 * temporary file and a rename, so a reader never sees half a file.
 * `exclusive` refuses to replace an existing file.
 */
export function writeKeyFile(path: string, keys: readonly Buffer[], exclusive = false): void {
  mkdirSync(dirname(path), { recursive: true });
  const text = [
    '# 连心加密密钥，最新的在前，每行一把；与数据库分开保管，切勿外传',
    '# Lianxin encryption keys, newest first, one a line; keep apart from the database, never share',
    ...keys.map((k) => k.toString('hex')),
    '',
  ].join('\n');
  if (exclusive) {
    writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
    return;
  }
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
}

/** A new random key (32 bytes). */
export function newMasterKey(): Buffer {
  return randomBytes(32);
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
