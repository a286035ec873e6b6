import type { Lang } from '@lianxin/spec';
import { Card, Timeline } from 'antd';
import { useMemo } from 'react';
import { tr } from '../../../i18n';
import { fmt } from '../common';
import { describeEvents, userLabel } from './timeline';
import type { CaseCardProps } from './types';

/** 办理记录: every event in words, newest first, with when and by whom. */
export function TimelineCard({
  view,
  definition,
  lang,
  places,
}: CaseCardProps & { lang: Lang; places: Readonly<Record<string, unknown>> }) {
  const items = useMemo(() => {
    const lines = describeEvents(view.timeline, definition, view.users, lang, places);
    return view.timeline
      .flatMap((e, i) => {
        const line = lines[i];
        return line ? [{ e, line }] : [];
      })
      .reverse()
      .map(({ e, line }) => ({
        key: e.seq,
        color: line.colour,
        children: (
          <div data-testid={`event-${e.type}`}>
            <div style={{ fontWeight: 500 }}>{line.what}</div>
            {line.details.map((d, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed lines of one event
              <div key={i} style={{ color: 'rgba(0, 0, 0, 0.7)' }}>
                {d}
              </div>
            ))}
            <div className="wb-muted">
              {fmt(e.at)}
              {e.by
                ? ` · ${userLabel(e.by, view.users, definition, lang)}`
                : e.type === 'case.started' && e.channel === 'online'
                  ? ` · ${tr(lang, '信访人（网上提交）', 'the petitioner, online')}`
                  : ''}
            </div>
          </div>
        ),
      }));
  }, [view, definition, lang, places]);
  return (
    <Card size="small" title={tr(lang, '办理记录', 'Timeline')}>
      <div className="wb-timeline" data-testid="timeline">
        <Timeline items={items} />
      </div>
    </Card>
  );
}
