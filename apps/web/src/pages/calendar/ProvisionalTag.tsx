import type { Lang } from '@lianxin/spec';
import { Tag, Tooltip } from 'antd';
import { tr } from '../../i18n';
import { pick } from '../workbench/api';

/** A case flag as the case's state carries it (the engine's `CaseFlag`, across the wire). */
interface Flag {
  code: string;
  subject?: { kind: string; id: string };
  message?: unknown;
}

/** The `calendar.provisional` flag of one deadline (a clock, task or timer) of a case, if any. */
export function provisionalFlag(
  flags: readonly unknown[] | undefined,
  kind: 'clock' | 'task' | 'timer',
  id: string,
): Flag | undefined {
  return (flags as Flag[] | undefined)?.find(
    (f) => f.code === 'calendar.provisional' && f.subject?.kind === kind && f.subject.id === id,
  );
}

/**
 * 临时: a deadline counted over a year whose holiday arrangement is not yet
 * published (computed from the 放假办法); it moves when the year is published.
 */
export function ProvisionalTag({ lang, flag }: { lang: Lang; flag?: Flag }) {
  const why = flag?.message
    ? pick(flag.message, lang)
    : tr(
        lang,
        '期限涉及尚未公布放假安排的年份，按放假办法临时推算；国务院通知发布后自动重新计算',
        'The deadline runs into a year whose holidays are not yet announced: counted provisionally from the holiday rules, and recomputed once the notice is published',
      );
  return (
    <Tooltip title={why}>
      <Tag color="gold" data-testid="provisional">
        {tr(lang, '临时', 'Provisional')}
      </Tag>
    </Tooltip>
  );
}
