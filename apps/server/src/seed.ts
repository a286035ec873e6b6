import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { withForms } from '@lianxin/api';
import { type Actor, type CaseState, type Command, SimulatedClock } from '@lianxin/engine';
import { checkFlow } from '@lianxin/spec';
import { type Clock, CommandRejected, Departments, Store, StoreError } from '@lianxin/store';
import { type LoadedFile, readTemplateFolder } from './files';
import { describeError, type Logger } from './log';

/** The one password of every demo account (documented in README and docs/server.md). */
export const DEMO_PASSWORD = 'lianxin-demo';

export const JURISDICTIONS = [
  {
    code: '440000',
    zh: '广东省',
    en: 'Guangdong',
    level: 'province',
    parent: null,
    slug: 'guangdong',
  },
  {
    code: '440700',
    zh: '江门市',
    en: 'Jiangmen',
    level: 'city',
    parent: '440000',
    slug: 'jiangmen',
  },
  {
    code: '440703',
    zh: '蓬江区',
    en: 'Pengjiang',
    level: 'county',
    parent: '440700',
    slug: 'pengjiang',
  },
  {
    code: '440704',
    zh: '江海区',
    en: 'Jianghai',
    level: 'county',
    parent: '440700',
    slug: 'jianghai',
  },
  { code: '440705', zh: '新会区', en: 'Xinhui', level: 'county', parent: '440700', slug: 'xinhui' },
  {
    code: '440781',
    zh: '台山市',
    en: 'Taishan',
    level: 'county',
    parent: '440700',
    slug: 'taishan',
  },
  {
    code: '440783',
    zh: '开平市',
    en: 'Kaiping',
    level: 'county',
    parent: '440700',
    slug: 'kaiping',
  },
  { code: '440784', zh: '鹤山市', en: 'Heshan', level: 'county', parent: '440700', slug: 'heshan' },
  { code: '440785', zh: '恩平市', en: 'Enping', level: 'county', parent: '440700', slug: 'enping' },
] as const;
const COUNTIES = JURISDICTIONS.filter((j) => j.level === 'county');
const SLUG = Object.fromEntries(JURISDICTIONS.map((j) => [j.code, j.slug])) as Record<
  string,
  string
>;

/** Accounts printed by `start` (each county also has the same roles under its own name). */
export const DEMO_ACCOUNTS = [
  { username: 'taishan-admin', role: 'admin', where: '台山市 county admin 县级管理员' },
  { username: 'taishan-receptionist', role: 'receptionist', where: '台山市 信访接待员' },
  {
    username: 'taishan-handler',
    role: 'handler',
    where: '台山市 部门办理人 (department: housing)',
  },
  { username: 'taishan-lawyer', role: 'lawyer', where: '台山市 律师' },
  { username: 'taishan-mediator', role: 'mediator', where: '台山市 调解员' },
  { username: 'taishan-leader', role: 'leader', where: '台山市 领导' },
  { username: 'taishan-supervisor', role: 'supervisor', where: '台山市 督查' },
  { username: 'jiangmen-supervisor', role: 'supervisor', where: '江门市 city supervisor 市级督查' },
  { username: 'jiangmen-admin', role: 'admin', where: '江门市 city admin' },
  { username: 'guangdong-admin', role: 'admin', where: '广东省 provincial team 省级团队' },
] as const;

const BASE_ROLES = ['admin', 'receptionist', 'lawyer', 'mediator', 'leader', 'supervisor'];

/** What the demo accounts are called: 台山市 信访接待员, 台山市住建局 部门办理人, … */
const ROLE_TITLES: Record<string, string> = {
  receptionist: '信访接待员',
  handler: '部门办理人',
  lawyer: '值班律师',
  mediator: '人民调解员',
  socialWorker: '社工',
  leader: '分管领导',
  supervisor: '督查专员',
};
const ADMIN_TITLES: Record<string, string> = {
  province: '省级管理员',
  city: '市级管理员',
  county: '县级管理员',
};

/**
 * The departments every demo county keeps (承办部门 as data): the codes the
 * templates and scenarios dispatch to, and a few bureaus an office has besides.
 * Codes are the ids memberships and flows hold; names are what people read.
 */
export const DEMO_DEPARTMENTS: ReadonlyArray<{ code: string; zh: string; en: string }> = [
  { code: 'housing', zh: '住建局', en: 'Housing and Urban-Rural Development Bureau' },
  { code: 'hrss', zh: '人社局', en: 'Human Resources and Social Security Bureau' },
  { code: 'natres', zh: '自然资源局', en: 'Natural Resources Bureau' },
  { code: 'market', zh: '市场监管局', en: 'Market Regulation Bureau' },
  { code: 'town', zh: '镇街', en: 'Town and Street Offices' },
  { code: 'chenpi', zh: '陈皮行业协会', en: 'Chenpi Trade Association' },
  { code: 'redwood', zh: '红木行业协会', en: 'Redwood Furniture Trade Association' },
  { code: 'lawyer', zh: '律师事务所', en: 'Law Firms' },
  { code: 'psychologist', zh: '心理咨询室', en: 'Psychological Counselling' },
  { code: 'socialWorker', zh: '社工站', en: 'Social Work Station' },
  { code: 'mediator', zh: '人民调解委员会', en: "People's Mediation Committee" },
  { code: 'civil', zh: '民政局', en: 'Civil Affairs Bureau' },
  { code: 'justice', zh: '司法局', en: 'Justice Bureau' },
  { code: 'education', zh: '教育局', en: 'Education Bureau' },
  { code: 'health', zh: '卫生健康局', en: 'Health Commission' },
  { code: 'agriculture', zh: '农业农村局', en: 'Agriculture and Rural Affairs Bureau' },
  { code: 'qiaolian', zh: '侨联', en: 'Federation of Returned Overseas Chinese' },
];

/**
 * A demo account's display name: place, department and role in Chinese. Roles a
 * template defines (导服员, 法院联络员, …) take the template's own name for them.
 */
export function demoDisplayName(
  jurisdiction: string,
  role: string,
  department?: string | null,
  templateRoles: ReadonlyMap<string, string> = new Map(),
): string {
  const place = JURISDICTIONS.find((j) => j.code === jurisdiction);
  const title =
    role === 'admin'
      ? place?.zh.endsWith('区')
        ? '区级管理员'
        : (ADMIN_TITLES[place?.level ?? 'county'] ?? '管理员')
      : (ROLE_TITLES[role] ?? templateRoles.get(role) ?? role);
  const dept = department
    ? (DEMO_DEPARTMENTS.find((d) => d.code === department)?.zh ?? department)
    : '';
  return `${place?.zh ?? jurisdiction}${dept} ${title}`;
}

interface TemplateFolder {
  dir: string;
  manifest: { key: string; version: number; publisher: string; name: { 'zh-CN': string } } & Record<
    string,
    unknown
  >;
  flow: Record<string, unknown>;
  forms: Record<string, unknown>[];
  readme: string;
  scenarios: Scenario[];
  /** The scenario files as the template version keeps them: file name (without `.json`) and script. */
  scripts: { name: string; script: unknown }[];
}

interface Scenario {
  start: {
    at: string;
    channel: string;
    data?: Record<string, unknown>;
    urgency?: string;
    actor?: Partial<Actor>;
  };
  steps: Record<string, unknown>[];
}

/** Every folder under `templates/` with a template.json and flow.json that read cleanly. */
export function loadTemplateFolders(root: string, log: Logger): TemplateFolder[] {
  if (!existsSync(root)) return [];
  const out: TemplateFolder[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!existsSync(join(dir, 'template.json')) || !existsSync(join(dir, 'flow.json'))) continue;
    const files = readTemplateFolder(dir);
    const all = [
      files.flow,
      ...(files.manifest ? [files.manifest] : []),
      ...files.forms,
      ...files.scenarios,
    ];
    const unread = all.find((f) => !f.loaded.ok);
    if (unread && !unread.loaded.ok) {
      log.warn('template folder skipped', {
        folder: name,
        file: unread.file,
        error: unread.loaded.problem.message.en,
      });
      continue;
    }
    const value = (f: LoadedFile) => (f.loaded.ok ? f.loaded.value : undefined);
    const { $schema: _s, ...manifest } = value(files.manifest as LoadedFile) as Record<
      string,
      unknown
    >;
    const { $schema: _f, ...flow } = value(files.flow) as Record<string, unknown>;
    out.push({
      dir,
      manifest: manifest as TemplateFolder['manifest'],
      flow,
      forms: files.forms.map(value) as Record<string, unknown>[],
      readme: files.readme ?? '',
      scenarios: (files.scenarios.map(value) as Scenario[]).filter(
        (s) => s?.start && Array.isArray(s.steps),
      ),
      scripts: files.scenarios.map((f) => ({
        name: basename(f.file, '.json'),
        script: value(f),
      })),
    });
  }
  return out;
}

/**
 * The store's clock while seeding: each case replays its scenario on its own
 * timeline (shifted into the last 90 days), so each gets a fresh engine
 * `SimulatedClock`, which only moves forward.
 */
class SeedClock implements Clock {
  current = new SimulatedClock(0);
  now() {
    return this.current.now();
  }
}

/** A small deterministic generator so every demo database looks alike. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const SURNAMES = ['陈', '李', '黄', '张', '梁', '刘', '伍', '谭', '甄', '关', '邝', '余'];
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

function idCardNumber(county: string, rnd: () => number): string {
  const year = 1950 + Math.floor(rnd() * 50);
  const month = String(1 + Math.floor(rnd() * 12)).padStart(2, '0');
  const day = String(1 + Math.floor(rnd() * 28)).padStart(2, '0');
  const seq = String(Math.floor(rnd() * 1000)).padStart(3, '0');
  const body = `${county}${year}${month}${day}${seq}`;
  const sum = [...body].reduce((acc, d, i) => acc + Number(d) * (ID_WEIGHTS[i] ?? 0), 0);
  return `${body}${ID_CHECK[sum % 11]}`;
}

const STEP_COMMANDS: Record<string, Command['type']> = {
  complete: 'task.complete',
  claim: 'task.claim',
  refuse: 'task.refuse',
  return: 'task.return',
  childComplete: 'child.complete',
  pause: 'clock.pause',
  resume: 'clock.resume',
  requestExtension: 'deadline.requestExtension',
  approveExtension: 'deadline.approveExtension',
  refuseExtension: 'deadline.refuseExtension',
  comment: 'case.comment',
  setUrgency: 'case.setUrgency',
  setLeader: 'case.setLeader',
};

export interface SeedReport {
  jurisdictions: number;
  users: number;
  templates: string[];
  skippedTemplates: string[];
  flows: number;
  cases: number;
  transitions: number;
  refusedSteps: number;
}

/**
 * Demo data: Guangdong → Jiangmen → its seven districts and counties, demo
 * users for every role, every template folder published and adopted by
 * every county, and a few hundred cases driven through the real engine from
 * the templates' own scenarios, spread over the last 90 days.
 */
export async function seedDemo(
  store: Store,
  options: { templatesDir: string; log: Logger; casesPerFlow?: number; seed?: number },
): Promise<SeedReport> {
  const { log } = options;
  const rnd = random(options.seed ?? 20250301);
  const report: SeedReport = {
    jurisdictions: 0,
    users: 0,
    templates: [],
    skippedTemplates: [],
    flows: 0,
    cases: 0,
    transitions: 0,
    refusedSteps: 0,
  };
  log.info('seed: jurisdictions and demo users');
  for (const j of JURISDICTIONS) {
    await store.upsertJurisdiction({
      code: j.code,
      name: { 'zh-CN': j.zh, en: j.en },
      level: j.level,
      parent: j.parent,
    });
    report.jurisdictions++;
  }
  // Each county's departments, so flows and memberships pick from a list (kept if already there).
  const departments = new Departments(store.database, store.clock);
  for (const county of COUNTIES) {
    for (const d of DEMO_DEPARTMENTS) {
      await departments.create({
        jurisdiction: county.code,
        code: d.code,
        name: { 'zh-CN': d.zh, en: d.en },
      });
    }
  }

  // Users are created as the scenarios need them: one per county × role (× department).
  const userIds = new Map<string, string>();
  /** Role names from the templates' flows (filled once they are read), for scenario-only roles. */
  const templateRoles = new Map<string, string>();
  async function user(
    jurisdiction: string,
    role: string,
    department?: string | null,
  ): Promise<string> {
    const username =
      `${SLUG[jurisdiction]}-${role}${department ? `-${department}` : ''}`.toLowerCase();
    const known = userIds.get(username);
    if (known) return known;
    const existing = await store.userByUsername(username);
    const id =
      existing?.id ??
      (
        await store.createUser({
          username,
          displayName: demoDisplayName(jurisdiction, role, department, templateRoles),
          password: DEMO_PASSWORD,
          memberships: [{ jurisdiction, role, department: department ?? null }],
        })
      ).id;
    if (!existing) report.users++;
    userIds.set(username, id);
    return id;
  }
  await user('440000', 'admin');
  await user('440000', 'supervisor');
  await user('440700', 'admin');
  await user('440700', 'supervisor');
  await user('440700', 'leader');
  for (const county of COUNTIES) for (const role of BASE_ROLES) await user(county.code, role);
  // The plain `taishan-handler` account works housing tasks, the department most scenarios use.
  if (!(await store.userByUsername('taishan-handler'))) {
    await store.createUser({
      username: 'taishan-handler',
      displayName: demoDisplayName('440781', 'handler', 'housing'),
      password: DEMO_PASSWORD,
      memberships: [{ jurisdiction: '440781', role: 'handler', department: 'housing' }],
    });
    report.users++;
  }

  // Templates: publish each folder, then adopt and publish it in every county.
  const folders = loadTemplateFolders(options.templatesDir, log);
  for (const folder of folders) {
    const roles = (folder.flow.roles ?? []) as { id: string; name?: { 'zh-CN'?: string } }[];
    for (const r of roles)
      if (r.name?.['zh-CN'] && !templateRoles.has(r.id)) templateRoles.set(r.id, r.name['zh-CN']);
  }
  const adminId = userIds.get('guangdong-admin') ?? null;
  const published: { folder: TemplateFolder; flows: Map<string, string> }[] = [];
  for (const folder of folders) {
    const key = folder.manifest.key;
    try {
      await store.publishTemplate({
        manifest: folder.manifest,
        flow: folder.flow,
        forms: folder.forms,
        readme: folder.readme,
        // Published with its scenarios, so a county previewing it can run them and a bundle carries them.
        scenarios: folder.scripts,
        by: adminId,
      });
      report.templates.push(key);
      published.push({ folder, flows: new Map() });
    } catch (error) {
      report.skippedTemplates.push(key);
      log.warn('template not published', { template: key, ...describeError(error) });
    }
  }
  // Subflow targets first, so callers find them when checked.
  const called = new Set(
    published.flatMap(({ folder }) =>
      ((folder.flow.nodes as { kind?: string; flow?: { key?: string } }[]) ?? [])
        .filter((n) => n.kind === 'subflow')
        .map((n) => n.flow?.key),
    ),
  );
  published.sort(
    (a, b) => Number(called.has(b.folder.manifest.key)) - Number(called.has(a.folder.manifest.key)),
  );
  // A subflow call is checked against the called template's own flow and forms
  // (its start form, channels), as publishing through the API checks it.
  const templateFlows = new Map(
    published.map(({ folder }) => [folder.manifest.key, withForms(folder.flow, folder.forms)]),
  );
  for (const entry of published) {
    const { folder } = entry;
    const key = folder.manifest.key;
    for (const county of COUNTIES) {
      const draft = {
        ...withForms(folder.flow, folder.forms),
        key,
        jurisdiction: county.code,
        extends: { template: key, version: folder.manifest.version },
      };
      const problems = checkFlow(draft, {
        resolveSubflow: (ref) => templateFlows.get(ref.key) ?? false,
      }).filter((p) => p.severity === 'error');
      if (problems.length) {
        log.warn('template flow has errors; not adopted', {
          template: key,
          errors: problems.length,
          first: problems.slice(0, 3).map((p) => `${p.code} ${p.pointer}`),
        });
        if (!report.skippedTemplates.includes(key)) report.skippedTemplates.push(key);
        break;
      }
      const flow = await store.saveDraft({
        jurisdiction: county.code,
        key,
        name: folder.manifest.name,
        draft,
        by: userIds.get(`${county.slug}-admin`) ?? null,
      });
      await store.recordAdoption({
        jurisdiction: county.code,
        templateKey: key,
        templateVersion: folder.manifest.version,
        flowId: flow.id,
        overlay: [],
      });
      if (flow.latestVersion === 0)
        await store.publish(flow.id, userIds.get(`${county.slug}-admin`) ?? null);
      entry.flows.set(county.code, flow.id);
      report.flows++;
    }
    log.info('seed: template adopted by the counties', { template: key, flows: report.flows });
  }

  // Cases: replay a random prefix of a template scenario, shifted into the last 90 days.
  const clock = new SeedClock();
  const seeding = new Store(store.database, store.vault, clock);
  const realNow = Date.now();
  const phones: string[] = [];
  const perFlow = options.casesPerFlow ?? 5;
  /** Moves time to `until`, firing what falls due on the way as the scheduler would, in due order. */
  async function fireDue(until: number) {
    await clock.current.advanceAsync(new Date(until), {
      next: async (untilMs) => {
        const due = await seeding.nextTimerDueMs();
        return due !== undefined && due <= untilMs ? { dueMs: due } : undefined;
      },
      fire: async () => {
        const claimed = await seeding.claimDueTimers('seed', 500, 1);
        for (const timer of claimed) {
          try {
            if ((await seeding.fireTimer(timer)) === 'fired') report.transitions++;
          } catch {
            report.refusedSteps++;
          }
        }
        // A timer that keeps failing stays claimed for a moment: stop rather than spin.
        return claimed.length > 0;
      },
    });
    clock.current.advance(new Date(until));
  }
  const actorFor = async (county: string, raw: Partial<Actor> | undefined): Promise<Actor> => {
    const role = raw?.roles?.[0] ?? 'receptionist';
    const id = await user(county, role, raw?.department ?? null);
    return {
      id,
      roles: raw?.roles ?? [role],
      jurisdiction: county,
      ...(raw?.department ? { department: raw.department } : {}),
      ...(raw?.groups ? { groups: raw.groups } : {}),
    };
  };

  /**
   * What a county office does beside the scenario: at registration a leader gives
   * most untriaged cases their colour, and later, now and then a supervisor issues a 督办 order that the
   * department answers, or lets run past its deadline.
   */
  async function triageAndSupervise(
    caseId: string,
    county: string,
    stage: 'registered' | 'worked',
  ) {
    const attempt = async (command: Command) => {
      try {
        await seeding.act(caseId, command);
        report.transitions++;
        return true;
      } catch (error) {
        if (!(error instanceof CommandRejected) && !(error instanceof StoreError)) throw error;
        report.refusedSteps++;
        return false;
      }
    };
    let row = await seeding.caseRow(caseId);
    if (row?.status !== 'active') return;
    if (stage === 'registered') {
      if (!row.state.urgency && rnd() < 0.85) {
        const urgency = COLOURS[Math.floor(rnd() * COLOURS.length)] as (typeof COLOURS)[number];
        await attempt({
          type: 'case.setUrgency',
          urgency,
          actor: await actorFor(county, { roles: ['leader'] }),
        });
      }
      return;
    }
    if (rnd() >= 0.2) return;
    const now = clock.now().getTime();
    const issued = await attempt({
      type: 'case.supervise',
      reason: SUPERVISION_REASONS[Math.floor(rnd() * SUPERVISION_REASONS.length)] as string,
      deadline: new Date(now + (2 + Math.floor(rnd() * 7)) * 86_400_000).toISOString(),
      to: { kind: 'assignees' },
      actor: await actorFor(rnd() < 0.5 ? county : '440700', { roles: ['supervisor'] }),
    });
    row = await seeding.caseRow(caseId);
    const order = row?.state.supervisions?.at(-1);
    const task = row?.state.tasks.find((t) => SLUG[t.candidates.jurisdiction] !== undefined);
    if (!issued || !order || !task || rnd() < 0.4) return;
    const answerAt = Math.min(now + Math.floor(rnd() * 5 * 86_400_000), realNow);
    await fireDue(answerAt);
    const c = task.candidates;
    await attempt({
      type: 'case.answerSupervision',
      supervisionId: order.id,
      text: SUPERVISION_ANSWERS[Math.floor(rnd() * SUPERVISION_ANSWERS.length)] as string,
      actor: {
        ...(await actorFor(c.jurisdiction, {
          roles: [c.role],
          ...(c.department ? { department: c.department } : {}),
          ...(c.group ? { groups: [c.group] } : {}),
        })),
        ...(task.assignee ? { id: task.assignee } : {}),
      },
    });
  }

  for (const { folder, flows } of published) {
    if (!folder.scenarios.length) continue;
    log.info('seed: cases', { template: folder.manifest.key, casesSoFar: report.cases });
    for (const county of COUNTIES) {
      const flowId = flows.get(county.code);
      if (!flowId) continue;
      for (let n = 0; n < perFlow; n++) {
        const scenario = folder.scenarios[Math.floor(rnd() * folder.scenarios.length)] as Scenario;
        const startAt = Date.parse(scenario.start.at);
        const full = rnd() < 0.7;
        // Most cases run their whole scenario (replies, return visits, ratings); the rest stop
        // part-way and are still open, some of them overdue by now.
        const stepsToRun = full ? scenario.steps.length : Math.floor(rnd() * scenario.steps.length);
        // A whole scenario ends before today, somewhere in the last 90 days; one stopped
        // part-way started within the last 15 days (some of those are overdue by now).
        const span = Math.max(0, scenarioEnd(scenario) - startAt);
        const shift = full
          ? realNow -
            span -
            Math.floor(rnd() * Math.max(86_400_000, 90 * 86_400_000 - span)) -
            startAt
          : realNow - Math.floor(rnd() * 15 * 86_400_000) - startAt;
        clock.current = new SimulatedClock(startAt + shift);
        const repeat = phones.length > 0 && rnd() < 0.12;
        const phone = repeat
          ? (phones[Math.floor(rnd() * phones.length)] as string)
          : `13${Math.floor(100000000 + rnd() * 899999999)}`;
        phones.push(phone);
        const petitionerId = await seeding.createPetitioner({
          jurisdiction: county.code,
          name: `${SURNAMES[Math.floor(rnd() * SURNAMES.length)]}某`,
          phone,
          idCard: idCardNumber(county.code, rnd),
        });
        const data = structuredClone(scenario.start.data ?? {});
        // Registered with a category when the registration form has one (类别 on the dashboard).
        const categories = categoriesOf(folder);
        if (categories.length && data.category === undefined)
          data.category = categories[Math.floor(rnd() * categories.length)];
        let caseId: string;
        try {
          const started = await seeding.startCase({
            flowId,
            version: 1,
            petitionerId,
            command: {
              type: 'case.start',
              channel: scenario.start.channel as 'visit',
              data,
              jurisdiction: county.code,
              repeat,
              petitioner: petitionerId,
              ...(scenario.start.urgency ? { urgency: scenario.start.urgency as 'red' } : {}),
              actor: await actorFor(county.code, scenario.start.actor),
            },
          });
          caseId = started.caseId;
          report.cases++;
          report.transitions++;
          await triageAndSupervise(caseId, county.code, 'registered');
        } catch (error) {
          report.refusedSteps++;
          log.debug('seed case not started', {
            template: folder.manifest.key,
            ...describeError(error),
          });
          continue;
        }
        for (const step of scenario.steps.slice(0, stepsToRun)) {
          const at = typeof step.at === 'string' ? Date.parse(step.at) + shift : undefined;
          const advance =
            typeof step.advanceTo === 'string' ? Date.parse(step.advanceTo) + shift : undefined;
          const target = advance ?? at;
          if (target !== undefined) {
            if (target > realNow) break;
            await fireDue(target);
          }
          if (advance !== undefined) continue;
          const name = Object.keys(step).find((k) => k in STEP_COMMANDS);
          if (!name) break;
          const row = await seeding.caseRow(caseId);
          if (row?.status !== 'active') break;
          const command = await stepCommand(
            STEP_COMMANDS[name] as Command['type'],
            step[name] as Record<string, unknown>,
            row.state,
            await actorFor(county.code, step.actor as Partial<Actor> | undefined),
          );
          try {
            await seeding.act(caseId, command);
            report.transitions++;
          } catch (error) {
            if (!(error instanceof CommandRejected) && !(error instanceof StoreError)) throw error;
            report.refusedSteps++;
            break;
          }
        }
        await triageAndSupervise(caseId, county.code, 'worked');
        const row = await seeding.caseRow(caseId);
        if (row?.status === 'closed' && rnd() < 0.7) {
          await seeding.evaluate(
            caseId,
            rnd() < 0.85 ? 5 - Math.floor(rnd() * 2) : 2 + Math.floor(rnd() * 2),
            null,
            'seed',
          );
        }
      }
    }
  }
  // Whatever fell due up to now fires, as the scheduler would have done.
  await fireDue(realNow);
  log.info('demo data seeded', { ...report });
  return report;
}

const COLOURS = ['red', 'yellow', 'yellow', 'blue', 'blue', 'blue', 'green', 'green'] as const;
const SUPERVISION_REASONS = [
  '信访人多次来电催问，请加快办理',
  '群众反映强烈，请于期限内办结并反馈',
  '涉及群体利益，请主要负责人亲自督办',
  '市信访局交办件，请按期报送办理结果',
];
const SUPERVISION_ANSWERS = [
  '已约谈相关单位负责人，正在落实整改',
  '已现场核查，拟于本周内书面答复信访人',
  '已召开协调会，问题基本解决',
];

/** When a scenario's last timed step happens (its start when none is timed). */
function scenarioEnd(scenario: Scenario): number {
  let end = Date.parse(scenario.start.at);
  for (const step of scenario.steps)
    for (const key of ['at', 'advanceTo'] as const) {
      const at = typeof step[key] === 'string' ? Date.parse(step[key] as string) : Number.NaN;
      if (at > end) end = at;
    }
  return end;
}

/** The categories the flow's registration form offers (its `category` field's enum), if any. */
function categoriesOf(folder: TemplateFolder): string[] {
  const start = (folder.flow.nodes as { kind?: string; form?: string }[] | undefined)?.find(
    (n) => n.kind === 'start',
  );
  const form = folder.forms.find((f) => f.id === start?.form) as
    | { schema?: { properties?: { category?: { enum?: unknown[] } } } }
    | undefined;
  const values = form?.schema?.properties?.category?.enum ?? [];
  return values.filter((v): v is string => typeof v === 'string');
}

async function stepCommand(
  type: Command['type'],
  body: Record<string, unknown>,
  state: CaseState,
  actor: Actor,
): Promise<Command> {
  const { node, item, ...payload } = body ?? {};
  const command: Record<string, unknown> = { ...payload, type, actor };
  if (typeof node === 'string' && type.startsWith('task.')) {
    const task = state.tasks.find(
      (t) => t.node === node && (item === undefined || t.item?.index === item),
    );
    command.taskId = task?.id ?? 'missing';
  }
  if (type === 'child.complete' && command.childId === undefined) {
    command.childId = state.children.find((c) => c.node === node)?.id ?? 'missing';
  }
  if (
    (type === 'deadline.approveExtension' || type === 'deadline.refuseExtension') &&
    command.requestId === undefined
  ) {
    command.requestId = Object.keys(state.extensionRequests)[0] ?? '';
  }
  return command as unknown as Command;
}
