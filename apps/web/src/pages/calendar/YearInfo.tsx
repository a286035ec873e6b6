import { holidaySpans, holidaySpanText } from '@lianxin/designer';
import type { Lang } from '@lianxin/spec';
import { Space, Tag, Typography } from 'antd';
import { tr } from '../../i18n';
import { type CalendarYearView, localDaysOf } from './shared';

/** 官方安排 / 临时 / 内置数据, with the notice it comes from. */
export function YearStatus({
  view,
  lang,
  nameOf,
}: {
  view: CalendarYearView;
  lang: Lang;
  nameOf: (code: string) => string;
}) {
  const from = view.inheritedFrom ? nameOf(view.inheritedFrom) : '';
  return (
    <Space wrap data-testid="year-status">
      {view.status === 'official' ? (
        <Tag color="green" data-testid="status-official">
          {tr(lang, '官方安排', 'Official arrangement')}
        </Tag>
      ) : view.status === 'provisional' ? (
        <Tag color="gold" data-testid="status-provisional">
          {tr(
            lang,
            '临时（按放假办法推算，待国务院通知）',
            'Provisional (computed from the holiday rules until the State Council’s notice)',
          )}
        </Tag>
      ) : (
        <Tag color="blue" data-testid="status-bundled">
          {tr(lang, '内置数据', 'Bundled data')}
        </Tag>
      )}
      {view.source && (
        <span data-testid="year-source">
          {tr(
            lang,
            `依据 ${view.source.document}${view.source.date ? `（${view.source.date}）` : ''}`,
            `per ${view.source.document}${view.source.date ? ` (${view.source.date})` : ''}`,
          )}
        </span>
      )}
      {from && (
        <span data-testid="year-inherited">
          {tr(lang, `沿用${from}发布的安排`, `as published by ${from}`)}
        </span>
      )}
      {view.revision !== undefined && view.revision > 1 && (
        <Tag>{tr(lang, `第 ${view.revision} 版（已更正）`, `revision ${view.revision}`)}</Tag>
      )}
    </Space>
  );
}

/** The year's holidays in the notice's own words, one line each. */
export function HolidayList({ view, lang }: { view: CalendarYearView; lang: Lang }) {
  const spans = holidaySpans(view);
  const local = Object.entries(localDaysOf(view)).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div data-testid="holiday-list">
      {spans.map((s) => (
        <div key={s.name} style={{ marginBottom: 4 }}>
          <Typography.Text strong>{s.name}</Typography.Text>
          <Typography.Text style={{ marginLeft: 8 }}>{holidaySpanText(s, lang)}</Typography.Text>
        </div>
      ))}
      {view.status === 'provisional' && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 8 }}>
          {tr(
            lang,
            '临时安排只含放假办法规定的法定假日，不含调休；国务院通知发布后由省级管理员录入，在办事项的期限随之重新计算。',
            'A provisional year has only the statutory days of the holiday rules, no make-up days; once the State Council publishes its notice a provincial admin enters it and open deadlines are recomputed.',
          )}
        </Typography.Paragraph>
      )}
      {local.length > 0 && (
        <div data-testid="local-days" style={{ marginTop: 8 }}>
          <Typography.Text strong>{tr(lang, '本地休假日', 'Local days off')}</Typography.Text>
          {local.map(([date, name]) => (
            <Tag key={date} color="purple" style={{ marginLeft: 8 }}>
              {date} {name}
            </Tag>
          ))}
        </div>
      )}
    </div>
  );
}
