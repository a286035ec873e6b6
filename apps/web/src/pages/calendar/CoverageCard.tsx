import { CalendarOutlined } from '@ant-design/icons';
import { Card, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { api } from '../workbench/api';
import type { Coverage } from './shared';

const STATUS: Record<string, [string, string, string]> = {
  official: ['官方', 'official', 'green'],
  // The bundled years are the State Council's arrangements too, shipped with the software.
  bundled: ['官方（内置）', 'official (bundled)', 'green'],
  provisional: ['临时', 'provisional', 'gold'],
};

/**
 * The dashboard's calendar line: this year and next as official, bundled or
 * provisional, and how many open cases have a deadline counted on a
 * provisional year, with a link to the calendar page.
 */
export function CoverageCard({ jurisdiction }: { jurisdiction: string }) {
  const { lang } = useLang();
  const [coverage, setCoverage] = useState<Coverage>();
  useEffect(() => {
    if (!jurisdiction) return;
    let live = true;
    api()
      .calendars.coverage.query({ jurisdiction })
      .then((c) => {
        if (live) setCoverage(c);
      })
      .catch(() => {
        if (live) setCoverage(undefined);
      });
    return () => {
      live = false;
    };
  }, [jurisdiction]);
  if (!coverage) return null;
  const provisional = coverage.provisionalCases;
  return (
    <Card size="small" style={{ marginBottom: 12 }} data-testid="calendar-coverage-card">
      <Space wrap>
        <CalendarOutlined />
        <Typography.Text strong>{tr(lang, '工作日历', 'Working-day calendar')}</Typography.Text>
        {coverage.years.map((y) => {
          const s = STATUS[y.status] ?? STATUS.provisional;
          return (
            <Tag key={y.year} color={s?.[2]} data-testid={`coverage-${y.year}`}>
              {tr(lang, `${y.year} ${s?.[0]}`, `${y.year} ${s?.[1]}`)}
            </Tag>
          );
        })}
        {provisional > 0 ? (
          <Typography.Text type="warning" data-testid="coverage-provisional-cases">
            {tr(
              lang,
              `${provisional} 件在办事项的期限为临时推算`,
              `${provisional} open case(s) have deadlines on a provisional year`,
            )}
          </Typography.Text>
        ) : (
          <Typography.Text type="secondary" data-testid="coverage-provisional-cases">
            {tr(
              lang,
              '在办事项的期限均按官方安排计算',
              'Every open deadline uses an official year',
            )}
          </Typography.Text>
        )}
        <a href="#/calendar" data-testid="coverage-link">
          {tr(lang, '查看日历', 'Open the calendar')}
        </a>
      </Space>
    </Card>
  );
}
