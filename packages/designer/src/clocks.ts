import { type FlowDefinition, type Lang, localize, type StatutoryClock } from '@lianxin/spec';
import { freshId } from './commands';
import { tr } from './i18n';

export type ClockPoint = StatutoryClock['start'];

/** A clock point as one select value: `caseStart`, `enter:<node>` or `leave:<node>`. */
export const pointValue = (p: ClockPoint): string =>
  p.on === 'caseStart' ? 'caseStart' : `${p.on}:${p.node}`;

export function pointFromValue(value: string): ClockPoint {
  if (value === 'caseStart') return { on: 'caseStart' };
  const at = value.indexOf(':');
  return { on: value.slice(0, at) as 'enter' | 'leave', node: value.slice(at + 1) };
}

/** The points a clock may start or stop at, by the steps' names: 案件登记时, 进入“受理”时, 离开“受理”时 … */
export function pointOptions(
  flow: FlowDefinition,
  lang: Lang,
  which: 'start' | 'stop',
): Array<{ value: string; label: string }> {
  const options: Array<{ value: string; label: string }> =
    which === 'start'
      ? [{ value: 'caseStart', label: tr(lang, '案件登记时', 'When the case is registered') }]
      : [];
  for (const n of flow.nodes) {
    if (n.kind === 'start') continue;
    const name = localize(n.name, lang);
    options.push({
      value: `enter:${n.id}`,
      label: tr(lang, `进入“${name}”时`, `On entering "${name}"`),
    });
    if (n.kind !== 'end')
      options.push({
        value: `leave:${n.id}`,
        label: tr(lang, `离开“${name}”时`, `On leaving "${name}"`),
      });
  }
  return options;
}

/** What is wrong with a clock's start and stop, in words (undefined: nothing). */
export function pointProblem(
  flow: FlowDefinition,
  clock: Pick<StatutoryClock, 'start' | 'stop'>,
  lang: Lang,
): { field: 'start' | 'stop'; message: string } | undefined {
  const ids = new Set(flow.nodes.map((n) => n.id));
  for (const field of ['start', 'stop'] as const) {
    const p = clock[field];
    if (p.on !== 'caseStart' && !ids.has(p.node))
      return {
        field,
        message: tr(
          lang,
          `${field === 'start' ? '开始' : '停止'}的步骤已被删除，请重新选择`,
          `The step it ${field === 'start' ? 'starts' : 'stops'} at was deleted; choose another`,
        ),
      };
  }
  if (clock.stop.on === 'caseStart')
    return {
      field: 'stop',
      message: tr(
        lang,
        '时限不能在案件登记时停止',
        'A clock cannot stop when the case is registered',
      ),
    };
  if (pointValue(clock.start) === pointValue(clock.stop))
    return {
      field: 'stop',
      message: tr(
        lang,
        '开始和停止是同一时刻，时限不会计时',
        'It starts and stops at the same moment, so it never counts',
      ),
    };
  return undefined;
}

/** A new clock, counted from registration to the first end, named so the admin sees where to rename it. */
export function newClock(flow: FlowDefinition, lang: Lang): StatutoryClock {
  const id = freshId('clock', new Set(flow.clocks.map((c) => c.id)));
  const end = flow.nodes.find((n) => n.kind === 'end');
  const fallback = flow.nodes.find((n) => n.kind !== 'start') ?? flow.nodes[0];
  const stop: ClockPoint = end
    ? { on: 'enter', node: end.id }
    : fallback
      ? { on: 'enter', node: fallback.id }
      : { on: 'caseStart' };
  return {
    id,
    name: {
      'zh-CN': `法定时限 ${flow.clocks.length + 1}`,
      ...(lang === 'en' ? { en: `Statutory clock ${flow.clocks.length + 1}` } : {}),
    },
    start: { on: 'caseStart' },
    stop,
    deadline: { duration: 'P15D', calendar: 'natural', rollOverHolidays: true },
  };
}
