import { CalendarOutlined, FileTextOutlined, FlagOutlined } from '@ant-design/icons';
import { Alert, Card, Empty, Result, Select, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { api, errorText } from '../workbench/api';
import { LocalDaysEditor, LocalGrant } from './LocalDays';
import { NoticeEditor } from './NoticeEditor';
import {
  currentYear,
  jurisdictionNamer,
  localDaysOf,
  withoutLocalDays,
  type YearsAnswer,
} from './shared';
import { Legend, YearGrid } from './YearGrid';
import { HolidayList, YearStatus } from './YearInfo';
import './calendar.css';

/** Levels whose admins publish a year's arrangement (the store's PUBLISHING_LEVELS). */
const PUBLISHING_LEVELS = ['national', 'province'];

/**
 * 工作日历 (#/calendar): the year view of a jurisdiction's working-day
 * calendar for staff, and for admins of a province (or the nation) the
 * paste-the-notice editor that publishes a year.
 */
export function CalendarPage({ me }: { me: Me }) {
  const { lang } = useLang();
  const mine = useMemo(() => {
    const seen = new Map<string, Me['memberships'][number]>();
    for (const m of me.memberships) if (!seen.has(m.jurisdiction)) seen.set(m.jurisdiction, m);
    return [...seen.values()];
  }, [me]);
  const [jurisdiction, setJurisdiction] = useState(mine[0]?.jurisdiction ?? '');
  const [answer, setAnswer] = useState<YearsAnswer>();
  const [error, setError] = useState<string>();
  const [year, setYear] = useState(currentYear());
  const [names, setNames] = useState<{ code: string; name: unknown; parent?: string | null }[]>([]);
  const publisher = me.memberships.find(
    (m) =>
      m.role === 'admin' &&
      m.jurisdiction === jurisdiction &&
      PUBLISHING_LEVELS.includes(m.level ?? ''),
  );
  /** The jurisdictions strictly above `code`, nearest first, as far as the tree is readable. */
  const above = (code: string) => {
    const out: string[] = [];
    let at = names.find((j) => j.code === code)?.parent;
    while (at && !out.includes(at)) {
      out.push(at);
      at = names.find((j) => j.code === at)?.parent;
    }
    return out;
  };
  const adminAt = new Set(
    me.memberships.filter((m) => m.role === 'admin').map((m) => m.jurisdiction),
  );
  // An admin above a jurisdiction grants its local days; the admin of it sets them.
  const grantor = above(jurisdiction).some((j) => adminAt.has(j));
  const localAdmin = adminAt.has(jurisdiction);
  // Admins also look at the jurisdictions below them (to allow their local days, to see them).
  const choices = [
    ...mine.map((m) => m.jurisdiction),
    ...names
      .map((j) => j.code)
      .filter((c) => !mine.some((m) => m.jurisdiction === c))
      .filter((c) => above(c).some((j) => adminAt.has(j))),
  ];
  useEffect(() => {
    api()
      .jurisdictions.list.query()
      .then((j) => setNames(j as { code: string; name: unknown; parent?: string | null }[]))
      .catch(() => {});
  }, []);
  // The newest request wins: a slow answer for another jurisdiction is dropped.
  const latest = useRef(0);
  const load = useCallback(() => {
    if (!jurisdiction) return;
    const request = ++latest.current;
    setError(undefined);
    api()
      .calendars.years.query({ jurisdiction })
      .then((a) => {
        if (request === latest.current) setAnswer(a);
      })
      .catch((e) => {
        if (request === latest.current) setError(errorText(e, lang));
      });
  }, [jurisdiction, lang]);
  useEffect(load, [load]);
  const nameOf = jurisdictionNamer(names, mine, lang);
  if (!jurisdiction)
    return <Result status="403" title={tr(lang, '没有可查看的辖区', 'No jurisdiction to view')} />;

  const years = answer?.years ?? [];
  const view = years.find((y) => y.year === year);
  const next = years.find((y) => y.year === year + 1);
  // Drawn apart from the holidays the store folds them into.
  const base = withoutLocalDays(view);
  const nextBase = withoutLocalDays(next);
  // The next year's 元旦 may start in this year's December: the grid shows those days too.
  const inYear = (r: Record<string, string> | undefined) =>
    Object.fromEntries(Object.entries(r ?? {}).filter(([d]) => d.startsWith(`${year}-`)));
  const gridDays = view && {
    holidays: { ...inYear(base?.holidays), ...inYear(nextBase?.holidays) },
    workdays: { ...inYear(view.workdays), ...inYear(next?.workdays) },
    localDays: { ...inYear(localDaysOf(view)), ...inYear(localDaysOf(next)) },
  };
  const yearSelect = (testId: string) => (
    <Select
      data-testid={testId}
      style={{ width: 110 }}
      value={year}
      onChange={setYear}
      options={years.map((y) => ({
        value: y.year,
        label: tr(lang, `${y.year} 年`, String(y.year)),
      }))}
    />
  );
  const viewTab = (
    <div data-testid="calendar-year-view">
      <Space wrap style={{ marginBottom: 12 }}>
        <span>{tr(lang, '年份', 'Year')}</span>
        {yearSelect('calendar-year')}
        {view && <YearStatus view={view} lang={lang} nameOf={nameOf} />}
      </Space>
      {!answer && !error ? (
        <Spin />
      ) : !view ? (
        <Empty description={tr(lang, '没有这一年的日历', 'No calendar for this year')} />
      ) : (
        <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start', flexWrap: 'wrap' }}>
          <div style={{ flex: '3 1 760px', minWidth: 0 }}>
            <YearGrid
              year={view.year}
              arrangement={gridDays ?? { holidays: {}, workdays: {} }}
              lang={lang}
            />
            <Legend lang={lang} local={Boolean(Object.keys(localDaysOf(view)).length)} />
          </div>
          <Card
            size="small"
            style={{ flex: '1 1 280px' }}
            title={tr(lang, `${view.year} 年放假安排`, `Holidays in ${view.year}`)}
          >
            <HolidayList view={base ?? view} lang={lang} />
          </Card>
        </div>
      )}
    </div>
  );

  const tabs = [
    {
      key: 'year',
      label: (
        <span>
          <CalendarOutlined /> {tr(lang, '年历', 'Year view')}
        </span>
      ),
      children: viewTab,
    },
    ...(publisher
      ? [
          {
            key: 'notice',
            label: (
              <span data-testid="tab-notice">
                <FileTextOutlined /> {tr(lang, '录入国务院通知', 'Enter the notice')}
              </span>
            ),
            children: (
              <NoticeEditor
                jurisdiction={jurisdiction}
                published={years}
                onPublished={(y) => {
                  setYear(y);
                  load();
                }}
              />
            ),
          },
        ]
      : []),
    ...((grantor || localAdmin) && answer
      ? [
          {
            key: 'local',
            label: (
              <span data-testid="tab-local">
                <FlagOutlined /> {tr(lang, '本地假日', 'Local days off')}
              </span>
            ),
            children: (
              <Space direction="vertical" size="middle" style={{ width: '100%' }}>
                {grantor && (
                  <LocalGrant
                    jurisdiction={jurisdiction}
                    name={nameOf(jurisdiction)}
                    allowed={answer.localDaysAllowed}
                    onChanged={load}
                  />
                )}
                {localAdmin && answer.localDaysAllowed && (
                  <Space wrap>
                    <span>{tr(lang, '年份', 'Year')}</span>
                    {yearSelect('local-year')}
                  </Space>
                )}
                {localAdmin && view && (
                  <LocalDaysEditor
                    jurisdiction={jurisdiction}
                    view={view}
                    allowed={answer.localDaysAllowed}
                    onSaved={load}
                  />
                )}
                {!localAdmin && (
                  <Typography.Text type="secondary">
                    {tr(
                      lang,
                      `本地假日由${nameOf(jurisdiction)}管理员在准许后自行设置；已设的本地假日见年历。`,
                      `Once allowed, ${nameOf(jurisdiction)}'s admin sets its local days off; the year view shows them.`,
                    )}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];

  return (
    <div className="cal-page" data-testid="calendar-page">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap align="center">
          <Typography.Title level={4} style={{ margin: 0 }}>
            {tr(lang, '工作日历', 'Working-day calendar')}
          </Typography.Title>
          {choices.length > 1 && (
            <Select
              data-testid="calendar-jurisdiction"
              style={{ width: 180 }}
              value={jurisdiction}
              onChange={(j) => {
                setJurisdiction(j);
                setAnswer(undefined);
              }}
              options={choices.map((c) => ({ value: c, label: nameOf(c) }))}
            />
          )}
          {choices.length === 1 && <Tag>{nameOf(jurisdiction)}</Tag>}
        </Space>
        <Typography.Text type="secondary">
          {tr(
            lang,
            '按工作日计算的期限（受理、办理、复查等）按此日历跳过法定节假日、计入调休上班日；期限的最后一天为节假日的顺延至下一个工作日。',
            'Deadlines counted in working days (acceptance, handling, review…) skip the holidays of this calendar and count its make-up working days; a last day that is a holiday moves to the next working day.',
          )}
        </Typography.Text>
        {answer && (
          <Typography.Text data-testid="calendar-coverage">
            {tr(
              lang,
              `节假日安排已定至 ${answer.coverage.officialUntil} 年；${answer.coverage.provisionalFrom} 年起为临时推算，待国务院通知`,
              `Holidays are settled until ${answer.coverage.officialUntil}; from ${answer.coverage.provisionalFrom} they are provisional until the State Council's notice`,
            )}
          </Typography.Text>
        )}
        {error && <Alert type="error" showIcon message={error} data-testid="calendar-error" />}
        {tabs.length > 1 ? <Tabs items={tabs} /> : viewTab}
      </Space>
    </div>
  );
}
