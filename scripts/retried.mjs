// Prints the browser tests that passed only on their second run (apps/web's retried reporter
// lists them), which turbo's errors-only output hides when the web package passes.
import { existsSync, readFileSync } from 'node:fs';

const list = new URL('../apps/web/test/artifacts/retried.txt', import.meta.url);
if (existsSync(list)) process.stdout.write(`\n${readFileSync(list, 'utf8')}`);
