import {
  CLOCK_STOPPED_WHILE_PAUSED,
  type FlowDefinition,
  type FormDefinition,
  type Lang,
  localize,
} from '@lianxin/spec';
import { tr } from '../../../i18n';
import { type CaseView, pick } from '../api';
import { departmentLabel, departmentText } from '../departments';
import {
  CATEGORY_NAMES,
  CHANNEL_NAMES,
  fmt,
  name,
  OUTCOME_NAMES,
  type Pair,
  ROLE_NAMES,
  URGENCY,
} from '../words';

export type CaseEvent = CaseView['timeline'][number];
export type CaseUsers = CaseView['users'];
type EventOf<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;
type OpenedTask = EventOf<'task.opened'>['task'];
type Clock = EventOf<'clock.started'>['clock'];

/** The parts of a JSON Schema property the case page reads. */
export interface SchemaProp {
  title?: unknown;
  enum?: unknown[];
  oneOf?: { const?: unknown; title?: unknown }[];
  anyOf?: { const?: unknown; title?: unknown }[];
  items?: SchemaProp;
  'x-sensitive'?: unknown;
}
type Ui = { 'ui:enumNames'?: unknown[]; 'ui:widget'?: unknown; items?: Ui } | undefined;

/** A form's or the case schema's property `key`. */
export function schemaProp(schema: unknown, key: string): SchemaProp | undefined {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const p = props?.[key];
  return p && typeof p === 'object' ? (p as SchemaProp) : undefined;
}
const uiOf = (form: FormDefinition | undefined, key: string): Ui =>
  (form?.uiSchema?.[key] as Ui) ?? undefined;

/** A step by its name in the flow; never its id (a step the flow no longer has, or an unnamed one, says so). */
export const nodeName = (definition: FlowDefinition | undefined, id: string, lang: Lang) =>
  pick(definition?.nodes.find((n) => n.id === id)?.name, lang) ||
  tr(lang, '未命名的环节', 'an unnamed step');

/** 台山接访员 李敏（接访员）: a user's display name and, where the reader may see it, role. */
export function userLabel(
  id: string | null | undefined,
  users: CaseUsers,
  definition: FlowDefinition | undefined,
  lang: Lang,
): string {
  if (!id) return '';
  if (id === 'system') return tr(lang, '系统', 'System');
  // Photos the petitioner attached on the public intake page (see apps/server intake-photos.ts).
  if (id === 'petitioner') return tr(lang, '信访人（网上提交）', 'The petitioner (online)');
  const u = users[id];
  if (!u) return tr(lang, '其他人员', 'someone else');
  const roles = [...new Set(u.roles.map((r) => roleName(r.role, definition, lang)))];
  if (!roles.length) return u.displayName;
  return tr(
    lang,
    `${u.displayName}（${roles.join('、')}）`,
    `${u.displayName} (${roles.join(', ')})`,
  );
}

/** The flow's own name for a role (导服员, 值班律师…), else the standard one. */
export function roleName(role: string, definition: FlowDefinition | undefined, lang: Lang): string {
  const own = definition?.roles.find((r) => r.id === role);
  return own ? pick(own.name, lang) : name(ROLE_NAMES, role, lang);
}

/** P30D → 30 天, P2W → 2 周, PT12H → 12 小时 (ISO 8601 durations as the flows write them). */
export function durationText(iso: string, lang: Lang): string {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$/.exec(iso);
  if (!m) return iso;
  const units: [string | undefined, string, string][] = [
    [m[1], '年', 'y'],
    [m[2], '个月', 'mo'],
    [m[3], '周', 'w'],
    [m[4], '天', 'd'],
    [m[5], '小时', 'h'],
    [m[6], '分钟', 'min'],
  ];
  return units
    .filter(([n]) => n && n !== '0')
    .map(([n, zh, en]) => tr(lang, `${n} ${zh}`, `${n} ${en}`))
    .join(' ');
}

/** A field's title in the form or the case schema, else its key. */
export function fieldTitle(
  key: string,
  form: FormDefinition | undefined,
  definition: FlowDefinition | undefined,
  lang: Lang,
): string {
  const prop = schemaProp(form?.schema, key) ?? schemaProp(definition?.dataSchema, key);
  if (prop?.title) return pick(prop.title, lang) || key;
  // A field the case schema names but titles only in one of the flow's forms.
  for (const f of definition?.forms ?? []) {
    const t = schemaProp(f.schema, key)?.title;
    if (t) return pick(t, lang);
  }
  return key;
}

/** A field's title and its value in words, from the form (enum names, yes/no) or the case schema. */
export function fieldText(
  key: string,
  value: unknown,
  form: FormDefinition | undefined,
  definition: FlowDefinition | undefined,
  lang: Lang,
): string {
  return `${fieldTitle(key, form, definition, lang)}：${valueText(key, value, form, definition, lang) || '—'}`;
}

/** Case data fields whose codes have common names when the flow's forms give none. */
const KNOWN_CODES: Record<string, Record<string, Pair>> = {
  category: CATEGORY_NAMES,
};
/** Case data fields that hold department codes, named from the departments list (departments.ts). */
const DEPARTMENT_KEYS = new Set(['department', 'departments', 'leadDepartment', 'services']);

/**
 * A case data value in words: enum names from the form that offers the choice
 * (劳动社保, not `labour`), yes/no, the strings of an object; at most 80 characters.
 */
export function valueText(
  key: string,
  value: unknown,
  form: FormDefinition | undefined,
  definition: FlowDefinition | undefined,
  lang: Lang,
  max = 80,
): string {
  const chooser =
    schemaProp(form?.schema, key) !== undefined
      ? form
      : (definition?.forms ?? []).find((f) => schemaProp(f.schema, key)?.enum && uiOf(f, key));
  const prop = schemaProp(chooser?.schema, key) ?? schemaProp(definition?.dataSchema, key);
  const ui = uiOf(chooser, key);
  const isDepartment = DEPARTMENT_KEYS.has(key) || ui?.['ui:widget'] === 'department';
  const one = (v: unknown, p: SchemaProp | undefined, u: Ui): string => {
    if (typeof v === 'boolean') return tr(lang, v ? '是' : '否', v ? 'yes' : 'no');
    // A department by the name its county keeps for it (English too), before the flow's words.
    if (isDepartment && typeof v === 'string') return departmentName(v, definition, lang);
    const names = u?.['ui:enumNames'];
    if (p?.enum && Array.isArray(names)) {
      const i = p.enum.indexOf(v);
      if (i >= 0 && names[i]) return String(names[i]);
    }
    const option = (p?.oneOf ?? p?.anyOf)?.find((o) => o?.const === v);
    if (option?.title) return pick(option.title, lang);
    // A code the flow gives no words for, of a kind every office knows (劳动社保, 住房和城乡建设局).
    const known = KNOWN_CODES[key];
    if (known && typeof v === 'string' && known[v]) return name(known, v, lang);
    if (v && typeof v === 'object')
      return Object.values(v as Record<string, unknown>)
        .filter((x) => typeof x === 'string' || typeof x === 'number')
        .join(' ');
    return String(v ?? '');
  };
  const text = Array.isArray(value)
    ? value.map((v) => one(v, prop?.items, ui?.items)).join('、')
    : one(value, prop, ui);
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/**
 * A department by name: as the departments list keeps it (departments.ts),
 * else the flow's own words for it (the enum names of the list it iterates;
 * in English only a title the flow gives in English), else that it is on no list.
 */
/** A form field that holds a department (or a list of them): 承办部门, 主办部门, 协办部门. */
function isDepartmentField(key: string, ui: { 'ui:widget'?: unknown } | undefined): boolean {
  return /department/i.test(key) || ui?.['ui:widget'] === 'department';
}

export function departmentName(
  value: unknown,
  definition: FlowDefinition | undefined,
  lang: Lang,
  /** Whose list to read first (a case's jurisdiction, an order's addressee). */
  jurisdiction?: string | null,
): string {
  const code = String(value);
  const kept = departmentLabel(code, lang, jurisdiction);
  if (kept) return kept;
  for (const f of definition?.forms ?? [])
    for (const [key, raw] of Object.entries(
      (f.schema as { properties?: Record<string, SchemaProp> }).properties ?? {},
    )) {
      // Only fields that hold departments: a category's 城乡建设 (housing) is no department's name.
      if (!isDepartmentField(key, uiOf(f, key))) continue;
      const items = raw?.items;
      const names = uiOf(f, key)?.items?.['ui:enumNames'] ?? uiOf(f, key)?.['ui:enumNames'];
      const list = items?.enum ?? raw?.enum;
      const i = list?.indexOf(code) ?? -1;
      if (lang !== 'en' && i >= 0 && Array.isArray(names) && names[i]) return String(names[i]);
      const option = (items?.oneOf ?? items?.anyOf)?.find((o) => o?.const === code);
      const title = option?.title as { en?: string } | string | undefined;
      if (title && (lang !== 'en' || (typeof title === 'object' && title.en)))
        return pick(title, lang);
    }
  return departmentText(code, lang);
}

export interface TimelineLine {
  /** What happened, in words. */
  what: string;
  /** What changed: the fields filled, from → to, the new deadline… */
  details: string[];
  colour: 'blue' | 'green' | 'red' | 'gray' | 'orange';
}

/** The case's title and summary fields, as its flow declares them (`caseTitle`, `caseSummary`). */
export function complaintFields(definition: FlowDefinition | undefined): {
  title?: string;
  summary?: string;
} {
  return {
    ...(definition?.caseTitle ? { title: definition.caseTitle } : {}),
    ...(definition?.caseSummary ? { summary: definition.caseSummary } : {}),
  };
}

/**
 * Every event in words, or null for bookkeeping nobody needs to read (tokens,
 * timers, data merges that a completed step already shows).
 */
export function describeEvents(
  timeline: readonly CaseEvent[],
  definition: FlowDefinition | undefined,
  users: CaseUsers,
  lang: Lang,
  /** Jurisdiction names by code, as `jurisdictions.list` gives them. */
  places: Readonly<Record<string, unknown>> = {},
): (TimelineLine | null)[] {
  const placeName = (code: string) =>
    pick(places[code], lang) || tr(lang, '上级机关', 'the level above');
  const tasks = new Map<string, OpenedTask>();
  const clocks = new Map<string, Partial<Clock>>();
  const requests = new Map<string, EventOf<'extension.requested'>['request']>();
  let urgency: string | null = null;
  const forms = definition?.forms ?? [];
  const who = (id: string) => userLabel(id, users, definition, lang);
  const taskName = (taskId: string) => {
    const t = tasks.get(taskId);
    if (!t) return tr(lang, '环节', 'step');
    const item = t.item ? `（${departmentName(t.item.value, definition, lang)}）` : '';
    return `${pick(t.name, lang)}${item}`;
  };
  const clockName = (id: string) => pick(clocks.get(id)?.name, lang) || id;
  /** What an extension is of: a task's own deadline (its name, its department) or a clock. */
  const extended = (x: { clockId: string; taskId?: string }) => {
    const task = x.taskId ? tasks.get(x.taskId) : undefined;
    if (!task) return clockName(x.clockId);
    const dept = task.item ? departmentName(task.item.value, definition, lang) : '';
    return `${pick(task.name, lang)}${dept ? tr(lang, `（${dept}）`, ` (${dept})`) : ''}`;
  };
  const colour = (u: string | null) => {
    const c = u ? URGENCY[u] : undefined;
    return c ? tr(lang, `${c.name[0]}色`, c.name[1]) : tr(lang, '未定色', 'none');
  };
  const line = (
    what: string,
    details: string[] = [],
    c: TimelineLine['colour'] = 'blue',
  ): TimelineLine => ({ what, details, colour: c });
  const { title: titleKey, summary: summaryKey } = complaintFields(definition);
  const startForm = forms.find(
    (f) => f.id === definition?.nodes.find((n) => n.kind === 'start')?.form,
  );
  return timeline.map((e): TimelineLine | null => {
    switch (e.type) {
      case 'case.started': {
        urgency = e.urgency ?? null;
        const d: string[] = [];
        if (e.by) d.push(tr(lang, `登记人：${who(e.by)}`, `Registered by: ${who(e.by)}`));
        else if (e.channel === 'online')
          d.push(tr(lang, '信访人网上提交', 'Submitted online by the petitioner'));
        d.push(tr(lang, '渠道：', 'Channel: ') + name(CHANNEL_NAMES, e.channel, lang));
        // What was asked, in the flow's words: title, category, and the other registered fields.
        const shown = new Set<string>();
        for (const key of [titleKey, 'category', summaryKey]) {
          if (!key || shown.has(key)) continue;
          shown.add(key);
          const v = e.data[key];
          if (v === undefined || v === '' || v === null) continue;
          d.push(fieldText(key, v, startForm, definition, lang));
        }
        if (e.urgency)
          d.push(tr(lang, `预警颜色：${colour(e.urgency)}`, `Colour: ${colour(e.urgency)}`));
        if (e.repeat) d.push(tr(lang, '疑似重信重访', 'Possible repeat petition'));
        return line(tr(lang, '登记信访事项', 'Case registered'), d);
      }
      case 'task.opened':
        tasks.set(e.task.id, e.task);
        return line(
          tr(lang, `进入环节：${taskName(e.task.id)}`, `Step opened: ${taskName(e.task.id)}`),
          e.task.due ? [tr(lang, `办理期限至 ${fmt(e.task.due)}`, `Due ${fmt(e.task.due)}`)] : [],
          'gray',
        );
      case 'task.claimed':
        return line(tr(lang, `签收：${taskName(e.taskId)}`, `Claimed: ${taskName(e.taskId)}`));
      case 'task.released':
        return line(
          tr(lang, `放弃签收：${taskName(e.taskId)}`, `Released: ${taskName(e.taskId)}`),
          [],
          'gray',
        );
      case 'task.reassigned':
        return line(tr(lang, `改派：${taskName(e.taskId)}`, `Reassigned: ${taskName(e.taskId)}`), [
          tr(lang, `改由 ${who(e.to)} 办理`, `now with ${who(e.to)}`),
        ]);
      case 'task.delegated':
        return line(tr(lang, `委托：${taskName(e.taskId)}`, `Delegated: ${taskName(e.taskId)}`), [
          tr(lang, `委托 ${who(e.to)} 办理`, `to ${who(e.to)}`),
        ]);
      case 'task.completed': {
        const task = tasks.get(e.taskId);
        const edge = definition?.edges.find((x) => x.id === e.edge);
        const edgeForm = edge && 'form' in edge ? (edge.form as string | undefined) : undefined;
        const action = pick(edge && 'label' in edge ? edge.label : undefined, lang) || e.action;
        const form =
          forms.find((f) => edgeForm && f.id === edgeForm) ??
          forms.find((f) => f.id === task?.form);
        const fields = Object.entries(e.data ?? {})
          .filter(([, v]) => v !== undefined && v !== '')
          .map(([k, v]) => fieldText(k, v, form, definition, lang));
        return line(
          tr(
            lang,
            `完成：${taskName(e.taskId)} · ${action}`,
            `Done: ${taskName(e.taskId)} · ${action}`,
          ),
          fields,
          'green',
        );
      }
      case 'task.returned':
        return line(
          tr(
            lang,
            `退回：${taskName(e.taskId)} → ${nodeName(definition, e.to, lang)}`,
            `Returned: ${taskName(e.taskId)} → ${nodeName(definition, e.to, lang)}`,
          ),
          [tr(lang, `理由：${e.reason}`, `Reason: ${e.reason}`)],
          'orange',
        );
      case 'task.refused':
        return line(
          tr(lang, `拒签：${taskName(e.taskId)}`, `Refused: ${taskName(e.taskId)}`),
          [
            tr(lang, `理由：${e.reason}`, `Reason: ${e.reason}`),
            e.redispatch
              ? tr(
                  lang,
                  '只退回本部门这一份，待重新分派；其他部门继续办理',
                  'only this share goes back for re-dispatch; the other departments keep working',
                )
              : tr(
                  lang,
                  `退回“${nodeName(definition, e.backTo, lang)}”重新办理`,
                  `back to "${nodeName(definition, e.backTo, lang)}"`,
                ),
          ],
          'orange',
        );
      case 'task.redispatched': {
        const t = tasks.get(e.taskId);
        const step = t ? nodeName(definition, t.node, lang) : tr(lang, '环节', 'step');
        const dept = t?.item ? departmentName(t.item.value, definition, lang) : '';
        return line(
          tr(
            lang,
            `重新分派：${step}${dept ? `（${dept}拒签的一份）` : ''}`,
            `Re-dispatched: ${step}${dept ? ` (the share ${dept} refused)` : ''}`,
          ),
          Object.entries(e.data).map(([k, v]) => fieldText(k, v, undefined, definition, lang)),
          'blue',
        );
      }
      case 'task.cancelled':
        return e.reason === 'ended'
          ? null
          : line(
              tr(lang, `环节取消：${taskName(e.taskId)}`, `Step cancelled: ${taskName(e.taskId)}`),
              [],
              'gray',
            );
      case 'task.dueSoon':
        return line(
          tr(lang, `即将到期：${taskName(e.taskId)}`, `Due soon: ${taskName(e.taskId)}`),
          [],
          'orange',
        );
      case 'task.overdue':
        return line(
          tr(lang, `已超期：${taskName(e.taskId)}`, `Overdue: ${taskName(e.taskId)}`),
          [],
          'red',
        );
      case 'task.dueChanged': {
        // A step bound to a statutory clock moves with it (extension, resume).
        const task = tasks.get(e.taskId);
        if (task) tasks.set(e.taskId, { ...task, due: e.due });
        if (e.reason === 'calendar')
          return line(
            tr(
              lang,
              `期限随工作日历调整：${taskName(e.taskId)}`,
              `Deadline moved with the calendar: ${taskName(e.taskId)}`,
            ),
            [
              task?.due
                ? tr(
                    lang,
                    `由 ${fmt(task.due)} 改为 ${fmt(e.due)}`,
                    `${fmt(task.due)} → ${fmt(e.due)}`,
                  )
                : tr(lang, `现至 ${fmt(e.due)}`, `now due ${fmt(e.due)}`),
            ],
            'blue',
          );
        return line(
          tr(
            lang,
            `期限随法定时限调整：${taskName(e.taskId)}`,
            `Deadline moved with its clock: ${taskName(e.taskId)}`,
          ),
          [tr(lang, `现至 ${fmt(e.due)}`, `now due ${fmt(e.due)}`)],
          'gray',
        );
      }
      case 'data.set': {
        // The lead's merged reply of joint handling (joint.merged): who merged whose contributions.
        const joint = definition?.nodes.find(
          (n) => n.kind === 'multiTask' && n.joint?.merged === e.var,
        );
        if (joint && e.value && typeof e.value === 'object') {
          const m = e.value as { department?: unknown; contributions?: { department?: unknown }[] };
          const names = (m.contributions ?? []).map((c) =>
            departmentName(c.department, definition, lang),
          );
          return line(
            tr(
              lang,
              `合并答复：主办 ${departmentName(m.department, definition, lang)}`,
              `Merged reply by the lead, ${departmentName(m.department, definition, lang)}`,
            ),
            names.length
              ? [
                  tr(
                    lang,
                    `汇总协办意见：${names.join('、')}`,
                    `Contributions of ${names.join(', ')}`,
                  ),
                ]
              : [],
            'green',
          );
        }
        return line(tr(lang, '自动设置', 'Set automatically'), [
          fieldText(e.var, e.value, undefined, definition, lang),
        ]);
      }
      case 'firstHandler.set':
        return line(tr(lang, '确定首办责任人', 'First handler set'), [who(e.userId)], 'gray');
      case 'clock.started':
        clocks.set(e.clock.id, e.clock);
        return line(
          tr(
            lang,
            `开始计时：${pick(e.clock.name, lang)}`,
            `Clock started: ${pick(e.clock.name, lang)}`,
          ),
          [tr(lang, `期限至 ${fmt(e.clock.due)}`, `due ${fmt(e.clock.due)}`)],
          'gray',
        );
      case 'clock.stopped':
        return line(
          tr(lang, `时限完成：${clockName(e.clockId)}`, `Clock stopped: ${clockName(e.clockId)}`),
          [],
          'gray',
        );
      case 'clock.dueSoon':
        return line(
          tr(
            lang,
            `时限即将到期：${clockName(e.clockId)}`,
            `Deadline soon: ${clockName(e.clockId)}`,
          ),
          [],
          'orange',
        );
      case 'clock.overdue':
        return line(
          tr(
            lang,
            `法定时限超期：${clockName(e.clockId)}`,
            `Deadline missed: ${clockName(e.clockId)}`,
          ),
          [],
          'red',
        );
      case 'clock.paused': {
        // A pause step (e.step) stops the clock by the flow's rule; a leader's pause has a reason.
        const step = e.step !== undefined ? nodeName(definition, e.step, lang) : undefined;
        return line(
          tr(lang, `暂停计时：${clockName(e.clockId)}`, `Clock paused: ${clockName(e.clockId)}`),
          [
            step !== undefined
              ? tr(
                  lang,
                  `进入“${step}”，期限暂停：在这一步的时间不计入期限`,
                  `The case entered "${step}": the time there is not counted`,
                )
              : tr(lang, `理由：${e.reason}`, `Reason: ${e.reason}`),
          ],
          'orange',
        );
      }
      case 'clock.resumed': {
        const step = e.step !== undefined ? nodeName(definition, e.step, lang) : undefined;
        const before = clocks.get(e.clockId)?.due;
        clocks.set(e.clockId, { ...clocks.get(e.clockId), due: e.due });
        return line(
          tr(lang, `恢复计时：${clockName(e.clockId)}`, `Clock resumed: ${clockName(e.clockId)}`),
          [
            ...(step !== undefined ? [tr(lang, `离开“${step}”`, `The case left "${step}"`)] : []),
            // The engine's own words when the clock stopped while standing still; else the
            // reason a leader gave, in their words.
            ...(step !== undefined
              ? []
              : e.stopping
                ? [localize(CLOCK_STOPPED_WHILE_PAUSED, lang)]
                : e.reason
                  ? [tr(lang, `说明：${e.reason}`, `Note: ${e.reason}`)]
                  : []),
            before === e.due
              ? clocks.get(e.clockId)?.calendar === 'workingDays'
                ? tr(
                    lang,
                    `期限仍为 ${fmt(e.due)}（暂停期间不足一个工作日，不顺延）`,
                    `still due ${fmt(e.due)} (paused less than a working day: not moved)`,
                  )
                : tr(
                    lang,
                    `期限仍为 ${fmt(e.due)}（暂停不足一日，不顺延）`,
                    `still due ${fmt(e.due)} (paused less than a day: not moved)`,
                  )
              : tr(lang, `期限顺延至 ${fmt(e.due)}`, `now due ${fmt(e.due)}`),
          ],
        );
      }
      case 'extension.requested':
        requests.set(e.request.id, e.request);
        return line(
          tr(
            lang,
            `申请延期：${extended(e.request)} 延长 ${durationText(e.request.duration, lang)}`,
            `Extension requested: ${extended(e.request)} by ${durationText(e.request.duration, lang)}`,
          ),
          [tr(lang, `理由：${e.request.reason}`, `Reason: ${e.request.reason}`)],
          'orange',
        );
      case 'extension.approved': {
        // A task's own deadline (a department's share), or a statutory clock.
        const task = e.taskId ? tasks.get(e.taskId) : undefined;
        const before = task ? task.due : clocks.get(e.clockId)?.due;
        if (task && e.taskId) tasks.set(e.taskId, { ...task, due: e.due });
        else clocks.set(e.clockId, { ...clocks.get(e.clockId), due: e.due });
        return line(
          tr(lang, `批准延期：${extended(e)}`, `Extension approved: ${extended(e)}`),
          [
            before
              ? tr(
                  lang,
                  `期限由 ${fmt(before)} 延至 ${fmt(e.due)}`,
                  `due ${fmt(before)} → ${fmt(e.due)}`,
                )
              : tr(lang, `期限延至 ${fmt(e.due)}`, `now due ${fmt(e.due)}`),
          ],
          'green',
        );
      }
      case 'extension.refused': {
        const r = requests.get(e.requestId);
        return line(
          tr(
            lang,
            `不批准延期${r ? `：${extended(r)}` : ''}`,
            `Extension refused${r ? `: ${extended(r)}` : ''}`,
          ),
          [tr(lang, `理由：${e.reason}`, `Reason: ${e.reason}`)],
          'orange',
        );
      }
      case 'clock.dueChanged':
        clocks.set(e.clockId, { ...clocks.get(e.clockId), due: e.due });
        return line(
          tr(
            lang,
            `法定时限随工作日历调整：${clockName(e.clockId)}`,
            `Statutory deadline moved with the calendar: ${clockName(e.clockId)}`,
          ),
          [tr(lang, `由 ${fmt(e.from)} 改为 ${fmt(e.due)}`, `${fmt(e.from)} → ${fmt(e.due)}`)],
          'blue',
        );
      case 'calendar.provisional':
        return line(
          tr(lang, '期限按临时日历推算', 'Deadline counted on a provisional calendar'),
          [pick(e.flag.message, lang)],
          'orange',
        );
      case 'calendar.flagCleared':
        return line(
          tr(lang, '期限已按正式放假安排计算', 'Deadline now counted on the official arrangement'),
          [],
          'green',
        );
      case 'calendar.beyondCoverage':
        return line(
          tr(
            lang,
            '期限超出节假日数据的覆盖年份，请人工核对',
            'Deadline beyond the years of the holiday data: check it by hand',
          ),
          [],
          'orange',
        );
      case 'comment.added':
        return line(tr(lang, '批注', 'Comment'), [e.text]);
      case 'attachment.added':
        return line(tr(lang, '上传附件', 'Attachment uploaded'), [e.name ?? e.ref]);
      case 'leaderOwner.set':
        return line(tr(lang, '设定包案领导', 'Leader owner set'), [who(e.userId)]);
      case 'urgency.set': {
        const from = urgency;
        urgency = e.urgency;
        return line(
          tr(lang, '预警颜色', 'Urgency colour'),
          [`${colour(from)} → ${colour(e.urgency)}`],
          e.urgency === 'red' ? 'red' : 'blue',
        );
      }
      case 'child.started':
        return line(
          tr(
            lang,
            `发起子流程：${nodeName(definition, e.child.node, lang)}`,
            `Sub-case started: ${nodeName(definition, e.child.node, lang)}`,
          ),
        );
      case 'child.completed':
        return line(
          tr(lang, '子流程办结', 'Sub-case closed'),
          [name(OUTCOME_NAMES, e.outcome, lang)],
          'green',
        );
      case 'case.escalated':
        return line(
          tr(lang, '提级办理', 'Escalated'),
          [tr(lang, `提交 ${placeName(e.jurisdiction)}`, `to ${placeName(e.jurisdiction)}`)],
          'orange',
        );
      case 'case.closed':
        return line(tr(lang, '办结', 'Closed'), [name(OUTCOME_NAMES, e.outcome, lang)], 'green');
      case 'case.cancelled':
        return line(
          tr(lang, '撤销', 'Cancelled'),
          [tr(lang, `理由：${e.reason}`, `Reason: ${e.reason}`)],
          'gray',
        );
      case 'supervision.issued':
        return line(
          tr(lang, '督办', 'Supervision order'),
          [
            tr(lang, `事由：${e.order.reason}`, `Reason: ${e.order.reason}`),
            tr(lang, `期限：${fmt(e.order.deadline)}`, `Due: ${fmt(e.order.deadline)}`),
          ],
          'red',
        );
      case 'supervision.answered':
        return line(
          tr(lang, '反馈督办', 'Supervision order answered'),
          [tr(lang, `反馈：${e.text}`, `Answer: ${e.text}`)],
          'orange',
        );
      case 'supervision.closed':
        return line(
          tr(lang, '结束督办', 'Supervision order closed'),
          e.note ? [e.note] : [],
          'gray',
        );
      case 'case.migrated':
        return line(
          tr(lang, `迁移到流程第 ${e.to} 版`, `Moved to flow version ${e.to}`),
          [tr(lang, `原第 ${e.from} 版`, `from version ${e.from}`)],
          'gray',
        );
      default:
        return null;
    }
  });
}
