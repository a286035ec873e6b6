import { PlusOutlined, QrcodeOutlined, ReloadOutlined } from '@ant-design/icons';
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
import { api, type CaseListRow, errorText, type InboxRow, pick } from './api';
import {
  CHANNEL_NAMES,
  DueTag,
  dueStateOf,
  fmt,
  name,
  STATUS_NAMES,
  URGENCY,
  UrgencyTag,
} from './common';
import './workbench.css';

const SUPERVISING = new Set(['admin', 'leader', 'supervisor']);

/** 工作台: my tasks, case search, the four-colour board, overdue and weekly review lists. */
export function Workbench({ me }: { me: Me }) {
  const { lang } = useLang();
  const supervising = me.memberships.some((m) => SUPERVISING.has(m.role));
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

function InboxTab({ me }: { me: Me }) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [rows, setRows] = useState<InboxRow[]>();
  const [q, setQ] = useState('');
  const [urgency, setUrgency] = useState<string[]>([]);
  const [due, setDue] = useState<string[]>([]);
  const [mine, setMine] = useState<'all' | 'mine' | 'group'>('all');
  const load = useCallback(() => {
    api()
      .tasks.inbox.query({ limit: 200 })
      .then(setRows)
      .catch((e) => message.error(errorText(e, lang)));
  }, [lang, message]);
  useEffect(load, [load]);
  const filtered = useMemo(
    () =>
      (rows ?? []).filter((r) => {
        const text = `${r.trackingCode} ${pick(r.name, lang)}`.toLowerCase();
        if (q && !text.includes(q.toLowerCase())) return false;
        if (urgency.length && !urgency.includes(r.urgency ?? 'none')) return false;
        if (due.length && !due.includes(dueStateOf(r.due, r.dueState))) return false;
        if (mine === 'mine' && r.assignee !== me.id) return false;
        if (mine === 'group' && r.assignee) return false;
        return true;
      }),
    [rows, q, urgency, due, mine, lang, me.id],
  );
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
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder={tr(lang, '查询码或环节', 'Tracking code or step')}
          onChange={(e) => setQ(e.target.value)}
          style={{ width: 220 }}
          data-testid="inbox-search"
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={tr(lang, '四色', 'Colour')}
          style={{ minWidth: 140 }}
          value={urgency}
          onChange={setUrgency}
          options={[
            ...Object.entries(URGENCY).map(([k, u]) => ({
              value: k,
              label: tr(lang, u.name[0], u.name[1]),
            })),
            { value: 'none', label: tr(lang, '未定色', 'Not triaged') },
          ]}
        />
        <Select
          mode="multiple"
          allowClear
          placeholder={tr(lang, '时限状态', 'Deadline')}
          style={{ minWidth: 160 }}
          value={due}
          onChange={setDue}
          options={[
            { value: 'onTime', label: tr(lang, '正常', 'On time') },
            { value: 'dueSoon', label: tr(lang, '即将到期', 'Due soon') },
            { value: 'overdue', label: tr(lang, '已超期', 'Overdue') },
          ]}
        />
        <Select
          value={mine}
          onChange={setMine}
          style={{ width: 150 }}
          options={[
            { value: 'all', label: tr(lang, '全部待办', 'All tasks') },
            { value: 'mine', label: tr(lang, '我已签收', 'Claimed by me') },
            { value: 'group', label: tr(lang, '待签收（本组）', 'To claim (my groups)') },
          ]}
        />
        <Button icon={<ReloadOutlined />} onClick={load}>
          {tr(lang, '刷新', 'Refresh')}
        </Button>
      </Space>
      <Table<InboxRow>
        rowKey="id"
        size="middle"
        loading={!rows}
        dataSource={filtered}
        pagination={{ pageSize: 12, showSizeChanger: false }}
        data-testid="inbox-table"
        onRow={(r) => ({ 'data-testid': `inbox-row-${r.trackingCode}` }) as never}
        locale={{ emptyText: <Empty description={tr(lang, '暂无待办', 'No tasks')} /> }}
        columns={[
          {
            title: tr(lang, '四色', 'Colour'),
            dataIndex: 'urgency',
            width: 90,
            render: (u: string | null) => <UrgencyTag urgency={u} lang={lang} />,
            sorter: (a, b) => order(a.urgency) - order(b.urgency),
          },
          {
            title: tr(lang, '查询码', 'Tracking code'),
            dataIndex: 'trackingCode',
            width: 130,
            render: (c: string, r) => (
              <a href={`#/workbench/case/${r.caseId}`} className="wb-code">
                {c}
              </a>
            ),
          },
          {
            title: tr(lang, '当前环节', 'Step'),
            dataIndex: 'name',
            render: (n: unknown) => pick(n, lang),
          },
          {
            title: tr(lang, '接收时间', 'Opened'),
            dataIndex: 'openedAt',
            width: 150,
            render: fmt,
            sorter: (a, b) => a.openedAt.localeCompare(b.openedAt),
          },
          {
            title: tr(lang, '办理时限', 'Due'),
            dataIndex: 'due',
            width: 220,
            defaultSortOrder: 'ascend',
            sorter: (a, b) => (a.due ?? '9').localeCompare(b.due ?? '9'),
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
    </>
  );
}

const order = (u: string | null) => (u ? ['red', 'yellow', 'blue', 'green'].indexOf(u) : 9);

function CaseTable({ rows, loading }: { rows: CaseListRow[]; loading?: boolean }) {
  const { lang } = useLang();
  return (
    <Table<CaseListRow>
      rowKey="id"
      size="middle"
      loading={loading}
      dataSource={rows}
      locale={{ emptyText: <Empty description={tr(lang, '暂无事项', 'No cases')} /> }}
      pagination={{ pageSize: 12, showSizeChanger: false }}
      columns={[
        {
          title: tr(lang, '四色', 'Colour'),
          dataIndex: 'urgency',
          width: 90,
          render: (u: string | null) => <UrgencyTag urgency={u} lang={lang} />,
        },
        {
          title: tr(lang, '查询码', 'Tracking code'),
          dataIndex: 'trackingCode',
          width: 130,
          render: (c: string, r) => (
            <a href={`#/workbench/case/${r.id}`} className="wb-code">
              {c}
            </a>
          ),
        },
        {
          title: tr(lang, '渠道', 'Channel'),
          dataIndex: 'channel',
          width: 90,
          render: (c: string) => name(CHANNEL_NAMES, c, lang),
        },
        { title: tr(lang, '流程', 'Flow'), dataIndex: 'flowKey', ellipsis: true },
        {
          title: tr(lang, '状态', 'Status'),
          dataIndex: 'status',
          width: 150,
          render: (s: string, r) => (
            <Space size={4}>
              <span>{name(STATUS_NAMES, s, lang)}</span>
              {r.overdue && <Tag color="error">{tr(lang, '超期', 'Overdue')}</Tag>}
              {r.repeat && <Tag color="purple">{tr(lang, '重复', 'Repeat')}</Tag>}
            </Space>
          ),
        },
        {
          title: tr(lang, '登记时间', 'Registered'),
          dataIndex: 'createdAt',
          width: 150,
          render: fmt,
        },
        {
          title: tr(lang, '最近变化', 'Last change'),
          dataIndex: 'updatedAt',
          width: 150,
          render: fmt,
        },
      ]}
    />
  );
}

function CasesTab() {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [rows, setRows] = useState<CaseListRow[]>();
  const [total, setTotal] = useState(0);
  const [f, setF] = useState<{
    trackingCode?: string;
    status?: string;
    urgency?: string;
    channel?: string;
    overdue?: boolean;
  }>({});
  useEffect(() => {
    setRows(undefined);
    api()
      .cases.list.query({
        limit: 200,
        ...(f.trackingCode ? { trackingCode: f.trackingCode.trim().toUpperCase() } : {}),
        ...(f.status ? { status: [f.status as 'active'] } : {}),
        ...(f.urgency ? { urgency: [f.urgency as 'red'] } : {}),
        ...(f.channel ? { channel: [f.channel as 'visit'] } : {}),
        ...(f.overdue ? { overdue: true } : {}),
      })
      .then((r) => {
        setRows(r.rows);
        setTotal(r.total);
      })
      .catch((e) => message.error(errorText(e, lang)));
  }, [f, lang, message]);
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
            value: k,
            label: tr(lang, p[0], p[1]),
          }))}
        />
        <Select
          allowClear
          placeholder={tr(lang, '四色', 'Colour')}
          style={{ width: 110 }}
          onChange={(v) => setF({ ...f, urgency: v })}
          options={Object.entries(URGENCY).map(([k, u]) => ({
            value: k,
            label: tr(lang, u.name[0], u.name[1]),
          }))}
        />
        <Select
          allowClear
          placeholder={tr(lang, '渠道', 'Channel')}
          style={{ width: 130 }}
          onChange={(v) => setF({ ...f, channel: v })}
          options={Object.entries(CHANNEL_NAMES).map(([k, p]) => ({
            value: k,
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
        <Typography.Text type="secondary">
          {tr(lang, `共 ${total} 件`, `${total} cases`)}
        </Typography.Text>
      </Space>
      <CaseTable rows={rows ?? []} loading={!rows} />
    </>
  );
}

/** 四色看板 + 超期清单 for supervisors and leaders. */
function BoardTab() {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [active, setActive] = useState<CaseListRow[]>();
  const [overdue, setOverdue] = useState<CaseListRow[]>();
  useEffect(() => {
    const a = api();
    Promise.all([
      a.cases.list.query({ status: ['active'], limit: 200 }),
      a.cases.list.query({ status: ['active'], overdue: true, limit: 200 }),
    ])
      .then(([x, y]) => {
        setActive(x.rows);
        setOverdue(y.rows);
      })
      .catch((e) => message.error(errorText(e, lang)));
  }, [lang, message]);
  const columns = [...Object.keys(URGENCY), 'none'];
  return (
    <>
      <Row gutter={12} data-testid="colour-board">
        {columns.map((c) => {
          const list = (active ?? []).filter((r) => (r.urgency ?? 'none') === c);
          const u = URGENCY[c];
          return (
            <Col span={c === 'none' ? 4 : 5} key={c}>
              <Card
                size="small"
                className="wb-board-col"
                style={{ borderTop: `4px solid ${u?.hex ?? '#bfbfbf'}` }}
                title={
                  <Space>
                    <span>
                      {u
                        ? tr(lang, `${u.name[0]}色`, u.name[1])
                        : tr(lang, '未定色', 'Not triaged')}
                    </span>
                    <Badge count={list.length} showZero color={u?.hex ?? '#bfbfbf'} />
                  </Space>
                }
              >
                {list.slice(0, 8).map((r) => (
                  <div key={r.id} className="wb-board-item">
                    <a href={`#/workbench/case/${r.id}`} className="wb-code">
                      {r.trackingCode}
                    </a>
                    {r.overdue && <Tag color="error">{tr(lang, '超期', 'Overdue')}</Tag>}
                    <div className="wb-muted">
                      {name(CHANNEL_NAMES, r.channel, lang)} · {dayjs(r.createdAt).format('MM-DD')}
                    </div>
                  </div>
                ))}
                {list.length > 8 && (
                  <div className="wb-muted">
                    {tr(lang, `另 ${list.length - 8} 件`, `${list.length - 8} more`)}
                  </div>
                )}
              </Card>
            </Col>
          );
        })}
      </Row>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {tr(lang, '超期清单', 'Overdue list')}
      </Typography.Title>
      <CaseTable rows={overdue ?? []} loading={!overdue} />
    </>
  );
}

/** 一周一核: open cases registered or changed this week. */
function WeeklyTab() {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [rows, setRows] = useState<CaseListRow[]>();
  useEffect(() => {
    const weekStart = dayjs()
      .subtract((dayjs().day() + 6) % 7, 'day')
      .startOf('day');
    api()
      .cases.list.query({ status: ['active', 'new'], limit: 200 })
      .then((r) =>
        setRows(r.rows.filter((c) => c.overdue || dayjs(c.updatedAt).isAfter(weekStart))),
      )
      .catch((e) => message.error(errorText(e, lang)));
  }, [lang, message]);
  return (
    <>
      <Typography.Paragraph type="secondary">
        {tr(
          lang,
          '本周登记或有进展的在办事项，以及所有超期事项，供每周核查。',
          'Open cases registered or changed this week, and every overdue case, for the weekly review.',
        )}
      </Typography.Paragraph>
      <CaseTable rows={rows ?? []} loading={!rows} />
    </>
  );
}
