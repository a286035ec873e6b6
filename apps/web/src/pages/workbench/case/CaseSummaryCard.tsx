import type { Lang } from '@lianxin/spec';
import { Button, Card, Descriptions, Space, Tag, Typography } from 'antd';
import type { Me } from '../../../backend';
import { tr } from '../../../i18n';
import { ProvisionalTag, provisionalFlag } from '../../calendar/ProvisionalTag';
import { pick } from '../api';
import { CHANNEL_NAMES, DueTag, fmt, name, shown } from '../common';
import { RevealContact } from '../RevealContact';
import { ClockPauseButton, PausedTag } from './ClockPause';
import { userLabel, valueText } from './timeline';
import type { Act, CaseCardProps } from './types';

/**
 * Who asked, how and where, the 包案 leader, the category, and the statutory clocks (a leader
 * pauses and resumes them here).
 */
export function CaseSummaryCard({
  view,
  definition,
  lang,
  me,
  places,
  act,
  reload,
}: CaseCardProps & {
  lang: Lang;
  me: Me;
  places: Readonly<Record<string, unknown>>;
  act: Act;
  reload: () => Promise<void>;
}) {
  const { state } = view;
  const p = view.petitioner;
  const clocks = Object.values(state.clocks);
  const caseCmds = new Set(view.actions.case);
  const category = (state.data as Record<string, unknown>).category;
  return (
    <Card size="small" style={{ marginBottom: 12 }}>
      <Descriptions size="small" column={4}>
        <Descriptions.Item label={tr(lang, '信访人', 'Petitioner')}>
          <span data-testid="petitioner-name">{shown(p?.name)}</span>
        </Descriptions.Item>
        <Descriptions.Item label={tr(lang, '电话', 'Phone')}>
          <Space size={4} wrap>
            <span data-testid="petitioner-phone">{shown(p?.phone)}</span>
            <RevealContact caseId={view.case.id} privacy={view.privacy} onRevealed={reload} />
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={tr(lang, '身份证', 'ID card')}>
          {shown(p?.idCard)}
        </Descriptions.Item>
        <Descriptions.Item label={tr(lang, '渠道', 'Channel')}>
          {name(CHANNEL_NAMES, state.channel, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={tr(lang, '属地', 'Jurisdiction')}>
          <span data-testid="case-jurisdiction">
            {pick(places[state.jurisdiction], lang) || tr(lang, '（辖区名称加载中）', '(loading)')}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={tr(lang, '包案领导', 'Leader owner')}>
          <Space size={4}>
            <span data-testid="leader-owner">
              {state.leaderOwner
                ? userLabel(state.leaderOwner, view.users, definition, lang)
                : tr(lang, '未指定', 'None')}
            </span>
            {caseCmds.has('case.setLeader') && state.leaderOwner !== me.id && (
              <Button
                size="small"
                onClick={() =>
                  void act(
                    { type: 'case.setLeader', userId: me.id },
                    tr(lang, '已包案', 'You own this case'),
                  )
                }
                data-testid="own-case"
              >
                {tr(lang, '我来包案', 'Own this case')}
              </Button>
            )}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={tr(lang, '登记时间', 'Registered')}>
          {fmt(state.createdAt)}
        </Descriptions.Item>
        <Descriptions.Item label={tr(lang, '类别', 'Category')}>
          <span data-testid="case-category">
            {category == null ? '—' : valueText('category', category, undefined, definition, lang)}
          </span>
        </Descriptions.Item>
      </Descriptions>
      {clocks.length > 0 && (
        <Space wrap style={{ marginTop: 4 }} data-testid="clocks">
          <Typography.Text strong>{tr(lang, '法定时限', 'Statutory deadlines')}</Typography.Text>
          {clocks.map((c) => (
            <Space key={c.id} size={4} className="wb-clock" data-testid={`clock-${c.id}`}>
              <span>{pick(c.name, lang)}</span>
              {c.status === 'stopped' ? (
                <Tag>{tr(lang, '已完成', 'Done')}</Tag>
              ) : c.status === 'paused' ? (
                <PausedTag clock={c} definition={definition} lang={lang} />
              ) : (
                <DueTag due={c.due} state={c.overdue ? 'overdue' : undefined} lang={lang} />
              )}
              <span className="wb-muted" data-testid="clock-due">
                {fmt(c.due)}
              </span>
              {c.status !== 'stopped' && provisionalFlag(state.flags, 'clock', c.id) && (
                <ProvisionalTag lang={lang} flag={provisionalFlag(state.flags, 'clock', c.id)} />
              )}
              {c.extensionsUsed > 0 && <Tag color="cyan">{tr(lang, '已延期', 'Extended')}</Tag>}
              <ClockPauseButton clock={c} commands={caseCmds} lang={lang} act={act} />
            </Space>
          ))}
        </Space>
      )}
    </Card>
  );
}
