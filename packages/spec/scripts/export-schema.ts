// Writes the JSON Schema of every format to docs/schema/ (run: pnpm --filter @lianxin/spec export-schema).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportJsonSchemas } from '../src/index';

const target = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/schema');
mkdirSync(target, { recursive: true });
for (const [file, schema] of Object.entries(exportJsonSchemas())) {
  writeFileSync(join(target, file), `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote docs/schema/${file}`);
}
