import {
  type Deadline,
  type Lang,
  localize,
  URGENCY_COLOURS,
  type UrgencyColour,
} from '@lianxin/spec';
import { Form, Switch, Tag } from 'antd';
import { tr } from '../../i18n';
import { DurationInput, TimedDurationInput } from './DurationInput';
import type { TimedDuration } from './duration';
import { URGENCY } from './names';

type UrgencyEntry = NonNullable<Deadline['byUrgency']>[UrgencyColour];

/** An urgency entry with the deadline's calendar filled in. */
function urgencyDuration(entry: UrgencyEntry, deadline: Deadline): TimedDuration | undefined {
  if (entry === undefined) return undefined;
  return typeof entry === 'object' ? entry : { duration: entry, calendar: deadline.calendar };
}

/** The format's shortest form: a bare duration when it counts in the deadline's calendar. */
function urgencyEntry(next: TimedDuration, deadline: Deadline): UrgencyEntry {
  return next.calendar === deadline.calendar ? next.duration : next;
}

/**
 * A task's own deadline: on or off, its length (the unit picks the calendar:
 * 工作日 counts working days), the warning before it (in the same calendar) and
 * a length per urgency colour (which may count in a calendar of its own).
 */
export function DeadlineEditor({
  lang,
  value,
  onChange,
}: {
  lang: Lang;
  value: Deadline | undefined;
  onChange: (d: Deadline | undefined) => void;
}) {
  const on = value !== undefined;
  const set = (patch: Partial<Deadline>) => {
    const next: Record<string, unknown> = {
      ...(value ?? { duration: 'P15D', calendar: 'natural' }),
      ...patch,
    };
    for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
    onChange(next as Deadline);
  };
  return (
    <>
      <Form.Item label={tr(lang, '办理时限', 'Deadline')}>
        <Switch
          checked={on}
          data-testid="prop-deadline-switch"
          onChange={(c) =>
            onChange(
              c
                ? {
                    duration: 'P15D',
                    calendar: 'workingDays',
                    warningBefore: 'P3D',
                    rollOverHolidays: false,
                  }
                : undefined,
            )
          }
        />
      </Form.Item>
      {value && (
        <>
          <Form.Item label={tr(lang, '期限', 'Duration')}>
            <TimedDurationInput
              lang={lang}
              value={{ duration: value.duration, calendar: value.calendar }}
              onCommit={(d) => d && set({ duration: d.duration, calendar: d.calendar })}
              testId="prop-deadline-duration"
            />
          </Form.Item>
          <Form.Item
            label={tr(lang, '提前预警', 'Warn before')}
            tooltip={tr(
              lang,
              '按期限的日历计算：期限按工作日时，预警也按工作日',
              'Counted in the deadline’s calendar: working days when the deadline counts working days',
            )}
          >
            <DurationInput
              lang={lang}
              allowEmpty
              calendar={value.calendar}
              value={value.warningBefore}
              onCommit={(d) => set({ warningBefore: d })}
              testId="prop-deadline-warning"
            />
          </Form.Item>
          <Form.Item label={tr(lang, '按四色等级', 'By urgency colour')}>
            {URGENCY_COLOURS.map((c) => (
              <div
                key={c}
                style={{ display: 'flex', alignItems: 'flex-start', gap: 6, marginBottom: 4 }}
              >
                <Tag
                  color={URGENCY[c].colour}
                  style={{ width: 34, textAlign: 'center', margin: '4px 0 0' }}
                >
                  {localize(URGENCY[c], lang)}
                </Tag>
                <TimedDurationInput
                  lang={lang}
                  allowEmpty
                  value={urgencyDuration(value.byUrgency?.[c], value)}
                  defaultUnit={value.calendar === 'workingDays' ? 'workingDays' : 'days'}
                  testId={`prop-deadline-urgency-${c}`}
                  onCommit={(d) => {
                    const by = { ...(value.byUrgency ?? {}) };
                    if (d) by[c] = urgencyEntry(d, value);
                    else delete by[c];
                    set({ byUrgency: Object.keys(by).length ? by : undefined });
                  }}
                />
              </div>
            ))}
          </Form.Item>
        </>
      )}
    </>
  );
}
