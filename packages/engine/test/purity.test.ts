import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const src = join(import.meta.dirname, '../src');
// Recursive, so the command handlers under src/handlers/ are held to the same rules.
const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) =>
  f.endsWith('.ts'),
);

describe('engine purity', () => {
  it.each(files)('%s uses no clock, randomness, Node or DOM API', (file) => {
    const text = readFileSync(join(src, file), 'utf8');
    expect(text).not.toMatch(/Date\.now\(|Math\.random\(|performance\.now\(/);
    expect(text).not.toMatch(/from ['"]node:|require\(|process\.|globalThis|window\.|document\./);
    expect(text).not.toMatch(/new Date\(\)/);
  });

  it('imports only @lianxin/spec, zod, the holiday data and lunar conversion, and its own modules', () => {
    for (const file of files) {
      const imports = [...readFileSync(join(src, file), 'utf8').matchAll(/from '([^']+)'/g)].map(
        (m) => m[1],
      );
      for (const target of imports) {
        if (target?.startsWith('.')) {
          const inside = !relative(src, resolve(src, dirname(file), target)).startsWith('..');
          expect(inside, `${file} imports ${target}, outside src`).toBe(true);
        } else {
          expect(target, `${file} imports ${target}`).toMatch(
            /^(@lianxin\/spec$|zod$|chinese-days$|chinese-days\/dist\/chinese-days\.json$)/,
          );
        }
      }
    }
  });
});
