import { FileExcelOutlined, SearchOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { api, errorText, pick, type RouterInputs, type RouterOutputs } from '../workbench/api';
import { UrgencyTag } from '../workbench/common';
import { departmentText, useDepartments } from '../workbench/departments';
import { CHANNEL_NAMES, fmt, name, STATUS_NAMES, URGENCY } from '../workbench/words';
import { beijingCell, downloadXlsx, type SheetColumn } from '../workbench/xlsx';
import './search.css';

type SearchInput = NonNullable<RouterInputs['cases']['search']>;
type SearchPage = RouterOutputs['cases']['search'];
export type SearchRow = SearchPage['rows'][number];

/** Rows a page shows; an export reads 500 at a time. */
const PAGE_SIZE = 20;
const EXPORT_PAGE = 500;
/** The most rows one export reads: past it the export says so and stops, never silently. */
export const EXPORT_MAX_ROWS = 20_000;

type PetitionerBy = 'name' | 'phone' | 'idCard';

interface FormValues {
  text?: string;
  by: PetitionerBy;
  who?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
  jurisdiction?: string;
  flowKey?: string;
  department?: string;
  status?: SearchInput['status'];
  mine?: boolean;
}

/** The query the form describes (without page and cursor); undefined fields left out. */
export function queryOf(v: FormValues): Omit<SearchInput, 'cursor' | 'limit' | 'purpose'> {
  const who = v.who?.trim();
  const [from, to] = v.dates ?? [];
  return {
    ...(v.text?.trim() ? { text: v.text.trim() } : {}),
    ...(who ? { petitioner: { [v.by]: who } } : {}),
    // Dates are Beijing days: from the first day's start to the end of the last.
    ...(from ? { createdFrom: `${from.format('YYYY-MM-DD')}T00:00:00+08:00` } : {}),
    ...(to ? { createdTo: `${to.add(1, 'day').format('YYYY-MM-DD')}T00:00:00+08:00` } : {}),
    ...(v.jurisdiction ? { jurisdiction: v.jurisdiction } : {}),
    ...(v.flowKey ? { flowKey: v.flowKey } : {}),
    ...(v.department ? { department: v.department } : {}),
    ...(v.status?.length ? { status: v.status } : {}),
    ...(v.mine ? { mine: true } : {}),
  };
}

const countText = (page: SearchPage | undefined, lang: Lang) =>
  !page
    ? ''
    : page.more
      ? tr(
          lang,
          `超过 ${page.count} 件，请缩小条件`,
          `more than ${page.count} cases: narrow the search`,
        )
      : tr(lang, `共 ${page.count} 件`, `${page.count} cases`);

/** The columns of the search's Excel export: words, never codes; dates as dates. */
function sheetColumns(lang: Lang, places: Record<string, unknown>): SheetColumn<SearchRow>[] {
  const yes = (b: boolean) => (b ? tr(lang, '是', 'yes') : tr(lang, '否', 'no'));
  const colour = (u: string | null) => {
    const c = u ? URGENCY[u] : undefined;
    return c ? tr(lang, `${c.name[0]}色`, c.name[1]) : tr(lang, '未定色', 'Not triaged');
  };
  return [
    { header: tr(lang, '查询码', 'Tracking code'), value: (r) => r.trackingCode, width: 14 },
    { header: tr(lang, '诉求', 'Title'), value: (r) => r.title, width: 36 },
    { header: tr(lang, '诉求摘要', 'Summary'), value: (r) => r.summary, width: 48 },
    { header: tr(lang, '流程', 'Flow'), value: (r) => pick(r.flowName, lang), width: 18 },
    {
      header: tr(lang, '属地', 'Jurisdiction'),
      value: (r) => placeName(places, r.jurisdiction, lang),
    },
    { header: tr(lang, '四色', 'Colour'), value: (r) => colour(r.urgency), width: 10 },
    { header: tr(lang, '渠道', 'Channel'), value: (r) => name(CHANNEL_NAMES, r.channel, lang) },
    { header: tr(lang, '状态', 'Status'), value: (r) => name(STATUS_NAMES, r.status, lang) },
    { header: tr(lang, '超期', 'Overdue'), value: (r) => yes(r.overdue), width: 8 },
    { header: tr(lang, '重信重访', 'Repeat'), value: (r) => yes(r.repeat), width: 10 },
    {
      header: tr(lang, '登记时间', 'Registered'),
      value: (r) => beijingCell(r.createdAt),
      width: 18,
    },
    { header: tr(lang, '办结时间', 'Closed'), value: (r) => beijingCell(r.closedAt), width: 18 },
  ];
}

/** A jurisdiction by name; one not readable (or not loaded yet) as 其他辖区, never its code. */
const placeName = (places: Record<string, unknown>, code: string, lang: Lang) =>
  pick(places[code], lang) || tr(lang, '其他辖区', 'another jurisdiction');

/**
 * 查找信访事项: complaint words (full-text, Chinese), the petitioner's whole
 * name, phone or ID number, registration dates, jurisdiction, flow,
 * department, status and 我包案的; results a page at a time (keyset, with
 * 上一页 / 下一页), the count (capped: "超过 1000 件"), and an Excel export of
 * every match.
 */
export function SearchPage({ me }: { me: Me }) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const departments = useDepartments();
  const [places, setPlaces] = useState<Record<string, unknown>>({});
  const [jurisdictions, setJurisdictions] = useState<{ code: string; name: unknown }[]>([]);
  const [flows, setFlows] = useState<{ key: string; name: unknown }[]>([]);
  const [query, setQuery] = useState<ReturnType<typeof queryOf>>();
  /** Cursors of the pages shown so far: the first page has none. */
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<SearchPage>();
  const [loading, setLoading] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [problem, setProblem] = useState<string>();
  const leads = me.memberships.some((m) => m.role === 'leader');
  // Only an office's receptionists and admins see petitioners in full, so only they look one up.
  const findsPetitioners = me.memberships.some((m) => ['receptionist', 'admin'].includes(m.role));

  useEffect(() => {
    let live = true;
    api()
      .jurisdictions.list.query()
      .then((list) => {
        if (!live) return;
        setPlaces(Object.fromEntries(list.map((j) => [j.code, j.name])));
        setJurisdictions(list.map((j) => ({ code: j.code, name: j.name })));
      })
      .catch(() => {});
    api()
      .flows.list.query()
      .then((list) => {
        if (!live) return;
        const byKey = new Map<string, unknown>();
        for (const f of list) if (!byKey.has(f.key)) byKey.set(f.key, f.name);
        setFlows([...byKey].map(([key, n]) => ({ key, name: n })));
      })
      .catch(() => {});
    return () => {
      live = false;
    };
  }, []);

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    if (!query) return;
    let live = true;
    setLoading(true);
    api()
      .cases.search.query({ ...query, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) })
      .then((r) => {
        if (!live) return;
        setPage(r);
        setProblem(undefined);
      })
      .catch((e) => live && setProblem(errorText(e, lang)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [query, cursor, lang]);

  const submit = (v: FormValues) => {
    setCursors([undefined]);
    setQuery(queryOf(v));
  };

  const exportAll = async () => {
    if (!query) return;
    setExporting(true);
    const key = 'search-export';
    try {
      const rows: SearchRow[] = [];
      let next: string | null | undefined;
      do {
        const r = await api().cases.search.query({
          ...query,
          limit: EXPORT_PAGE,
          purpose: 'export',
          ...(next ? { cursor: next } : {}),
        });
        rows.push(...r.rows);
        next = r.next;
        if (next && rows.length >= EXPORT_MAX_ROWS)
          throw new Error(
            tr(
              lang,
              `超过 ${EXPORT_MAX_ROWS} 件，超出一次导出的上限：请缩小条件后分批导出`,
              `more than ${EXPORT_MAX_ROWS} cases, more than one export holds: narrow the search and export in parts`,
            ),
          );
        const of = r.more ? tr(lang, `${r.count} 多`, `${r.count}+`) : String(r.count);
        message.loading({
          key,
          content: tr(lang, `正在导出 ${rows.length} / ${of}`, `Exporting ${rows.length} / ${of}`),
          duration: 0,
        });
      } while (next);
      const sheet = tr(lang, '查找结果', 'Search results');
      await downloadXlsx(`lianxin-${sheet}-${dayjs().format('YYYYMMDD')}`, [
        { name: sheet, columns: sheetColumns(lang, places), rows },
      ]);
      message.success({
        key,
        content: tr(lang, `已导出 ${rows.length} 件`, `Exported ${rows.length} cases`),
      });
    } catch (e) {
      message.error({ key, content: errorText(e, lang) });
    } finally {
      setExporting(false);
    }
  };

  const byOptions: { value: PetitionerBy; label: string; placeholder: string }[] = [
    {
      value: 'name',
      label: tr(lang, '姓名', 'Name'),
      placeholder: tr(lang, '完整姓名，如 陈伯', 'full name'),
    },
    {
      value: 'phone',
      label: tr(lang, '手机号', 'Phone'),
      placeholder: tr(lang, '11 位手机号', '11-digit mobile'),
    },
    {
      value: 'idCard',
      label: tr(lang, '身份证号', 'ID number'),
      placeholder: tr(lang, '18 位身份证号', '18-digit ID'),
    },
  ];
  const by = Form.useWatch('by', form) ?? 'name';

  return (
    <div className="lx-search" data-testid="search-page">
      <Card title={tr(lang, '查找信访事项', 'Find cases')} size="small">
        <Form<FormValues>
          form={form}
          layout="vertical"
          initialValues={{ by: 'name' }}
          onFinish={submit}
          className="lx-search-form"
        >
          <Form.Item name="text" label={tr(lang, '诉求关键词', 'Complaint words')}>
            <Input
              allowClear
              maxLength={100}
              placeholder={tr(lang, '如：拖欠工资、安置房 漏水', 'e.g. 拖欠工资')}
              data-testid="search-text"
            />
          </Form.Item>
          {findsPetitioners && (
            <Form.Item
              label={
                <Tooltip
                  title={tr(
                    lang,
                    '按加密存储的密钥散列比对，须输入完整的姓名、手机号或身份证号',
                    'matched by keyed hash: type the whole name, phone or ID number',
                  )}
                >
                  {tr(lang, '信访人', 'Petitioner')}
                </Tooltip>
              }
            >
              <Space.Compact style={{ width: '100%' }}>
                <Form.Item name="by" noStyle>
                  <Select
                    style={{ width: 110 }}
                    options={byOptions.map(({ value, label }) => ({ value, label }))}
                    data-testid="search-by"
                  />
                </Form.Item>
                <Form.Item name="who" noStyle>
                  <Input
                    allowClear
                    maxLength={50}
                    placeholder={byOptions.find((o) => o.value === by)?.placeholder}
                    data-testid="search-who"
                  />
                </Form.Item>
              </Space.Compact>
            </Form.Item>
          )}
          <Form.Item name="dates" label={tr(lang, '登记日期', 'Registered')}>
            <DatePicker.RangePicker
              style={{ width: '100%' }}
              allowEmpty={[true, true]}
              placeholder={[tr(lang, '开始日期', 'From'), tr(lang, '结束日期', 'To')]}
            />
          </Form.Item>
          {jurisdictions.length > 1 && (
            <Form.Item name="jurisdiction" label={tr(lang, '属地', 'Jurisdiction')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                placeholder={tr(lang, '我有权查看的全部辖区', 'All I may read')}
                options={jurisdictions.map((j) => ({ value: j.code, label: pick(j.name, lang) }))}
              />
            </Form.Item>
          )}
          <Form.Item name="flowKey" label={tr(lang, '流程', 'Flow')}>
            <Select
              allowClear
              placeholder={tr(lang, '全部流程', 'All flows')}
              options={flows.map((f) => ({ value: f.key, label: pick(f.name, lang) || '—' }))}
              data-testid="search-flow"
            />
          </Form.Item>
          <Form.Item name="department" label={tr(lang, '办理部门', 'Department')}>
            <Select
              allowClear
              placeholder={tr(lang, '全部部门', 'All departments')}
              options={[...new Set((departments ?? []).map((d) => d.code))].map((code) => ({
                value: code,
                label: departmentText(code, lang),
              }))}
              data-testid="search-department"
            />
          </Form.Item>
          <Form.Item name="status" label={tr(lang, '状态', 'Status')}>
            <Select
              mode="multiple"
              allowClear
              placeholder={tr(lang, '全部状态', 'Any status')}
              options={(['active', 'closed', 'cancelled'] as const).map((s) => ({
                value: s,
                label: name(STATUS_NAMES, s, lang),
              }))}
            />
          </Form.Item>
          <Form.Item name="mine" valuePropName="checked" label=" ">
            <Checkbox data-testid="search-mine">
              {tr(lang, '我包案的', 'Cases I own (包案)')}
              {!leads && (
                <Typography.Text type="secondary">
                  {tr(lang, '（领导包案时适用）', ' (for leaders)')}
                </Typography.Text>
              )}
            </Checkbox>
          </Form.Item>
          <Form.Item label=" " className="lx-search-actions">
            <Space>
              <Button
                type="primary"
                htmlType="submit"
                icon={<SearchOutlined />}
                data-testid="search-submit"
              >
                {tr(lang, '查询', 'Search')}
              </Button>
              <Button
                onClick={() => {
                  form.resetFields();
                  setQuery(undefined);
                  setPage(undefined);
                  setProblem(undefined);
                }}
              >
                {tr(lang, '重置', 'Reset')}
              </Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>

      {problem && (
        <Alert
          type="error"
          showIcon
          message={problem}
          className="lx-search-problem"
          data-testid="search-problem"
        />
      )}

      {query && (
        <Card
          size="small"
          className="lx-search-results"
          title={
            <Typography.Text data-testid="search-count">{countText(page, lang)}</Typography.Text>
          }
          extra={
            <Button
              icon={<FileExcelOutlined />}
              loading={exporting}
              disabled={!page?.count}
              onClick={() => void exportAll()}
              data-testid="search-export"
            >
              {tr(lang, '导出 Excel', 'Export to Excel')}
            </Button>
          }
        >
          <Table<SearchRow>
            rowKey="id"
            size="middle"
            loading={loading}
            dataSource={page?.rows ?? []}
            pagination={false}
            locale={{
              emptyText: <Empty description={tr(lang, '没有符合条件的事项', 'No case matches')} />,
            }}
            onRow={(r) => ({ 'data-testid': `search-row-${r.trackingCode}` }) as never}
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
                render: (c: string, r) => <a href={`#/workbench/case/${r.id}`}>{c}</a>,
              },
              {
                title: tr(lang, '诉求', 'Complaint'),
                dataIndex: 'title',
                render: (_: unknown, r) => {
                  const text = r.title ?? r.summary;
                  if (!text) return <Typography.Text type="secondary">—</Typography.Text>;
                  return (
                    <div>
                      <div data-testid="search-row-title">{text}</div>
                      {r.summary && r.summary !== text && (
                        <Typography.Text type="secondary" className="lx-search-summary">
                          {r.summary}
                        </Typography.Text>
                      )}
                    </div>
                  );
                },
              },
              {
                title: tr(lang, '流程', 'Flow'),
                dataIndex: 'flowName',
                width: 190,
                ellipsis: true,
                render: (n: unknown) => pick(n, lang) || '—',
              },
              {
                title: tr(lang, '属地', 'Jurisdiction'),
                dataIndex: 'jurisdiction',
                width: 100,
                render: (c: string) => placeName(places, c, lang),
              },
              {
                title: tr(lang, '状态', 'Status'),
                dataIndex: 'status',
                width: 90,
                render: (s: string) => name(STATUS_NAMES, s, lang),
              },
              {
                title: tr(lang, '登记时间', 'Registered'),
                dataIndex: 'createdAt',
                width: 150,
                render: (at: string) => fmt(at),
              },
            ]}
          />
          <Space className="lx-search-pager">
            <Button
              disabled={cursors.length < 2 || loading}
              onClick={() => setCursors((c) => c.slice(0, -1))}
              data-testid="search-prev"
            >
              {tr(lang, '上一页', 'Previous')}
            </Button>
            <Typography.Text type="secondary">
              {tr(lang, `第 ${cursors.length} 页`, `Page ${cursors.length}`)}
            </Typography.Text>
            <Button
              disabled={!page?.next || loading}
              onClick={() => page?.next && setCursors((c) => [...c, page.next ?? undefined])}
              data-testid="search-next"
            >
              {tr(lang, '下一页', 'Next')}
            </Button>
          </Space>
        </Card>
      )}
    </div>
  );
}
