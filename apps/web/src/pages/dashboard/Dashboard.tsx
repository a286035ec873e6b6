import { DownloadOutlined, FileExcelOutlined } from '@ant-design/icons';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  DatePicker,
  Row,
  Spin,
  Statistic,
  Table,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import type { EChartsOption } from 'echarts';
import { useEffect, useMemo, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { api, errorText, pick, type RouterOutputs, type Stats } from '../workbench/api';

import { CATEGORY_NAMES, CHANNEL_NAMES, name, URGENCY } from '../workbench/common';
import { CaseTable, caseSheetColumns, placeName, usePlaces } from '../workbench/lists';
import { allPages, download, downloadXlsx } from '../workbench/xlsx';
import '../workbench/workbench.css';
import { CoverageCard } from '../calendar/CoverageCard';
import { Chart } from './Chart';

type TrendPoint = Awaited<ReturnType<ReturnType<typeof api>['stats']['trend']['query']>>[number];
type Jur = { code: string; name: unknown; level: string | null; parent: string | null };
type Child = { jurisdiction: string; name: unknown; own?: boolean; stats: Stats };
type Supervision = RouterOutputs['stats']['supervision'];

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
const WEEKS = 8;

/** 数据看板: KPIs per jurisdiction and period, charts, drill-down, overdue list, CSV/Excel export. */
export function Dashboard({ me }: { me: Me }) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [jurs, setJurs] = useState<Jur[]>([]);
  const top = me.memberships[0]?.jurisdiction ?? '';
  const [code, setCode] = useState(top);
  const [range, setRange] = useState<[Dayjs, Dayjs]>([
    dayjs().startOf('year'),
    dayjs().add(1, 'day').startOf('day'),
  ]);
  const [stats, setStats] = useState<Stats>();
  const [children, setChildren] = useState<Child[]>([]);
  const [weeks, setWeeks] = useState<{ label: string; s: TrendPoint }[]>([]);
  const [supervision, setSupervision] = useState<Supervision>();
  useEffect(() => {
    api()
      .jurisdictions.list.query()
      .then((j) => setJurs(j as Jur[]))
      .catch(() => {});
  }, []);
  useEffect(() => {
    if (!code) return;
    setStats(undefined);
    const a = api();
    const period = { jurisdiction: code, from: range[0].toISOString(), to: range[1].toISOString() };
    const monday = dayjs()
      .subtract((dayjs().day() + 6) % 7, 'day')
      .startOf('day');
    const first = monday.subtract(WEEKS - 1, 'week');
    Promise.all([
      a.stats.summary.query(period),
      a.stats.byJurisdiction.query(period),
      a.stats.trend.query({
        jurisdiction: code,
        from: first.toISOString(),
        bucket: 'week',
        buckets: WEEKS,
      }),
      a.stats.supervision.query(period),
    ])
      .then(([s, c, w, sv]) => {
        setStats(s);
        setSupervision(sv);
        setChildren(c as Child[]);
        setWeeks(w.map((x) => ({ label: dayjs(x.period.from).format('MM-DD'), s: x })));
      })
      .catch((e) => message.error(errorText(e, lang)));
  }, [code, range, lang, message]);

  const places = usePlaces();
  const jurName = (c: string) =>
    pick(jurs.find((j) => j.code === c)?.name, lang) || placeName(places, c, lang);
  const path = useMemo(() => {
    const out: string[] = [];
    let c: string | null | undefined = code;
    while (c) {
      out.unshift(c);
      if (c === top) break;
      c = jurs.find((j) => j.code === c)?.parent;
    }
    return out;
  }, [code, jurs, top]);

  const kpis = stats
    ? [
        {
          key: 'ftr',
          zh: '一次性化解率',
          en: 'First-time resolution',
          v: stats.firstTimeResolutionRate,
        },
        { key: 'sat', zh: '满意率', en: 'Satisfaction', v: stats.satisfactionRate },
        { key: 'part', zh: '参评率', en: 'Participation', v: stats.participationRate },
        { key: 'ontime', zh: '按期办结率', en: 'On-time closure', v: stats.onTimeClosureRate },
      ]
    : [];
  const channelOpt = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          data: Object.entries(stats?.byChannel ?? {}).map(([k, v]) => ({
            name: name(CHANNEL_NAMES, k, lang),
            value: v,
          })),
        },
      ],
    }),
    [stats, lang],
  );
  const urgencyOpt = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'item' },
      xAxis: {
        type: 'category',
        data: ['red', 'yellow', 'blue', 'green', 'none'].map((k) =>
          URGENCY[k]
            ? tr(lang, URGENCY[k].name[0], URGENCY[k].name[1])
            : tr(lang, '未定色', 'None'),
        ),
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          data: ['red', 'yellow', 'blue', 'green', 'none'].map((k) => ({
            value: stats?.byUrgency[k] ?? 0,
            itemStyle: { color: URGENCY[k]?.hex ?? '#bfbfbf' },
          })),
        },
      ],
    }),
    [stats, lang],
  );
  const categoryOpt = useMemo<EChartsOption>(() => {
    const entries = Object.entries(stats?.byCategory ?? {})
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10);
    return {
      tooltip: {},
      grid: { left: 90, right: 16, top: 10, bottom: 20 },
      xAxis: { type: 'value', minInterval: 1 },
      yAxis: {
        type: 'category',
        data: entries
          .map(([k]) => (k === 'none' ? tr(lang, '未分类', 'None') : name(CATEGORY_NAMES, k, lang)))
          .reverse(),
      },
      series: [
        { type: 'bar', data: entries.map(([, v]) => v).reverse(), itemStyle: { color: '#5470c6' } },
      ],
    };
  }, [stats, lang]);
  const trendOpt = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 40 },
      xAxis: { type: 'category', data: weeks.map((w) => w.label) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: tr(lang, '登记', 'Received'),
          type: 'line',
          data: weeks.map((w) => w.s.received),
        },
        {
          name: tr(lang, '办结', 'Closed'),
          type: 'line',
          data: weeks.map((w) => w.s.closed),
        },
      ],
    }),
    [weeks, lang],
  );
  const childOpt = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 50 },
      xAxis: {
        type: 'category',
        data: children.map((c) => pick(c.name, lang) || c.jurisdiction),
        axisLabel: { interval: 0, rotate: children.length > 6 ? 30 : 0 },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: tr(lang, '登记', 'Received'),
          type: 'bar',
          data: children.map((c) => c.stats.received),
        },
        {
          name: tr(lang, '办结', 'Closed'),
          type: 'bar',
          data: children.map((c) => c.stats.closed),
        },
        {
          name: tr(lang, '在办超期', 'Overdue'),
          type: 'bar',
          data: children.map((c) => c.stats.overdueOpen),
          itemStyle: { color: '#f5222d' },
        },
      ],
    }),
    [children, lang],
  );

  const exportRows = () => {
    const rows: (string | number)[][] = [
      [
        tr(lang, '地区', 'Jurisdiction'),
        tr(lang, '受理登记量', 'Received'),
        tr(lang, '办结量', 'Closed'),
        tr(lang, '一次性化解率', 'First-time resolution'),
        tr(lang, '满意率', 'Satisfaction'),
        tr(lang, '参评率', 'Participation'),
        tr(lang, '按期办结率', 'On-time closure'),
        tr(lang, '在办超期', 'Overdue open'),
      ],
    ];
    const line = (label: string, s: Stats) => [
      label,
      s.received,
      s.closed,
      pct(s.firstTimeResolutionRate),
      pct(s.satisfactionRate),
      pct(s.participationRate),
      pct(s.onTimeClosureRate),
      s.overdueOpen,
    ];
    if (stats) rows.push(line(`${jurName(code)}（${tr(lang, '合计', 'total')}）`, stats));
    for (const c of children) rows.push(line(pick(c.name, lang) || c.jurisdiction, c.stats));
    return rows;
  };
  const fileBase = `lianxin-${code}-${range[0].format('YYYYMMDD')}-${range[1].format('YYYYMMDD')}`;
  const exportCsv = () => {
    const csv = exportRows()
      .map((r) => r.map((v) => `"${String(v).replace(/"/g, '""')}"`).join(','))
      .join('\r\n');
    download(new Blob([`\ufeff${csv}`], { type: 'text/csv;charset=utf-8' }), `${fileBase}.csv`);
  };
  const overdueFilters = useMemo(
    // The longest-waiting first, paged to the end (never a silent first 100).
    () => ({
      jurisdiction: code,
      status: ['active' as const],
      overdue: true,
      order: 'oldest' as const,
    }),
    [code],
  );
  /** KPIs as numbers (rates as percentages Excel can sum), and every overdue case, not a first page. */
  const exportXlsx = async () => {
    const key = 'dashboard-export';
    try {
      const overdue = await allPages(
        (cursor, limit) =>
          api().cases.list.query({ ...overdueFilters, limit, ...(cursor ? { cursor } : {}) }),
        lang,
        (done, total, more) =>
          message.loading({
            key,
            content: tr(
              lang,
              `正在导出超期清单 ${done} / ${total}${more ? '+' : ''}`,
              `Exporting ${done} / ${total}${more ? '+' : ''}`,
            ),
            duration: 0,
          }),
      );
      type Line = { label: string; s: Stats };
      const rate = (header: string, v: (s: Stats) => number | null) => ({
        header,
        value: (l: Line) => v(l.s),
        numFmt: '0.0%',
      });
      const lines: Line[] = [
        ...(stats ? [{ label: `${jurName(code)}（${tr(lang, '合计', 'total')}）`, s: stats }] : []),
        ...children.map((c) => ({
          label: pick(c.name, lang) || jurName(c.jurisdiction),
          s: c.stats,
        })),
      ];
      await downloadXlsx(fileBase, [
        {
          name: tr(lang, '指标', 'KPIs'),
          rows: lines,
          columns: [
            { header: tr(lang, '地区', 'Jurisdiction'), value: (l: Line) => l.label, width: 22 },
            { header: tr(lang, '受理登记量', 'Received'), value: (l: Line) => l.s.received },
            { header: tr(lang, '办结量', 'Closed'), value: (l: Line) => l.s.closed },
            rate(
              tr(lang, '一次性化解率', 'First-time resolution'),
              (s) => s.firstTimeResolutionRate,
            ),
            rate(tr(lang, '满意率', 'Satisfaction'), (s) => s.satisfactionRate),
            rate(tr(lang, '参评率', 'Participation'), (s) => s.participationRate),
            rate(tr(lang, '按期办结率', 'On-time closure'), (s) => s.onTimeClosureRate),
            { header: tr(lang, '在办超期', 'Overdue open'), value: (l: Line) => l.s.overdueOpen },
          ],
        },
        {
          name: tr(lang, '超期清单', 'Overdue'),
          rows: overdue,
          columns: caseSheetColumns(lang, places),
        },
        ...(supervision
          ? [
              {
                name: tr(lang, '督办', 'Supervision'),
                rows: [supervision],
                columns: [
                  {
                    header: tr(lang, '督办件', 'Supervised cases'),
                    value: (v: Supervision) => v.supervisedCases,
                  },
                  {
                    header: tr(lang, '督办次数', 'Orders issued'),
                    value: (v: Supervision) => v.issued,
                  },
                  {
                    header: tr(lang, '督办办结', 'Orders done'),
                    value: (v: Supervision) => v.done,
                  },
                  {
                    header: tr(lang, '按期办结', 'Done on time'),
                    value: (v: Supervision) => v.doneOnTime,
                  },
                  {
                    header: tr(lang, '督办按期办结率', 'Supervision on time'),
                    value: (v: Supervision) => v.onTimeRate,
                    numFmt: '0.0%',
                  },
                  { header: tr(lang, '督办中', 'Open'), value: (v: Supervision) => v.open },
                  {
                    header: tr(lang, '督办超期', 'Open and overdue'),
                    value: (v: Supervision) => v.openOverdue,
                  },
                ],
              },
            ]
          : []),
      ]);
      message.success({
        key,
        content: tr(
          lang,
          `已导出，超期 ${overdue.length} 件`,
          `Exported, ${overdue.length} overdue`,
        ),
      });
    } catch (e) {
      message.error({ key, content: errorText(e, lang) });
    }
  };

  return (
    <div className="wb-page" data-testid="dashboard">
      <div className="wb-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {tr(lang, '数据看板', 'Dashboard')}
        </Typography.Title>
        <Breadcrumb
          items={path.map((c) => ({
            title: (
              <Button
                type="link"
                size="small"
                onClick={() => setCode(c)}
                data-testid={`crumb-${c}`}
              >
                {jurName(c)}
              </Button>
            ),
          }))}
        />
        <div style={{ flex: 1 }} />
        <DatePicker.RangePicker
          value={range}
          allowClear={false}
          onChange={(v) => v?.[0] && v[1] && setRange([v[0].startOf('day'), v[1].endOf('day')])}
        />
        <Button icon={<DownloadOutlined />} onClick={exportCsv} data-testid="export-csv">
          CSV
        </Button>
        <Button
          icon={<FileExcelOutlined />}
          onClick={() => void exportXlsx()}
          data-testid="export-xlsx"
        >
          Excel
        </Button>
      </div>
      <CoverageCard jurisdiction={code} />
      {!stats ? (
        <Spin style={{ display: 'block', margin: '20vh auto' }} />
      ) : (
        <>
          <Row gutter={[12, 12]}>
            <Col span={4}>
              <Card size="small">
                <Statistic title={tr(lang, '受理登记量', 'Received')} value={stats.received} />
              </Card>
            </Col>
            <Col span={4}>
              <Card size="small">
                <Statistic
                  title={tr(lang, '办结量', 'Closed')}
                  value={stats.closed}
                  data-testid="kpi-closed"
                />
              </Card>
            </Col>
            {kpis.map((k) => (
              <Col span={k.key === 'ontime' ? 4 : 4} key={k.key}>
                <Card size="small" data-testid={`kpi-${k.key}`}>
                  <Statistic title={tr(lang, k.zh, k.en)} value={pct(k.v)} />
                </Card>
              </Col>
            ))}
          </Row>
          {supervision && (
            <Row gutter={[12, 12]} style={{ marginTop: 12 }} data-testid="supervision-kpis">
              <Col span={4}>
                <Card size="small" data-testid="kpi-supervised">
                  <Statistic
                    title={tr(lang, '督办件', 'Supervised cases')}
                    value={supervision.supervisedCases}
                  />
                </Card>
              </Col>
              <Col span={4}>
                <Card size="small" data-testid="kpi-supervision-ontime">
                  <Statistic
                    title={tr(lang, '督办按期办结率', 'Supervision on time')}
                    value={pct(supervision.onTimeRate)}
                  />
                </Card>
              </Col>
              <Col span={4}>
                <Card size="small">
                  <Statistic
                    title={tr(lang, '督办中', 'Supervision open')}
                    value={supervision.open}
                  />
                </Card>
              </Col>
              <Col span={4}>
                <Card size="small" data-testid="kpi-supervision-overdue">
                  <Statistic
                    title={tr(lang, '督办超期', 'Supervision overdue')}
                    value={supervision.openOverdue}
                    valueStyle={supervision.openOverdue ? { color: '#cf1322' } : undefined}
                  />
                </Card>
              </Col>
            </Row>
          )}
          <Row gutter={[12, 12]} style={{ marginTop: 12 }}>
            <Col span={8}>
              <Card size="small" title={tr(lang, '按渠道', 'By channel')}>
                <Chart option={channelOpt} testId="chart-channel" />
              </Card>
            </Col>
            <Col span={8}>
              <Card size="small" title={tr(lang, '按四色', 'By urgency colour')}>
                <Chart option={urgencyOpt} testId="chart-urgency" />
              </Card>
            </Col>
            <Col span={8}>
              <Card size="small" title={tr(lang, '按类别', 'By category')}>
                <Chart option={categoryOpt} testId="chart-category" />
              </Card>
            </Col>
            <Col span={12}>
              <Card size="small" title={tr(lang, '近 8 周趋势', 'Last 8 weeks')}>
                <Chart option={trendOpt} testId="chart-trend" />
              </Card>
            </Col>
            <Col span={12}>
              <Card
                size="small"
                title={tr(lang, '下级地区（点击下钻）', 'Below (click to drill down)')}
              >
                {children.length ? (
                  <Chart
                    option={childOpt}
                    testId="chart-children"
                    onClick={(p) => {
                      const c = children.find(
                        (x) => (pick(x.name, lang) || x.jurisdiction) === p.name,
                      );
                      if (c && !c.own) setCode(c.jurisdiction);
                    }}
                  />
                ) : (
                  <Typography.Text type="secondary">
                    {tr(lang, '没有下级地区', 'No jurisdictions below')}
                  </Typography.Text>
                )}
              </Card>
            </Col>
          </Row>
          {children.length > 0 && (
            <Card
              size="small"
              title={tr(lang, '分地区指标', 'KPIs by jurisdiction')}
              style={{ marginTop: 12 }}
            >
              <Table<Child>
                size="small"
                rowKey="jurisdiction"
                pagination={false}
                dataSource={children}
                data-testid="children-table"
                columns={[
                  {
                    title: tr(lang, '地区', 'Jurisdiction'),
                    render: (_, c) =>
                      c.own ? (
                        <span data-testid="own-level" style={{ paddingLeft: 8 }}>
                          {pick(c.name, lang)}
                        </span>
                      ) : (
                        <Button
                          type="link"
                          size="small"
                          onClick={() => setCode(c.jurisdiction)}
                          data-testid={`drill-${c.jurisdiction}`}
                        >
                          {pick(c.name, lang) || jurName(c.jurisdiction)}
                        </Button>
                      ),
                  },
                  { title: tr(lang, '登记', 'Received'), render: (_, c) => c.stats.received },
                  { title: tr(lang, '办结', 'Closed'), render: (_, c) => c.stats.closed },
                  {
                    title: tr(lang, '一次性化解率', 'First-time'),
                    render: (_, c) => pct(c.stats.firstTimeResolutionRate),
                  },
                  {
                    title: tr(lang, '满意率', 'Satisfaction'),
                    render: (_, c) => pct(c.stats.satisfactionRate),
                  },
                  {
                    title: tr(lang, '参评率', 'Participation'),
                    render: (_, c) => pct(c.stats.participationRate),
                  },
                  {
                    title: tr(lang, '按期办结率', 'On time'),
                    render: (_, c) => pct(c.stats.onTimeClosureRate),
                  },
                  { title: tr(lang, '在办超期', 'Overdue'), render: (_, c) => c.stats.overdueOpen },
                ]}
              />
            </Card>
          )}
          <Card
            size="small"
            title={tr(lang, `超期清单（${stats.overdueOpen}）`, `Overdue (${stats.overdueOpen})`)}
            style={{ marginTop: 12 }}
          >
            <CaseTable
              filters={overdueFilters}
              testId="dashboard-overdue"
              exportName={tr(lang, '超期清单', 'overdue')}
              pageSize={10}
            />
          </Card>
        </>
      )}
    </div>
  );
}
