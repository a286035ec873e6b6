// The workbench benchmark's data: BENCH_CASES cases of the four-colour flow in
// two counties, created over the last 180 days, each driven through the store
// (the engine, one transaction per command, as the API does) along one of the
// template's own scenarios, shifted to its creation time:
// - blue-joint-handling: two departments, closed on time;
// - yellow-overdue-reclassified (one case in five): misses its same-day
//   deadline (the timer fires), escalated, closed late.
// Cases older than 30 days are closed four times in five; the rest, and all
// newer ones, stop at a random step (some before triage: no colour yet). Seven
// in ten closed cases are rated 1–5; one in ten has a petitioner record (phone
// from a pool of 5,000, so some come back as repeat petitions). Each case's
// 诉求摘要 is a sentence put together from the phrase pools below (a place, who,
// what went wrong, what they ask), so full-text search meets text like a
// county's: common words in thousands of cases, rare ones in a few.
// Building it takes many minutes, so the database is kept under bench/.cache,
// keyed by SEED_VERSION, the case count and the template's files. Opening it
// applies any newer migration, so schema changes do not need a new seed; a
// change here to what is seeded must bump SEED_VERSION.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, startServer } from '../../server/src/app';
import { configFromEnv } from '../../server/src/config';
import { silentLogger } from '../../server/src/log';
import { addPeople, publishAndAdopt } from '../test/people';

export const PASSWORD = 'bench-password-1';
/** Bump when what is seeded changes (not for refactoring). */
const SEED_VERSION = 3;
const here = fileURLToPath(new URL('.', import.meta.url));
const folder = resolve(here, '../../../templates/four-colour-triage');
const read = (f: string) => JSON.parse(readFileSync(join(folder, f), 'utf8'));
const CHANNELS = ['visit', 'letter', 'phone', 'hotline', 'grid', 'online'] as const;
const CATEGORIES = ['labour', 'housing', 'land', 'legal', 'agriculture', 'other'];
const DAY = 86_400_000;

const PLACES = [
  '台城街道',
  '大江镇',
  '水步镇',
  '四九镇',
  '白沙镇',
  '三合镇',
  '冲蒌镇',
  '斗山镇',
  '都斛镇',
  '赤溪镇',
  '广海镇',
  '海宴镇',
  '汶村镇',
  '深井镇',
  '北陡镇',
  '川岛镇',
];
const WHO = [
  '村民',
  '业主',
  '务工人员',
  '退休职工',
  '个体商户',
  '租户',
  '退役军人',
  '种植户',
  '外出务工人员家属',
  '小区居民',
];
const PROBLEMS: Record<string, string[]> = {
  labour: [
    '工地老板拖欠工资八个月',
    '工厂停产后未支付经济补偿',
    '包工头拖欠农民工工资',
    '公司未依法缴纳社会保险',
    '工伤认定后赔偿迟迟未到位',
  ],
  housing: [
    '安置房墙体开裂漏水',
    '开发商逾期交房两年',
    '物业管理混乱乱收费',
    '房屋征收补偿款未发放',
    '小区电梯长期停运无人维修',
  ],
  land: [
    '宅基地被邻居侵占',
    '土地承包经营权纠纷',
    '征地补偿标准过低',
    '集体土地流转收益分配不公',
    '林地界址争议多年未解决',
  ],
  legal: [
    '民间借贷纠纷判决后执行难',
    '交通事故赔偿协议未履行',
    '婚姻家庭纠纷需要法律援助',
    '合同纠纷对方拒不履约',
    '医疗纠纷要求鉴定和赔偿',
  ],
  agriculture: [
    '灌溉水渠堵塞影响春耕',
    '农药化肥质量问题导致减产',
    '养殖场污水直排污染鱼塘',
    '农业补贴未按时发放',
    '台风后农田受灾未获救助',
  ],
  other: [
    '噪音扰民影响休息',
    '道路破损积水出行困难',
    '低保资格被取消',
    '学校周边交通拥堵存在安全隐患',
    '路灯损坏夜间无照明',
  ],
};
const DEMANDS = [
  '要求尽快解决',
  '请求政府协调处理',
  '希望有关部门依法查处',
  '要求给予合理补偿',
  '请求帮助追讨',
  '希望尽快答复',
];

/** A complaint summary for case `i`, from its own small generator (the case mix keeps its sequence). */
function complaint(i: number, category: string): string {
  const r = random(i * 7919 + 17);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
  return `${pick(PLACES)}${pick(WHO)}反映${pick(PROBLEMS[category] ?? PROBLEMS.other ?? [])}，${pick(DEMANDS)}`;
}

interface Step {
  at?: string;
  actor?: { id: string; roles: string[]; jurisdiction: string; department?: string };
  complete?: { node: string; action: string; data?: Record<string, unknown> };
  advanceTo?: string;
}
interface Scenario {
  start: { at: string; data: Record<string, unknown> };
  steps: Step[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    .sort();
}

/** Where the seeded database for `cases` lives, and whether it is already built. */
export function cachedDataDir(cases: number) {
  const hash = createHash('sha256');
  hash.update(`${SEED_VERSION}:${cases}`);
  for (const f of filesUnder(folder)) hash.update(readFileSync(f));
  const dir = join(here, '.cache', `workbench-${cases}-${hash.digest('hex').slice(0, 12)}`);
  return { dir, ready: existsSync(join(dir, 'ready')) };
}

/** A small deterministic generator, so every run seeds the same history. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1_664_525 + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Builds the database in a fresh folder and moves it into the cache when complete. */
export async function seedWorkbench(cases: number, log: (line: string) => void) {
  const { dir } = cachedDataDir(cases);
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(building, { recursive: true });
  const config = configFromEnv({ LIANXIN_DATA_DIR: building, PORT: '0', HOST: '127.0.0.1' });
  let now = new Date();
  const store = await openStore(config, { clock: { now: () => now } });
  await addPeople(
    store,
    [
      ['440000', '广东省', 'province', null],
      ['440700', '江门市', 'city', '440000'],
      ['440781', '台山市', 'county', '440700'],
      ['440783', '开平市', 'county', '440700'],
    ],
    [
      ['guangdong-admin', 'guangdong-admin', '440000', 'admin'],
      ['taishan-admin', 'taishan-admin', '440781', 'admin'],
      ['taishan-receptionist', 'taishan-receptionist', '440781', 'receptionist'],
      ['taishan-leader', 'taishan-leader', '440781', 'leader'],
    ],
    PASSWORD,
  );
  const running = await startServer(store, config, silentLogger, { scheduler: false });
  const { flowId, version } = await publishAndAdopt(running.url, 'four-colour-triage', PASSWORD);

  const scenarios: Scenario[] = ['blue-joint-handling', 'yellow-overdue-reclassified'].map((n) =>
    read(`scenarios/${n}.json`),
  );
  const rnd = random(20_261_123);
  const end = Date.now();
  const t0 = performance.now();
  const petitioners = new Map<number, string>();
  let transitions = 0;
  type State = Awaited<ReturnType<typeof store.startCase>>['state'];
  /** Fires the case's timers due by `now`, earliest first, as the scheduler would have. */
  const fireDue = async (caseId: string, from: State): Promise<State> => {
    let state = from;
    for (;;) {
      const due = state.timers
        .filter((t) => Date.parse(t.due) <= now.getTime())
        .sort((a, b) => a.due.localeCompare(b.due))[0];
      if (!due) return state;
      if ((await store.fireTimer({ id: due.id, caseId } as never)) === 'fired') transitions++;
      state = (await store.caseRow(caseId))?.state ?? state;
      if (state.timers.some((t) => t.id === due.id)) return state; // refused: leave it
    }
  };
  for (let i = 0; i < cases; i++) {
    const createdMs = end - Math.floor(((cases - i) / cases) * 180 * DAY);
    const jurisdiction = i % 2 ? '440783' : '440781';
    const scenario = scenarios[i % 5 === 0 ? 1 : 0] as Scenario;
    const shift = createdMs - Date.parse(scenario.start.at);
    const shifted = (at: string) => Date.parse(at) + shift;
    const closes = end - createdMs > 30 * DAY && rnd() < 0.8;
    const stepsRun = closes ? scenario.steps.length : Math.floor(rnd() * scenario.steps.length);
    let petitionerId: string | undefined;
    let repeat = false;
    if (rnd() < 0.1) {
      const who = Math.floor(rnd() * 5_000);
      repeat = petitioners.has(who);
      petitionerId = await store.createPetitioner({
        jurisdiction,
        name: '测试',
        phone: `139${String(who).padStart(8, '0')}`,
      });
      petitioners.set(who, petitionerId);
    }
    now = new Date(createdMs);
    const started = await store.startCase({
      flowId,
      version,
      ...(petitionerId ? { petitionerId } : {}),
      command: {
        type: 'case.start',
        channel: CHANNELS[i % CHANNELS.length] as 'visit',
        jurisdiction,
        ...(repeat ? { repeat: true } : {}),
        data: {
          ...scenario.start.data,
          petitioner: { name: '测试' },
          category: CATEGORIES[i % CATEGORIES.length],
          summary: complaint(i, CATEGORIES[i % CATEGORIES.length] as string),
        },
        actor: { id: 'seed', roles: ['receptionist'], jurisdiction },
      },
    });
    const caseId = started.caseId;
    let state = started.state;
    transitions++;
    for (const step of scenario.steps.slice(0, stepsRun)) {
      if (step.advanceTo) {
        // Let this case's own timers fire, as the scheduler would have.
        now = new Date(Math.min(end, shifted(step.advanceTo)));
        state = await fireDue(caseId, state);
        continue;
      }
      const at = shifted(step.at ?? scenario.start.at);
      if (at > end || !step.complete || !step.actor) break;
      now = new Date(at);
      const task = state.tasks.find((t) => t.node === step.complete?.node);
      if (!task) break;
      ({ state } = await store.act(caseId, {
        type: 'task.complete',
        taskId: task.id,
        action: step.complete.action,
        data: step.complete.data ?? {},
        // The scenario's county staff work in this case's county; the city's stay the city's.
        actor: {
          ...step.actor,
          jurisdiction:
            step.actor.jurisdiction === '440781' ? jurisdiction : step.actor.jurisdiction,
        },
      } as never));
      transitions++;
    }
    if (state.status === 'active') {
      // An open case's deadlines have been passing while it waited: fire what is due today.
      now = new Date(end);
      state = await fireDue(caseId, state);
    }
    if (closes && rnd() < 0.7)
      await store.evaluate(caseId, 1 + Math.floor(rnd() * 5), null, 'online');
    if (i % 10_000 === 9_999)
      log(
        `${i + 1} cases, ${transitions} transitions, ${Math.round(transitions / ((performance.now() - t0) / 1000))} transitions/s`,
      );
  }
  await running.close();
  mkdirSync(join(building, 'ready-marker'), { recursive: true });
  rmSync(dir, { recursive: true, force: true });
  renameSync(building, dir);
  renameSync(join(dir, 'ready-marker'), join(dir, 'ready'));
  return { seconds: Math.round((performance.now() - t0) / 100) / 10, transitions };
}
