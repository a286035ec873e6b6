import {
  checkKeyRing,
  ciphertextsByKey,
  keyFingerprint,
  keyRingRows,
  loadKeyRing,
  newMasterKey,
  readKeyFile,
  rotateKeys,
  StoreError,
  systemClock,
  Vault,
  writeKeyFile,
} from '@lianxin/store';
import { configFromEnv } from '../config';
import type { CommandContext } from './main';
import { openChecked } from './open';
import { fail, parseCommandArgs } from './output';

const USAGE = {
  zh: '用法：lianxin key status | lianxin key rotate [--batch 500] | lianxin key prune | lianxin key new',
  en: 'usage: lianxin key status | lianxin key rotate [--batch 500] | lianxin key prune | lianxin key new',
};

/**
 * `key status`: the configured keys, which the database records or retired,
 * and how many ciphertexts each holds. `key rotate`: adds a new key at the top
 * of the key file (or takes the new first key of LIANXIN_KEY) and re-encrypts
 * everything under it while servers keep running, then retires the old keys.
 * `key prune`: removes retired keys from the key file. `key new`: prints a
 * new key, for LIANXIN_KEY.
 */
export async function run(ctx: CommandContext): Promise<number> {
  const parsed = parseCommandArgs(ctx, { batch: { type: 'string' } });
  if (!parsed) return 2;
  const [sub] = parsed.positionals;
  const zh = ctx.lang !== 'en';
  if (sub === 'new') {
    console.log(newMasterKey().toString('hex'));
    return 0;
  }
  if (sub !== 'status' && sub !== 'rotate' && sub !== 'prune') {
    fail(ctx.lang, USAGE.zh, USAGE.en);
    return 2;
  }
  const config = configFromEnv(process.env, ctx.cwd);
  const { database, vault } = await openChecked(config);
  try {
    if (!vault) {
      fail(
        ctx.lang,
        `没有配置密钥：设置 LIANXIN_KEY，或把密钥文件放到 ${config.keyFile}`,
        `no key is configured: set LIANXIN_KEY, or put the key file at ${config.keyFile}`,
      );
      return 2;
    }
    const ring = loadKeyRing({ env: process.env, keyFile: config.keyFile });
    const fromFile = ring?.source.kind === 'file';

    if (sub === 'status') {
      const rows = await keyRingRows(database);
      const counts = await ciphertextsByKey(database, vault);
      const configured = new Set(vault.keys.map((k) => k.kid));
      console.log(
        zh
          ? `密钥来源：${fromFile ? config.keyFile : 'LIANXIN_KEY'}；新数据用密钥 ${vault.primaryKid} 加密`
          : `keys from ${fromFile ? config.keyFile : 'LIANXIN_KEY'}; new data is encrypted under ${vault.primaryKid}`,
      );
      const kids = [...new Set([...vault.keys.map((k) => k.kid), ...rows.map((r) => r.kid)])];
      for (const kid of kids) {
        const row = rows.find((r) => r.kid === kid);
        const state = row?.retiredAt
          ? zh
            ? `已停用（${row.retiredAt}）`
            : `retired (${row.retiredAt})`
          : zh
            ? '使用中'
            : 'in use';
        const where = configured.has(kid)
          ? zh
            ? '已配置'
            : 'configured'
          : zh
            ? '未配置'
            : 'not configured';
        const n = counts[kid] ?? 0;
        console.log(`  ${kid}  ${state}  ${where}  ${zh ? `密文 ${n} 个` : `${n} ciphertext(s)`}`);
      }
      if (counts.v1)
        console.log(
          zh
            ? `  v1（启用指纹以前写入）密文 ${counts.v1} 个，lianxin key rotate 会重新加密`
            : `  v1 (written before fingerprints): ${counts.v1} ciphertext(s); lianxin key rotate re-encrypts them`,
        );
      return 0;
    }

    if (sub === 'prune') {
      if (!fromFile) {
        fail(
          ctx.lang,
          '密钥来自 LIANXIN_KEY：请在每台服务器上从中删除已停用的密钥（lianxin key status 列出）',
          'the keys come from LIANXIN_KEY: remove the retired keys (lianxin key status lists them) from it on every server',
        );
        return 2;
      }
      const retired = new Set(
        (await keyRingRows(database)).filter((r) => r.retiredAt).map((r) => r.fingerprint),
      );
      const keys = readKeyFile(config.keyFile);
      const kept = keys.filter((k) => !retired.has(keyFingerprint(k)));
      writeKeyFile(config.keyFile, kept);
      console.log(
        zh
          ? `已从 ${config.keyFile} 删除 ${keys.length - kept.length} 把已停用的密钥，保留 ${kept.length} 把`
          : `removed ${keys.length - kept.length} retired key(s) from ${config.keyFile}; ${kept.length} kept`,
      );
      return 0;
    }

    // rotate: everything goes under the ring's first key. When ciphertexts under
    // older keys remain (an interrupted rotation, a key put first by hand or in
    // LIANXIN_KEY, v1 ciphertexts from before key rings), that is finished first;
    // otherwise a key file gets a new first key.
    let target = vault;
    const pending = await ciphertextsByKey(database, vault);
    const oldLeft = Object.entries(pending).some(([kid, n]) => kid !== vault.primaryKid && n > 0);
    if (!oldLeft) {
      if (!fromFile) throw new StoreError('key.noNewKey');
      const keys = [newMasterKey(), ...readKeyFile(config.keyFile)];
      writeKeyFile(config.keyFile, keys);
      target = new Vault(keys, () => readKeyFile(config.keyFile));
      console.log(
        zh
          ? `已把新密钥 ${target.primaryKid} 写入 ${config.keyFile}（放在第一行，旧密钥保留）；运行中的服务器会自动读取`
          : `new key ${target.primaryKid} written to ${config.keyFile} (first line, old keys kept); running servers pick it up`,
      );
    }
    await checkKeyRing(database, target, systemClock, ring?.source);
    const batch = Number(parsed.values.batch ?? 500);
    const interactive = process.stderr.isTTY;
    const result = await rotateKeys(database, target, systemClock, {
      batch: Number.isInteger(batch) && batch > 0 ? batch : 500,
      onProgress: (p) => {
        if (interactive)
          process.stderr.write(
            zh
              ? `\r第 ${p.pass} 遍：${p.table} 已读 ${p.done} 行，已重新加密 ${p.changed} 行   `
              : `\rpass ${p.pass}: ${p.table} ${p.done} row(s) read, ${p.changed} re-encrypted   `,
          );
      },
    });
    if (interactive) process.stderr.write('\n');
    if (!result.complete) {
      fail(
        ctx.lang,
        `已重新加密 ${result.rewritten} 行，但在 ${result.passes} 遍后仍有旧密钥写入的新数据：有服务器尚未读取新密钥（用 LIANXIN_KEY 的服务器需更新并重启），处理后再次运行 lianxin key rotate`,
        `${result.rewritten} row(s) re-encrypted, but after ${result.passes} passes new data under an old key keeps arriving: a server has not loaded the new key (servers on LIANXIN_KEY need it and a restart); then run lianxin key rotate again`,
      );
      return 1;
    }
    console.log(
      zh
        ? `密钥轮换完成：${result.rewritten} 行已用密钥 ${result.kid} 重新加密（${result.passes} 遍）；已停用：${result.retired.join(', ') || '无'}。旧密钥可用 lianxin key prune 从密钥文件删除`
        : `key rotation done: ${result.rewritten} row(s) re-encrypted under ${result.kid} (${result.passes} passes); retired: ${result.retired.join(', ') || 'none'}. lianxin key prune removes old keys from the key file`,
    );
    return 0;
  } finally {
    await database.close();
  }
}
