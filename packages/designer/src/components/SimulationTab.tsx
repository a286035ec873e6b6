import { WorkCalendar } from '@lianxin/engine';
import type { FlowDefinition, Lang } from '@lianxin/spec';
import { type LocalizedText, localize } from '@lianxin/spec';
import { Alert, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { DesignerBackend } from '../backend';
import { tr } from '../i18n';
import { callsSubflows, type LoadedSubflows, loadSubflows } from '../subflows';
import { SimulationPanel } from './SimulationPanel';

/**
 * The 模拟运行 tab: fetches the published flows the subflow nodes call (the
 * Simulator resolves them synchronously, so all come first), then runs the
 * simulation with child cases.
 */
export function SimulationTab({
  flow,
  lang,
  backend,
}: {
  flow: FlowDefinition;
  lang: Lang;
  backend: Pick<DesignerBackend, 'publishedByKey' | 'calendarYears'>;
}) {
  const needsSubflows = callsSubflows(flow);
  const calendar = useJurisdictionCalendar(flow.jurisdiction, backend);
  const [loaded, setLoaded] = useState<{ for: FlowDefinition; subflows: LoadedSubflows } | null>(
    null,
  );
  useEffect(() => {
    if (!needsSubflows) return;
    let live = true;
    void loadSubflows(flow, backend).then((subflows) => {
      if (live) setLoaded({ for: flow, subflows });
    });
    return () => {
      live = false;
    };
  }, [flow, backend, needsSubflows]);

  if (calendar.loading) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }} data-testid="sim-loading-calendar">
        <Spin />
        <div style={{ marginTop: 12 }}>
          {tr(lang, '正在读取工作日历…', 'Reading the working-day calendar…')}
        </div>
      </div>
    );
  }
  const calendarProblem = calendar.problem && (
    <Alert
      type="warning"
      showIcon
      banner
      data-testid="sim-calendar-problem"
      message={tr(
        lang,
        '无法读取本辖区的工作日历，模拟按内置节假日数据计算期限',
        'The jurisdiction’s calendar could not be read: deadlines count on the bundled holiday data',
      )}
      description={localize(calendar.problem, lang)}
    />
  );
  if (!needsSubflows)
    return (
      <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
        {calendarProblem}
        <div style={{ flex: 1, minHeight: 0 }}>
          <SimulationPanel flow={flow} lang={lang} calendar={calendar.calendar} />
        </div>
      </div>
    );
  if (loaded?.for !== flow) {
    return (
      <div style={{ padding: 48, textAlign: 'center' }} data-testid="sim-loading-subflows">
        <Spin />
        <div style={{ marginTop: 12 }}>
          {tr(lang, '正在读取子流程…', 'Reading the flows subflow nodes call…')}
        </div>
      </div>
    );
  }
  const { problems, resolve } = loaded.subflows;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}>
      {calendarProblem}
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          banner
          data-testid="sim-subflow-problems"
          message={tr(
            lang,
            '以下子流程无法读取，模拟到这些子流程节点时会被拒绝',
            'These subflows could not be read; the simulation refuses them when a case reaches them',
          )}
          description={problems.map((p) => (
            <div key={`${p.ref.key}@${p.ref.version ?? ''}`}>{localize(p.message, lang)}</div>
          ))}
        />
      )}
      <div style={{ flex: 1, minHeight: 0 }}>
        <SimulationPanel
          flow={flow}
          lang={lang}
          resolveSubflow={resolve}
          calendar={calendar.calendar}
        />
      </div>
    </div>
  );
}

/**
 * The calendar the server counts this jurisdiction's deadlines with: the
 * bundled one overlaid by what the backend says was published or added
 * there. Bundled while there is no backend call, or when it fails (with
 * the reason).
 */
function useJurisdictionCalendar(
  jurisdiction: string,
  backend: Pick<DesignerBackend, 'calendarYears'>,
): { loading: boolean; calendar: WorkCalendar; problem?: LocalizedText } {
  const [loaded, setLoaded] = useState<{
    for: string;
    calendar: WorkCalendar;
    problem?: LocalizedText;
  } | null>(null);
  useEffect(() => {
    if (!backend.calendarYears) return;
    let live = true;
    backend.calendarYears(jurisdiction).then(
      (years) => {
        if (live) setLoaded({ for: jurisdiction, calendar: WorkCalendar.of(years) });
      },
      (e: unknown) => {
        const bilingual = (e as { bilingual?: LocalizedText }).bilingual;
        const problem = bilingual ?? { 'zh-CN': String(e), en: String(e) };
        if (live) setLoaded({ for: jurisdiction, calendar: WorkCalendar.bundled(), problem });
      },
    );
    return () => {
      live = false;
    };
  }, [jurisdiction, backend]);
  if (!backend.calendarYears) return { loading: false, calendar: WorkCalendar.bundled() };
  if (loaded?.for !== jurisdiction) return { loading: true, calendar: WorkCalendar.bundled() };
  return {
    loading: false,
    calendar: loaded.calendar,
    ...(loaded.problem ? { problem: loaded.problem } : {}),
  };
}
