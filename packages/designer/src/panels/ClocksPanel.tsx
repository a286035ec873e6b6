import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  durationProblem,
  type FlowDefinition,
  type Lang,
  localize,
  parseDuration,
  type StatutoryClock,
} from '@lianxin/spec';
import {
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Typography,
} from 'antd';
import { newClock, pointFromValue, pointOptions, pointProblem, pointValue } from '../clocks';
import type { Edit } from '../commands';
import { CommitInput } from '../components/inputs';
import { tr } from '../i18n';
import { keyedPath, lockOn, locksWithin, useLocks } from '../locks';
import { DurationInput, TimedDurationInput } from './fields/DurationInput';
import { durationAmount } from './fields/duration';
import { LockedPart, LockIcon } from './fields/LockBadge';

/** A statutory period is days, working days or hours (months are not how petition law counts). */
const CLOCK_UNITS = ['days', 'workingDays', 'hours'] as const;

/** 法定时限 of the flow: add, edit and remove clocks; parts the province locked are greyed. */
export function ClocksPanel({
  flow,
  lang,
  dispatch,
}: {
  flow: FlowDefinition;
  lang: Lang;
  dispatch: (edit: Edit) => void;
}) {
  const locks = useLocks();
  const listLock = lockOn(locks, '/clocks');
  const setClocks = (clocks: StatutoryClock[]) =>
    dispatch({ type: 'flow.update', patch: { clocks } });
  const update = (id: string, patch: Partial<StatutoryClock>) =>
    setClocks(
      flow.clocks.map((c) => {
        if (c.id !== id) return c;
        const next: Record<string, unknown> = { ...c, ...patch };
        for (const k of Object.keys(next)) if (next[k] === undefined) delete next[k];
        return next as StatutoryClock;
      }),
    );
  return (
    <div data-testid="clocks-panel">
      <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 8 }}>
        {tr(
          lang,
          '案件级的法定期限（如受理 15 日、办理 60 日）：从开始时刻计时，到停止时刻为止；其间任务自己的办理时限不应更长。',
          'Case-level statutory periods (e.g. acceptance in 15 days, handling in 60): counted from the start to the stop; a task in between should not have a longer deadline of its own.',
        )}
      </Typography.Paragraph>
      {flow.clocks.length === 0 && (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={tr(lang, '还没有法定时限', 'No statutory clocks yet')}
        />
      )}
      {flow.clocks.map((clock) => (
        <ClockCard
          key={clock.id}
          flow={flow}
          clock={clock}
          lang={lang}
          onChange={(patch) => update(clock.id, patch)}
          onRemove={() => setClocks(flow.clocks.filter((c) => c.id !== clock.id))}
        />
      ))}
      <LockedPart locks={locks} lock={listLock} lang={lang}>
        <Button
          block
          size="small"
          icon={<PlusOutlined />}
          data-testid="clock-add"
          disabled={Boolean(listLock)}
          onClick={() => setClocks([...flow.clocks, newClock(flow, lang)])}
        >
          {tr(lang, '添加法定时限', 'Add a statutory clock')}
        </Button>
      </LockedPart>
    </div>
  );
}

function ClockCard({
  flow,
  clock,
  lang,
  onChange,
  onRemove,
}: {
  flow: FlowDefinition;
  clock: StatutoryClock;
  lang: Lang;
  onChange: (patch: Partial<StatutoryClock>) => void;
  onRemove: () => void;
}) {
  const locks = useLocks();
  const at = (field?: string) =>
    field ? keyedPath('clocks', clock.id, field) : keyedPath('clocks', clock.id);
  const whole = lockOn(locks, at());
  const lockOf = (field: string) => lockOn(locks, at(field));
  const inside = locksWithin(locks, at());
  const name = localize(clock.name, lang);
  const points = pointProblem(flow, clock, lang);
  return (
    <Card
      size="small"
      style={{ marginBottom: 8, ...(inside.length ? { borderColor: '#d9d9d9' } : {}) }}
      data-testid={`clock-${clock.id}`}
      data-clock-name={clock.name['zh-CN']}
      title={
        <Space size={4}>
          {locks && inside[0] && <LockIcon locks={locks} lock={inside[0]} lang={lang} />}
          <span>{name}</span>
        </Space>
      }
      extra={
        <Popconfirm
          title={tr(lang, `删除法定时限“${name}”？`, `Remove the statutory clock "${name}"?`)}
          description={
            flow.nodes.some((n) => 'deadlineClock' in n && n.deadlineClock === clock.id)
              ? tr(
                  lang,
                  '有任务的期限跟随它，删除后检查会报错，需改为任务自己的时限',
                  'Tasks follow it; after removing it they need a deadline of their own',
                )
              : undefined
          }
          okText={tr(lang, '删除', 'Remove')}
          cancelText={tr(lang, '取消', 'Cancel')}
          onConfirm={onRemove}
          disabled={inside.length > 0}
        >
          <Button
            type="text"
            size="small"
            danger
            icon={<DeleteOutlined />}
            disabled={inside.length > 0}
            title={
              inside.length > 0
                ? tr(
                    lang,
                    '省级模板锁定了它的一部分，不能删除',
                    'Part of it is locked by the province; it cannot be removed',
                  )
                : tr(lang, '删除', 'Remove')
            }
            data-testid="clock-remove"
          />
        </Popconfirm>
      }
    >
      <LockedPart locks={locks} lock={whole} lang={lang} testId="clock-locked">
        <Form layout="vertical" size="small" component="div">
          <LockedPart locks={locks} lock={whole ? undefined : lockOf('name')} lang={lang}>
            <Form.Item label={tr(lang, '名称', 'Name')} required style={{ marginBottom: 8 }}>
              <CommitInput
                value={clock.name['zh-CN']}
                data-testid="clock-name"
                onCommit={(v) =>
                  v.trim() && onChange({ name: { ...clock.name, 'zh-CN': v.trim() } })
                }
              />
            </Form.Item>
          </LockedPart>
          <LockedPart
            locks={locks}
            lock={whole ? undefined : lockOf('deadline')}
            lang={lang}
            testId="clock-deadline-locked"
          >
            <LengthInput
              clock={clock}
              lang={lang}
              onChange={(deadline) => onChange({ deadline })}
            />
          </LockedPart>
          <LockedPart locks={locks} lock={whole ? undefined : lockOf('start')} lang={lang}>
            <Form.Item label={tr(lang, '开始计时', 'Starts')} style={{ marginBottom: 8 }}>
              <Select
                showSearch
                optionFilterProp="label"
                value={pointValue(clock.start)}
                options={pointOptions(flow, lang, 'start')}
                data-testid="clock-start"
                onChange={(v) => onChange({ start: pointFromValue(v) })}
                status={points?.field === 'start' ? 'error' : undefined}
              />
            </Form.Item>
          </LockedPart>
          <LockedPart locks={locks} lock={whole ? undefined : lockOf('stop')} lang={lang}>
            <Form.Item
              label={tr(lang, '停止计时', 'Stops')}
              style={{ marginBottom: 8 }}
              validateStatus={points ? 'error' : undefined}
              help={
                points ? <span data-testid="clock-point-error">{points.message}</span> : undefined
              }
            >
              <Select
                showSearch
                optionFilterProp="label"
                value={pointValue(clock.stop)}
                options={pointOptions(flow, lang, 'stop')}
                data-testid="clock-stop"
                onChange={(v) => onChange({ stop: pointFromValue(v) })}
              />
            </Form.Item>
          </LockedPart>
          <LockedPart
            locks={locks}
            lock={whole ? undefined : lockOf('pause')}
            lang={lang}
            testId="clock-pause-locked"
          >
            <PauseInput
              flow={flow}
              clock={clock}
              lang={lang}
              onChange={(pause) => onChange({ pause })}
            />
          </LockedPart>
          <LockedPart locks={locks} lock={whole ? undefined : lockOf('extension')} lang={lang}>
            <ExtensionInput
              clock={clock}
              lang={lang}
              onChange={(extension) => onChange({ extension })}
            />
          </LockedPart>
          <Typography.Text type="secondary" style={{ fontSize: 12, display: 'block' }}>
            {tr(
              lang,
              '此外，领导也可以在案件中手动暂停并写明理由，恢复后顺延。',
              'A leader may also pause it by hand on a case, with a reason; resuming moves the deadline on.',
            )}
          </Typography.Text>
        </Form>
      </LockedPart>
    </Card>
  );
}

/** Steps where a case waits: the only ones a pause step makes sense at. */
const WAITING_KINDS: readonly string[] = ['task', 'multiTask', 'timer', 'subflow'];

/**
 * 暂停步骤: the steps (by name) at which the clock stands still, e.g. 补正材料,
 * 鉴定, 听证 ("the time for X is not counted"); a step since deleted is named
 * as such and dropped at the next change.
 */
function PauseInput({
  flow,
  clock,
  lang,
  onChange,
}: {
  flow: FlowDefinition;
  clock: StatutoryClock;
  lang: Lang;
  onChange: (pause: StatutoryClock['pause']) => void;
}) {
  const chosen = clock.pause ?? [];
  const steps = flow.nodes.filter((n) => WAITING_KINDS.includes(n.kind));
  const value = chosen.filter((id) => steps.some((n) => n.id === id));
  const gone = chosen.length - value.length;
  return (
    <Form.Item
      label={tr(lang, '暂停步骤', 'Pause steps')}
      style={{ marginBottom: 8 }}
      extra={tr(
        lang,
        '案件停在这些步骤时不计时（如补正材料、鉴定、听证），离开后期限顺延，顺延的时间与停留的时间相同。',
        'While the case is at one of these steps (e.g. supplementing documents, appraisal, a hearing) the clock stands still; once it leaves, the deadline moves on by exactly the time spent there.',
      )}
    >
      <Select
        mode="multiple"
        allowClear
        optionFilterProp="label"
        value={value}
        placeholder={tr(lang, '不暂停', 'No pause steps')}
        options={steps.map((n) => ({ value: n.id, label: localize(n.name, lang) }))}
        data-testid="clock-pause"
        status={gone ? 'warning' : undefined}
        onChange={(ids: string[]) => onChange(ids.length ? ids : undefined)}
      />
      {gone > 0 && (
        <Typography.Text type="warning" style={{ fontSize: 12 }} data-testid="clock-pause-gone">
          {tr(
            lang,
            `有 ${gone} 个暂停步骤已被删除，下次修改时移除`,
            `${gone} pause step(s) were deleted and will be removed at the next change`,
          )}
        </Typography.Text>
      )}
    </Form.Item>
  );
}

/** 时长 as a number and a unit (the unit picks the calendar), 节假日顺延 and 提前预警. */
function LengthInput({
  clock,
  lang,
  onChange,
}: {
  clock: StatutoryClock;
  lang: Lang;
  onChange: (deadline: StatutoryClock['deadline']) => void;
}) {
  const shown = durationAmount(clock.deadline);
  return (
    <>
      <Form.Item label={tr(lang, '时长', 'Length')} required style={{ marginBottom: 8 }}>
        <TimedDurationInput
          lang={lang}
          value={clock.deadline}
          units={CLOCK_UNITS}
          allowZero
          testId="clock-length"
          onCommit={(next) => {
            if (!next) return;
            const unit = durationAmount(next)?.unit;
            onChange({
              ...clock.deadline,
              ...next,
              // Working days end on a working day and hours are exact: only days roll over holidays.
              rollOverHolidays: unit === 'days' ? clock.deadline.rollOverHolidays !== false : false,
            });
          }}
        />
      </Form.Item>
      {shown?.unit === 'days' && (
        <Form.Item style={{ marginBottom: 8 }}>
          <Checkbox
            checked={clock.deadline.rollOverHolidays !== false}
            data-testid="clock-roll"
            onChange={(e) => onChange({ ...clock.deadline, rollOverHolidays: e.target.checked })}
          >
            {tr(
              lang,
              '最后一日是节假日的，顺延到节后第一个工作日',
              'When the last day is a holiday, it moves to the next working day',
            )}
          </Checkbox>
        </Form.Item>
      )}
      <Form.Item label={tr(lang, '提前预警', 'Warn before')} style={{ marginBottom: 8 }}>
        <DurationInput
          lang={lang}
          allowEmpty
          calendar={clock.deadline.calendar}
          value={clock.deadline.warningBefore}
          testId="clock-warning"
          onCommit={(warningBefore) => {
            const next: Record<string, unknown> = { ...clock.deadline, warningBefore };
            if (warningBefore === undefined) delete next.warningBefore;
            onChange(next as StatutoryClock['deadline']);
          }}
        />
      </Form.Item>
    </>
  );
}

/** 延期: allowed or not, how many times, by at most how many days. */
function ExtensionInput({
  clock,
  lang,
  onChange,
}: {
  clock: StatutoryClock;
  lang: Lang;
  onChange: (extension: StatutoryClock['extension']) => void;
}) {
  const ext = clock.extension;
  const max = ext ? parseDuration(ext.max) : undefined;
  const maxDays =
    max && !durationProblem(ext?.max ?? '', 'natural') ? max.days + 7 * max.weeks : undefined;
  const beyond = ext && ((maxDays ?? 0) > 30 || ext.times > 1);
  return (
    <Form.Item
      label={tr(lang, '延期', 'Extension')}
      style={{ marginBottom: 8 }}
      validateStatus={beyond ? 'warning' : undefined}
      help={
        beyond
          ? tr(
              lang,
              '超出《信访工作条例》第三十二条（经批准延长一次，不超过 30 日）',
              'Beyond art. 32 of the Regulations (one approved extension of at most 30 days)',
            )
          : undefined
      }
    >
      <Checkbox
        checked={Boolean(ext)}
        data-testid="clock-extension"
        onChange={(e) => onChange(e.target.checked ? { max: 'P30D', times: 1 } : undefined)}
      >
        {tr(lang, '经批准可以延期', 'May be extended when approved')}
      </Checkbox>
      {ext && (
        <Space style={{ marginTop: 6 }} wrap>
          <span>{tr(lang, '最多', 'Up to')}</span>
          <InputNumber
            size="small"
            min={1}
            precision={0}
            value={ext.times}
            style={{ width: 56 }}
            data-testid="clock-extension-times"
            onChange={(v) => typeof v === 'number' && v >= 1 && onChange({ ...ext, times: v })}
          />
          <span>{tr(lang, '次，每次不超过', 'time(s), each at most')}</span>
          <InputNumber
            size="small"
            min={1}
            precision={0}
            value={maxDays ?? null}
            style={{ width: 64 }}
            data-testid="clock-extension-max"
            onChange={(v) => typeof v === 'number' && v >= 1 && onChange({ ...ext, max: `P${v}D` })}
          />
          <span>{tr(lang, '天', 'days')}</span>
        </Space>
      )}
    </Form.Item>
  );
}
