import { PlusOutlined, QrcodeOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import {
  App,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Input,
  Row,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { navigate } from '../../router';
import { IntakeQrButton } from '../intake/IntakeQr';
import { ApprovalsCard } from './Approvals';
import { api, type CaseListRow, errorText, type InboxRow, pick } from './api';
import { CHANNEL_NAMES, DueTag, fmt, name, STATUS_NAMES, URGENCY } from './common';
import { useDepartments } from './departments';
import {
  type CaseFilters,
  CaseTable,
  CursorPager,
  codeColumn,
  colourColumn,
  countText,
  ExportButton,
  inboxSheetColumns,
  PAGE_SIZE,
  titleColumn,
  useCursorPages,
} from './lists';
import './workbench.css';

const SUPERVISING = new Set(['admin', 'leader', 'supervisor']);

/** 工作台: my tasks, case search, the four-colour board, overdue and weekly review lists. */
export function Workbench({ me }: { me: Me }) {
  const { lang } = useLang();
  const supervising = me.memberships.some((m) => SUPERVISING.has(m.role));
  // 一周一核 is the receptionists' weekly meeting list too (they register and chase cases).
  const reviewing = supervising || me.memberships.some((m) => m.role === 'receptionist');
  const canRegister = me.memberships.some((m) =>
    ['admin', 'receptionist', 'leader'].includes(m.role),
  );
  const [tab, setTab] = useState(() => sessionStorage.getItem('lianxin.wbTab') ?? 'inbox');
  const items = [
    { key: 'inbox', label: tr(lang, '我的待办', 'My tasks'), children: <InboxTab me={me} /> },
    { key: 'cases', label: tr(lang, '案件查询', 'Cases'), children: <CasesTab /> },
    ...(supervising
      ? [
          {
            key: 'board',
            label: tr(lang, '四色看板', 'Four-colour board'),
            children: <BoardTab />,
          },
        ]
      : []),
    ...(reviewing
      ? [
          {
            key: 'weekly',
            label: tr(lang, '一周一核', 'Weekly review'),
            children: <WeeklyTab />,
          },
        ]
      : []),
  ];
  return (
    <div className="wb-page">
      <div className="wb-toolbar">
        <Typography.Title level={4} style={{ margin: 0 }}>
          {tr(lang, '工作台', 'Workbench')}
        </Typography.Title>
        <div style={{ flex: 1 }} />
        <Space>
          <IntakeQrButton me={me} icon={<QrcodeOutlined />} />
          {canRegister && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => navigate('/workbench/register')}
              data-testid="register-case"
            >
              {tr(lang, '登记信访事项', 'Register a case')}
            </Button>
          )}
        </Space>
      </div>
      <Tabs
        activeKey={tab}
        onChange={(k) => {
          sessionStorage.setItem('lianxin.wbTab', k);
          setTab(k);
        }}
        items={items}
        destroyOnHidden
      />
    </div>
  );
}

type Which = 'all' | 'mine' | 'claimable';
/** The colour filter's choices: the four colours, and 未定色 for cases not triaged yet. */
const colourOptions = (lang: Lang): { value: ColourFilter; label: string }[] => [
  ...Object.entries(URGENCY).map(([k, u]) => ({
    value: k as ColourFilter,
    label: tr(lang, u.name[0], u.name[1]),
  })),
  { value: 'none', label: tr(lang, '未定色', 'Not triaged') },
];
type DueFilter = 'onTime' | 'dueSoon' | 'overdue';
type ColourFilter = 'red' | 'yellow' | 'blue' | 'green' | 'none';

/** My tasks, a page at a time from the server, earliest deadline first. */
function InboxTab({ me }: { me: Me }) {
  useDepartments();
  const { lang } = useLang();
  const { message } = App.useApp();
  const [rows, setRows] = useState<InboxRow[]>();
  const [count, setCount] = useState<{ total: number; more: boolean; next: string | null }>({
    total: 0,
    more: false,
    next: null,
  });
  const [code, setCode] = useState('');
  const [urgency, setUrgency] = useState<ColourFilter[]>([]);
  const [due, setDue] = useState<DueFilter[]>([]);
  const [which, setWhich] = useState<Which>('all');
  const [sort, setSort] = useState<'due' | 'newest'>('due');
  const query = useMemo(
    () => ({
      which,
      sort,
      ...(due.length ? { dueState: due } : {}),
      ...(urgency.length ? { urgency } : {}),
      ...(code.trim() ? { trackingCode: code.trim() } : {}),
    }),
    [which, sort, due, urgency, code],
  );
  // A new filter starts again from the first page.
  const pages = useCursorPages(JSON.stringify(query));
  const cursor = pages.cursor;
  const load = useCallback(() => {
    setRows(undefined);
    api()
      .tasks.inbox.query({ limit: PAGE_SIZE, ...(cursor ? { cursor } : {}), ...query })
      .then((r) => {
        setRows(r.rows);
        setCount({ total: r.total, more: r.more, next: r.next });
      })
      .catch((e) => message.error(errorText(e, lang)));
  }, [cursor, query, lang, message]);
  useEffect(load, [load]);
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) =>
      set(v);
  const claim = async (r: InboxRow) => {
    try {
      await api().tasks.claim.mutate({ taskId: r.id });
      message.success(tr(lang, '已签收', 'Claimed'));
      load();
    } catch (e) {
      message.error(errorText(e, lang));
    }
  };
  return (
    <>
      <ApprovalsCard />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={tr(lang, '查询码', 'Tracking code')}
          onSearch={filter(setCode)}
          style={{ width: 200 }}
          data-testid="inbox-search"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={tr(lang, '四色', 'Colour')}
          style={{ minWidth: 140 }}
          value={urgency}
          onChange={filter(setUrgency)}
          options={colourOptions(lang)}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={tr(lang, '时限状态', 'Deadline')}
          style={{ minWidth: 160 }}
          value={due}
          onChange={filter(setDue)}
          data-testid="inbox-due"
          options={[
            { value: 'onTime' as const, label: tr(lang, '正常', 'On time') },
            { value: 'dueSoon' as const, label: tr(lang, '即将到期', 'Due soon') },
            { value: 'overdue' as const, label: tr(lang, '已超期', 'Overdue') },
          ]}
        />
        <Select
          value={which}
          onChange={filter(setWhich)}
          style={{ width: 150 }}
          options={[
            { value: 'all', label: tr(lang, '全部待办', 'All tasks') },
            { value: 'mine', label: tr(lang, '我已签收', 'Claimed by me') },
            { value: 'claimable', label: tr(lang, '待签收（本组）', 'To claim (my groups)') },
          ]}
        />
        <Select
          value={sort}
          onChange={filter(setSort)}
          style={{ width: 150 }}
          data-testid="inbox-sort"
          options={[
            { value: 'due', label: tr(lang, '时限最近在前', 'Earliest deadline') },
            { value: 'newest', label: tr(lang, '最新接收在前', 'Newest first') },
          ]}
        />
        <Button icon={<ReloadOutlined />} onClick={load}>
          {tr(lang, '刷新', 'Refresh')}
        </Button>
        <Typography.Text type="secondary" data-testid="inbox-total">
          {countText(lang, count.total, count.more, { 'zh-CN': '项', en: 'tasks' })}
        </Typography.Text>
        <ExportButton<InboxRow>
          lang={lang}
          testId="inbox-export"
          fileName={`lianxin-${tr(lang, '我的待办', 'my-tasks')}-${dayjs().format('YYYYMMDD')}`}
          sheetName={tr(lang, '我的待办', 'My tasks')}
          columns={() => inboxSheetColumns(lang, me.id)}
          page={(c, limit) =>
            api().tasks.inbox.query({ ...query, limit, ...(c ? { cursor: c } : {}) })
          }
        />
      </Space>
      <Table<InboxRow>
        rowKey="id"
        size="middle"
        loading={!rows}
        dataSource={rows ?? []}
        pagination={false}
        data-testid="inbox-table"
        onRow={(r) => ({ 'data-testid': `inbox-row-${r.trackingCode}` }) as never}
        locale={{ emptyText: <Empty description={tr(lang, '暂无待办', 'No tasks')} /> }}
        columns={[
          colourColumn(lang),
          codeColumn<InboxRow>(lang, (r) => r.caseId),
          titleColumn<InboxRow>(lang),
          {
            title: tr(lang, '当前环节', 'Step'),
            dataIndex: 'name',
            render: (n: unknown, r) => (
              <Space size={4}>
                {r.supervised && (
                  <Tag color="red" data-testid="supervised-tag">
                    {tr(lang, '督办', 'Supervised')}
                  </Tag>
                )}
                {pick(n, lang)}
              </Space>
            ),
          },
          {
            title: tr(lang, '接收时间', 'Opened'),
            dataIndex: 'openedAt',
            width: 150,
            render: fmt,
          },
          {
            title: tr(lang, '办理时限', 'Due'),
            dataIndex: 'due',
            width: 220,
            render: (d: string | null, r) => (
              <Space size={4}>
                <span>{fmt(d)}</span>
                <DueTag due={d} state={r.dueState} lang={lang} />
              </Space>
            ),
          },
          {
            title: tr(lang, '签收', 'Claim'),
            width: 130,
            render: (_, r) =>
              r.assignee ? (
                <Tag color={r.assignee === me.id ? 'processing' : 'default'}>
                  {r.assignee === me.id ? tr(lang, '我已签收', 'Mine') : tr(lang, '他人', 'Other')}
                </Tag>
              ) : (
                <Button size="small" onClick={() => void claim(r)} data-testid="claim">
                  {tr(lang, '签收', 'Claim')}
                </Button>
              ),
          },
          {
            title: '',
            width: 80,
            render: (_, r) => (
              <Button
                type="link"
                size="small"
                onClick={() => navigate(`/workbench/case/${r.caseId}`)}
                data-testid="open-case"
              >
                {tr(lang, '办理', 'Open')}
              </Button>
            ),
          },
        ]}
      />
      <CursorPager lang={lang} testId="inbox" pages={pages} next={count.next} loading={!rows} />
    </>
  );
}

function CasesTab() {
  const { lang } = useLang();
  const [f, setF] = useState<{
    trackingCode?: string;
    status?: 'new' | 'active' | 'closed' | 'cancelled';
    urgency?: ColourFilter;
    channel?: 'visit' | 'letter' | 'online' | 'phone' | 'hotline' | 'grid';
    overdue?: boolean;
  }>({});
  const filters = useMemo<CaseFilters>(
    () => ({
      ...(f.trackingCode?.trim() ? { trackingCode: f.trackingCode.trim().toUpperCase() } : {}),
      ...(f.status ? { status: [f.status] } : {}),
      ...(f.urgency ? { urgency: [f.urgency] } : {}),
      ...(f.channel ? { channel: [f.channel] } : {}),
      ...(f.overdue ? { overdue: true } : {}),
    }),
    [f],
  );
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={tr(lang, '查询码', 'Tracking code')}
          onSearch={(v) => setF({ ...f, trackingCode: v })}
          style={{ width: 200 }}
          data-testid="case-search"
        />
        <Select
          allowClear
          placeholder={tr(lang, '状态', 'Status')}
          style={{ width: 120 }}
          onChange={(v) => setF({ ...f, status: v })}
          options={Object.entries(STATUS_NAMES).map(([k, p]) => ({
            value: k as 'active',
            label: tr(lang, p[0], p[1]),
          }))}
        />
        <Select
          allowClear
          placeholder={tr(lang, '四色', 'Colour')}
          style={{ width: 110 }}
          onChange={(v) => setF({ ...f, urgency: v })}
          options={colourOptions(lang)}
        />
        <Select
          allowClear
          placeholder={tr(lang, '渠道', 'Channel')}
          style={{ width: 130 }}
          onChange={(v) => setF({ ...f, channel: v })}
          options={Object.entries(CHANNEL_NAMES).map(([k, p]) => ({
            value: k as 'visit',
            label: tr(lang, p[0], p[1]),
          }))}
        />
        <Select
          allowClear
          placeholder={tr(lang, '是否超期', 'Overdue?')}
          style={{ width: 120 }}
          onChange={(v) => setF({ ...f, overdue: v === 'yes' })}
          options={[{ value: 'yes', label: tr(lang, '仅超期', 'Overdue only') }]}
        />
      </Space>
      <CaseTable filters={filters} testId="case-table" exportName={tr(lang, '案件查询', 'cases')} />
    </>
  );
}

const BOARD_COLUMNS = ['red', 'yellow', 'blue', 'green', 'none'] as const;
const OVERDUE: CaseFilters = { status: ['active'], overdue: true };

/** 四色看板 + 超期清单 for supervisors and leaders: every open case counted by colour. */
function BoardTab() {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [columns, setColumns] = useState<{ rows: CaseListRow[]; total: number; more: boolean }[]>();
  /** The colour whose every open case is listed below the board (另 N 件). */
  const [opened, setOpened] = useState<(typeof BOARD_COLUMNS)[number]>();
  const colourLabel = (c: string) => {
    const u = URGENCY[c];
    return u ? tr(lang, `${u.name[0]}色`, u.name[1]) : tr(lang, '未定色', 'Not triaged');
  };
  useEffect(() => {
    const a = api();
    Promise.all(
      BOARD_COLUMNS.map((c) => a.cases.list.query({ status: ['active'], urgency: [c], limit: 8 })),
    )
      .then(setColumns)
      .catch((e) => message.error(errorText(e, lang)));
  }, [lang, message]);
  return (
    <>
      <Row gutter={12} data-testid="colour-board">
        {BOARD_COLUMNS.map((c, i) => {
          const column = columns?.[i];
          const u = URGENCY[c];
          const more = (column?.total ?? 0) - (column?.rows.length ?? 0);
          return (
            <Col span={c === 'none' ? 4 : 5} key={c}>
              <Card
                size="small"
                className="wb-board-col"
                data-testid={`board-${c}`}
                loading={!columns}
                style={{ borderTop: `4px solid ${u?.hex ?? '#bfbfbf'}` }}
                title={
                  <Space>
                    <span>
                      {u
                        ? tr(lang, `${u.name[0]}色`, u.name[1])
                        : tr(lang, '未定色', 'Not triaged')}
                    </span>
                    <Badge
                      // Counted up to 1,000: beyond it the board says 1000+.
                      count={column?.more ? `${column.total}+` : (column?.total ?? 0)}
                      overflowCount={99_999}
                      showZero
                      color={u?.hex ?? '#bfbfbf'}
                    />
                  </Space>
                }
              >
                {column?.rows.map((r) => (
                  <div key={r.id} className="wb-board-item">
                    <a href={`#/workbench/case/${r.id}`} className="wb-code">
                      {r.trackingCode}
                    </a>
                    {r.overdue && <Tag color="error">{tr(lang, '超期', 'Overdue')}</Tag>}
                    {r.title && (
                      <div className="wb-board-title" data-testid="row-title">
                        {r.title}
                      </div>
                    )}
                    <div className="wb-muted">
                      {name(CHANNEL_NAMES, r.channel, lang)} · {fmt(r.createdAt).slice(5, 10)}
                    </div>
                  </div>
                ))}
                {more > 0 && (
                  <Button
                    type="link"
                    size="small"
                    style={{ padding: 0 }}
                    onClick={() => setOpened(c)}
                    data-testid={`board-more-${c}`}
                  >
                    {column?.more
                      ? tr(lang, `另 ${more}+ 件`, `${more}+ more`)
                      : tr(lang, `另 ${more} 件`, `${more} more`)}
                  </Button>
                )}
              </Card>
            </Col>
          );
        })}
      </Row>
      {opened && (
        <>
          <Typography.Title level={5} style={{ marginTop: 16 }} data-testid="board-opened">
            {tr(lang, `${colourLabel(opened)}在办事项`, `Open cases: ${colourLabel(opened)}`)}
          </Typography.Title>
          <CaseTable
            filters={{ status: ['active'], urgency: [opened] }}
            testId="board-colour-table"
            exportName={tr(lang, `${colourLabel(opened)}在办事项`, `open-${opened}`)}
          />
        </>
      )}
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {tr(lang, '超期清单', 'Overdue list')}
      </Typography.Title>
      <CaseTable
        filters={OVERDUE}
        testId="overdue-table"
        exportName={tr(lang, '超期清单', 'overdue')}
      />
    </>
  );
}

/** 一周一核: open cases registered or changed this week, and every overdue one. */
function WeeklyTab() {
  const { lang } = useLang();
  const filters = useMemo<CaseFilters>(() => {
    const monday = dayjs()
      .subtract((dayjs().day() + 6) % 7, 'day')
      .startOf('day');
    return { status: ['active', 'new'], changedSinceOrOverdue: monday.toISOString() };
  }, []);
  return (
    <>
      <Typography.Paragraph type="secondary">
        {tr(
          lang,
          '本周登记或有进展的在办事项，以及所有超期事项，供每周核查。',
          'Open cases registered or changed this week, and every overdue case, for the weekly review.',
        )}
      </Typography.Paragraph>
      <CaseTable
        filters={filters}
        testId="weekly-table"
        exportName={tr(lang, '一周一核', 'weekly-review')}
        handling
      />
    </>
  );
}
