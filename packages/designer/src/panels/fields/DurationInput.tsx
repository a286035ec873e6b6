import { type Calendar, type Lang, localize } from '@lianxin/spec';
import { Input, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { tr } from '../../i18n';
import {
  DURATION_UNITS,
  type DurationUnit,
  durationAmount,
  durationFromInput,
  durationWords,
  type TimedDuration,
  UNIT_NAMES,
} from './duration';

interface CommonProps {
  lang: Lang;
  /** An empty number clears the duration (e.g. 提前预警 not set). */
  allowEmpty?: boolean;
  /** 0 天 is allowed: the same day (当天), as statutory clocks may say. */
  allowZero?: boolean;
  /** The number field's test id; the unit is `${testId}-unit`, the reason `${testId}-error`. */
  testId?: string;
}

/**
 * A duration typed as a number and a unit (天 / 工作日 / 小时 / 个月) and
 * written as the flow format's ISO 8601 text with its calendar. A wrong entry
 * is not committed and says why under the field.
 */
export function TimedDurationInput({
  value,
  onCommit,
  units = DURATION_UNITS,
  defaultUnit,
  ...common
}: CommonProps & {
  value: TimedDuration | undefined;
  onCommit: (value: TimedDuration | undefined) => void;
  /** The units offered (all four unless the calendar is fixed). */
  units?: readonly DurationUnit[];
  /** The unit an empty field starts in (an urgency colour's: its deadline's). */
  defaultUnit?: DurationUnit;
}) {
  const { lang, allowEmpty, allowZero, testId } = common;
  const shown = value ? durationAmount(value) : undefined;
  const fallbackUnit =
    defaultUnit && units.includes(defaultUnit) ? defaultUnit : (units[0] ?? 'days');
  const [text, setText] = useState(shown ? String(shown.amount) : '');
  const [unit, setUnit] = useState<DurationUnit>(
    shown && units.includes(shown.unit) ? shown.unit : fallbackUnit,
  );
  const [error, setError] = useState<string>();
  // Undo, redo and other panels change the value under the field.
  const duration = value?.duration;
  const calendar = value?.calendar;
  const unitList = units.join(',');
  useEffect(() => {
    const now =
      duration !== undefined && calendar !== undefined
        ? durationAmount({ duration, calendar })
        : undefined;
    setText(now ? String(now.amount) : '');
    if (now && unitList.split(',').includes(now.unit)) setUnit(now.unit);
    else if (!now && defaultUnit && unitList.split(',').includes(defaultUnit)) setUnit(defaultUnit);
    setError(undefined);
  }, [duration, calendar, unitList, defaultUnit]);

  const commit = (typed: string, as: DurationUnit) => {
    if (!typed.trim() && allowEmpty) {
      setError(undefined);
      if (value !== undefined) onCommit(undefined);
      return;
    }
    // A value the field cannot show stays as it is until a number is typed.
    if (!typed.trim() && value && !shown) return;
    const next = durationFromInput(typed, as, lang, { allowZero });
    if ('error' in next) {
      setError(next.error);
      return;
    }
    setError(undefined);
    if (next.duration !== value?.duration || next.calendar !== value?.calendar) onCommit(next);
  };
  const words = value && !shown ? durationWords(value, lang) : undefined;
  return (
    <div style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          inputMode="numeric"
          value={text}
          status={error ? 'error' : undefined}
          placeholder={
            words ?? (allowEmpty ? tr(lang, '不设置', 'None') : tr(lang, '填数字', 'A number'))
          }
          aria-label={tr(lang, '时长', 'Length')}
          aria-invalid={error ? true : undefined}
          data-testid={testId}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => commit(text, unit)}
          onPressEnter={() => commit(text, unit)}
        />
        <Select
          style={{ width: 96, flex: 'none' }}
          value={unit}
          aria-label={tr(lang, '单位', 'Unit')}
          data-testid={testId && `${testId}-unit`}
          options={units.map((u) => ({ value: u, label: localize(UNIT_NAMES[u], lang) }))}
          onChange={(u: DurationUnit) => {
            setUnit(u);
            if (text.trim()) commit(text, u);
          }}
        />
      </Space.Compact>
      {words && !error && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {tr(lang, `现为 ${words}；填写数字即替换`, `Now ${words}; type a number to replace it`)}
        </Typography.Text>
      )}
      {error && (
        <Typography.Text
          type="danger"
          role="alert"
          style={{ fontSize: 12 }}
          data-testid={testId && `${testId}-error`}
        >
          {error}
        </Typography.Text>
      )}
    </div>
  );
}

/**
 * A duration counted in a calendar fixed elsewhere (a warning counts in its
 * deadline's calendar): 工作日 on working days; 天, 小时 or 个月 otherwise.
 */
export function DurationInput({
  value,
  onCommit,
  calendar = 'natural',
  ...common
}: CommonProps & {
  value: string | undefined;
  onCommit: (v: string | undefined) => void;
  calendar?: Calendar;
}) {
  const units: readonly DurationUnit[] =
    calendar === 'workingDays' ? ['workingDays'] : ['days', 'hours', 'months'];
  return (
    <TimedDurationInput
      {...common}
      key={calendar}
      units={units}
      value={value === undefined ? undefined : { duration: value, calendar }}
      onCommit={(next) => onCommit(next?.duration)}
    />
  );
}
