import type { Lang } from '@lianxin/spec';
import { Button, Input, Modal, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { tr } from '../../../i18n';
import { pick } from '../api';
import { fmt } from '../common';
import { nodeName } from './timeline';
import type { Act, CaseCardProps } from './types';

type Clock = CaseCardProps['view']['state']['clocks'][string];

/**
 * 已暂停 on a statutory clock, saying since when and why: a leader's reason, or the step
 * of the flow the case waits at (a pause step holds the clock by the flow's rule).
 */
export function PausedTag({
  clock,
  definition,
  lang,
}: {
  clock: Clock;
  definition: CaseCardProps['definition'];
  lang: Lang;
}) {
  const step = clock.pauseStep;
  const why =
    step !== undefined
      ? tr(
          lang,
          `案件在“${nodeName(definition, step, lang)}”，这一步的时间按流程规定不计入期限`,
          `The case is at "${nodeName(definition, step, lang)}": by the flow, the time there is not counted`,
        )
      : tr(lang, `理由：${clock.pauseReason ?? ''}`, `Reason: ${clock.pauseReason ?? ''}`);
  return (
    <Tooltip title={why}>
      <Tag color="orange" data-testid="clock-paused">
        {tr(lang, `已暂停（自 ${fmt(clock.pausedAt)}）`, `Paused (since ${fmt(clock.pausedAt)})`)}
      </Tag>
    </Tooltip>
  );
}

/**
 * A leader's 暂停计时 / 恢复计时 of one statutory clock (the engine's `clock.pause` and
 * `clock.resume`), e.g. while an appraisal the handling depends on is awaited. A pause asks
 * for its reason; a clock the flow holds at a pause step is resumed by the case leaving it,
 * not by hand.
 */
export function ClockPauseButton({
  clock,
  commands,
  lang,
  act,
}: {
  clock: Clock;
  /** The case commands this reader may give now (`view.actions.case`). */
  commands: ReadonlySet<string>;
  lang: Lang;
  act: Act;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const name = pick(clock.name, lang);
  if (clock.status === 'paused' && clock.pauseStep === undefined) {
    if (!commands.has('clock.resume')) return null;
    return (
      <Button
        size="small"
        data-testid="clock-resume"
        onClick={() =>
          void act(
            { type: 'clock.resume', clockId: clock.id },
            tr(lang, `已恢复计时：${name}`, `Clock resumed: ${name}`),
          )
        }
      >
        {tr(lang, '恢复计时', 'Resume')}
      </Button>
    );
  }
  if (clock.status !== 'running' || !commands.has('clock.pause')) return null;
  return (
    <>
      <Button size="small" data-testid="clock-pause" onClick={() => setOpen(true)}>
        {tr(lang, '暂停计时', 'Pause')}
      </Button>
      <Modal
        open={open}
        title={tr(lang, `暂停计时：${name}`, `Pause the clock: ${name}`)}
        onCancel={() => setOpen(false)}
        okText={tr(lang, '暂停计时', 'Pause')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={
          { disabled: reason.trim().length < 2, 'data-testid': 'clock-pause-ok' } as never
        }
        onOk={async () => {
          const paused = await act(
            { type: 'clock.pause', clockId: clock.id, reason: reason.trim() },
            tr(lang, `已暂停计时：${name}`, `Clock paused: ${name}`),
          );
          if (paused) {
            setOpen(false);
            setReason('');
          }
        }}
      >
        <Typography.Paragraph type="secondary">
          {tr(
            lang,
            '暂停期间不计入期限。恢复计时后，按日计算的期限按暂停的整日数顺延，按工作日计算的按暂停期间的整工作日数顺延，不足一日的不计。',
            'The time paused is not counted. On resuming, a deadline counted in days moves by the whole days paused, one counted in working days by the whole working days paused; part of a day does not count.',
          )}
        </Typography.Paragraph>
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={tr(
            lang,
            '暂停理由（必填，如：等待司法鉴定结论）',
            'Reason (required, e.g. awaiting a forensic appraisal)',
          )}
          data-testid="clock-pause-reason"
        />
      </Modal>
    </>
  );
}
