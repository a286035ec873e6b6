// One scheduler process for test/scheduler.test.ts: fires due timers (and delivers the
// notifications they make) until none are left.
import { openPostgres, Store, Vault } from '@lianxin/store';
import { silentLogger } from '../src/log';
import { Scheduler } from '../src/scheduler';

const [url, keyHex] = process.argv.slice(2);
if (!url || !keyHex) throw new Error('usage: scheduler-worker <database-url> <key-hex>');
const database = openPostgres(url, { max: 4 });
const store = new Store(database, new Vault(Buffer.from(keyHex, 'hex')));
const scheduler = new Scheduler(store, silentLogger, { batch: 3 });
let fired = 0;
let idle = 0;
while (idle < 3) {
  const n = await scheduler.tick();
  fired += n;
  idle = n === 0 ? idle + 1 : 0;
  await new Promise((r) => setTimeout(r, 20));
}
await database.close();
process.stdout.write(
  `${JSON.stringify({ owner: scheduler.owner, fired, delivered: scheduler.delivered })}\n`,
);
