import { monthWeeks, weekdayName, weekdayOf } from '@lianxin/designer';
import type { Lang } from '@lianxin/spec';
import { Tooltip } from 'antd';
import { tr } from '../../i18n';
import './calendar.css';

/** What a year view draws: days off and make-up working days, each with its holiday's name. */
export interface Arrangement {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
  /** A jurisdiction's own days off (e.g. an ethnic autonomous county's festival). */
  localDays?: Record<string, string>;
}

const HEAD = ['一', '二', '三', '四', '五', '六', '日'];
const HEAD_EN = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'];
const MONTHS_EN =
  'January February March April May June July August September October November December'.split(
    ' ',
  );

function dayTitle(date: string, a: Arrangement, lang: Lang): string {
  const when = `${date}（${weekdayName(date, lang)}）`;
  const holiday = a.holidays[date];
  const local = a.localDays?.[date];
  const worked = a.workdays[date];
  if (holiday) return tr(lang, `${when} ${holiday} 放假`, `${date} ${holiday}, day off`);
  if (local) return tr(lang, `${when} ${local} 本地休假`, `${date} ${local}, local day off`);
  if (worked) return tr(lang, `${when} ${worked} 调休上班`, `${date} worked for ${worked}`);
  return tr(lang, when, date);
}

/**
 * Twelve months of one year: days off in red with their holiday's first
 * character, make-up working days marked 班, weekends grey, local days off
 * purple. `onDay` makes every day clickable (the draft editor).
 */
export function YearGrid({
  year,
  arrangement,
  lang,
  onDay,
  testId = 'year-grid',
}: {
  year: number;
  arrangement: Arrangement;
  lang: Lang;
  onDay?: (date: string) => void;
  testId?: string;
}) {
  // Days are buttons only where clicking them does something.
  const Cell = onDay ? 'button' : 'span';
  return (
    <div className="cal-year" data-testid={testId}>
      {Array.from({ length: 12 }, (_, i) => i + 1).map((month) => (
        <div className="cal-month" key={month}>
          <div className="cal-month-title">
            {lang === 'en' ? MONTHS_EN[month - 1] : `${month}月`}
          </div>
          <table>
            <thead>
              <tr>
                {(lang === 'en' ? HEAD_EN : HEAD).map((h, i) => (
                  <th key={h} className={i >= 5 ? 'cal-weekend' : undefined}>
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {monthWeeks(year, month).map((week) => (
                <tr key={week.find(Boolean) ?? ''}>
                  {week.map((date, i) => {
                    // biome-ignore lint/suspicious/noArrayIndexKey: the empty cells around a month have no identity but their place
                    if (!date) return <td key={`pad-${month}-${i}`} />;
                    const holiday = arrangement.holidays[date];
                    const local = arrangement.localDays?.[date];
                    const worked = arrangement.workdays[date];
                    const weekend = [0, 6].includes(weekdayOf(date));
                    const cls = holiday
                      ? 'cal-day cal-holiday'
                      : local
                        ? 'cal-day cal-local'
                        : worked
                          ? 'cal-day cal-makeup'
                          : weekend
                            ? 'cal-day cal-weekend'
                            : 'cal-day';
                    const mark = holiday ? '休' : local ? '休' : worked ? '班' : '';
                    const cell = (
                      <Cell
                        {...(onDay ? { type: 'button' as const, onClick: () => onDay(date) } : {})}
                        className={onDay ? `${cls} cal-editable` : cls}
                        data-testid={`day-${date}`}
                        data-kind={
                          holiday
                            ? 'holiday'
                            : local
                              ? 'local'
                              : worked
                                ? 'makeUp'
                                : weekend
                                  ? 'weekend'
                                  : 'workday'
                        }
                      >
                        {Number(date.slice(8, 10))}
                        {mark && <span className="cal-mark">{mark}</span>}
                      </Cell>
                    );
                    // Only the days an arrangement names say more on hover.
                    return (
                      <td key={date}>
                        {holiday || local || worked ? (
                          <Tooltip title={dayTitle(date, arrangement, lang)} mouseEnterDelay={0.3}>
                            {cell}
                          </Tooltip>
                        ) : (
                          cell
                        )}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </div>
  );
}

/** The key under the grid. */
export function Legend({ lang, local }: { lang: Lang; local?: boolean }) {
  return (
    <div className="cal-legend">
      <span>
        <span className="cal-swatch cal-holiday">休</span>
        {tr(lang, '法定节假日放假', 'Holiday, day off')}
      </span>
      <span>
        <span className="cal-swatch cal-makeup">班</span>
        {tr(lang, '调休上班', 'Make-up working day')}
      </span>
      <span>
        <span className="cal-swatch cal-weekend">六</span>
        {tr(lang, '周末', 'Weekend')}
      </span>
      {local && (
        <span>
          <span className="cal-swatch cal-local">休</span>
          {tr(lang, '本地休假日', 'Local day off')}
        </span>
      )}
    </div>
  );
}
