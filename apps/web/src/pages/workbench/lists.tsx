import { FileExcelOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import { App, Button, Empty, Space, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { ProvisionalTag } from '../calendar/ProvisionalTag';
import { api, type CaseListRow, errorText, type InboxRow, pick, type RouterInputs } from './api';
import { UrgencyTag } from './common';
import { departmentText, useDepartments } from './departments';
import { PrintButton } from './print';
import { CHANNEL_NAMES, fmt, name, STATUS_NAMES, URGENCY } from './words';
import { allPages, beijingCell, type CursorPage, downloadXlsx, type SheetColumn } from './xlsx';

let placesOnce: Promise<Record<string, unknown>> | undefined;
/** Jurisdiction names by code (the ones this user may read), fetched once per page load. */
export function usePlaces(): Record<string, unknown> {
  const [places, setPlaces] = useState<Record<string, unknown>>({});
  useEffect(() => {
    placesOnce ??= api()
      .jurisdictions.list.query()
      .then((list) => Object.fromEntries(list.map((j) => [j.code, j.name])))
      .catch(() => {
        placesOnce = undefined;
        return {};
      });
    let live = true;
    void placesOnce.then((p) => live && setPlaces(p));
    return () => {
      live = false;
    };
  }, []);
  return places;
}

/** A jurisdiction by name; one not readable (or not loaded yet) as 其他辖区, never its code. */
export const placeName = (places: Record<string, unknown>, code: string, lang: Lang) =>
  pick(places[code], lang) || tr(lang, '其他辖区', 'another jurisdiction');

const colourName = (u: string | null, lang: Lang) => {
  const c = u ? URGENCY[u] : undefined;
  return c ? tr(lang, `${c.name[0]}色`, c.name[1]) : tr(lang, '未定色', 'Not triaged');
};

/** 诉求: the case's title, its summary on hover; a case whose flow names neither says so. */
export function titleColumn<R extends { title?: string | null; summary?: string | null }>(
  lang: Lang,
) {
  return {
    title: tr(lang, '诉求', 'Complaint'),
    dataIndex: 'title',
    ellipsis: { showTitle: false },
    render: (_: unknown, r: R) => {
      const text = r.title ?? r.summary;
      if (!text) return <Typography.Text type="secondary">—</Typography.Text>;
      return (
        <Tooltip title={r.summary && r.summary !== text ? r.summary : text}>
          <span data-testid="row-title">{text}</span>
        </Tooltip>
      );
    },
  };
}

/** The departments a case waits on, by the names its jurisdiction keeps (、 between them). */
function departmentsText(departments: readonly string[], lang: Lang, jurisdiction: string): string {
  return departments.map((d) => departmentText(d, lang, jurisdiction)).join('、');
}

/** The columns of a case list's export. */
export function caseSheetColumns(
  lang: Lang,
  places: Record<string, unknown>,
): SheetColumn<CaseListRow>[] {
  const yes = (b: boolean) => (b ? tr(lang, '是', 'yes') : tr(lang, '否', 'no'));
  return [
    { header: tr(lang, '查询码', 'Tracking code'), value: (r) => r.trackingCode, width: 14 },
    { header: tr(lang, '诉求', 'Title'), value: (r) => r.title, width: 36 },
    { header: tr(lang, '诉求摘要', 'Summary'), value: (r) => r.summary, width: 48 },
    { header: tr(lang, '流程', 'Flow'), value: (r) => pick(r.flowName, lang), width: 18 },
    {
      header: tr(lang, '属地', 'Jurisdiction'),
      value: (r) => placeName(places, r.jurisdiction, lang),
    },
    { header: tr(lang, '四色', 'Colour'), value: (r) => colourName(r.urgency, lang), width: 10 },
    { header: tr(lang, '渠道', 'Channel'), value: (r) => name(CHANNEL_NAMES, r.channel, lang) },
    { header: tr(lang, '状态', 'Status'), value: (r) => name(STATUS_NAMES, r.status, lang) },
    {
      header: tr(lang, '承办部门', 'Departments'),
      value: (r) => departmentsText(r.departments, lang, r.jurisdiction),
      width: 24,
    },
    {
      header: tr(lang, '包案领导', 'Leader in charge'),
      value: (r) => r.leaderName ?? '',
      width: 14,
    },
    { header: tr(lang, '超期', 'Overdue'), value: (r) => yes(r.overdue), width: 8 },
    { header: tr(lang, '重信重访', 'Repeat'), value: (r) => yes(r.repeat), width: 10 },
    {
      header: tr(lang, '登记时间', 'Registered'),
      value: (r) => beijingCell(r.createdAt),
      width: 18,
    },
    {
      header: tr(lang, '最近变化', 'Last change'),
      value: (r) => beijingCell(r.updatedAt),
      width: 18,
    },
    { header: tr(lang, '办结时间', 'Closed'), value: (r) => beijingCell(r.closedAt), width: 18 },
  ];
}

/** The columns of the inbox's export. */
export function inboxSheetColumns(lang: Lang, meId: string): SheetColumn<InboxRow>[] {
  const due = (s: string) =>
    s === 'overdue'
      ? tr(lang, '已超期', 'Overdue')
      : s === 'dueSoon'
        ? tr(lang, '即将到期', 'Due soon')
        : tr(lang, '正常', 'On time');
  return [
    { header: tr(lang, '查询码', 'Tracking code'), value: (r) => r.trackingCode, width: 14 },
    { header: tr(lang, '诉求', 'Title'), value: (r) => r.title, width: 36 },
    { header: tr(lang, '流程', 'Flow'), value: (r) => pick(r.flowName, lang), width: 18 },
    { header: tr(lang, '当前环节', 'Step'), value: (r) => pick(r.name, lang), width: 18 },
    {
      header: tr(lang, '部门', 'Department'),
      value: (r) => (r.department ? departmentText(r.department, lang, r.jurisdiction) : ''),
    },
    { header: tr(lang, '四色', 'Colour'), value: (r) => colourName(r.urgency, lang), width: 10 },
    { header: tr(lang, '接收时间', 'Opened'), value: (r) => beijingCell(r.openedAt), width: 18 },
    { header: tr(lang, '办理时限', 'Due'), value: (r) => beijingCell(r.due), width: 18 },
    { header: tr(lang, '时限状态', 'Deadline'), value: (r) => due(r.dueState), width: 10 },
    {
      header: tr(lang, '签收', 'Claimed'),
      value: (r) =>
        !r.assignee
          ? tr(lang, '待签收', 'Unclaimed')
          : r.assignee === meId
            ? tr(lang, '我已签收', 'Mine')
            : tr(lang, '他人已签收', 'Someone else'),
      width: 12,
    },
  ];
}

/**
 * 导出 Excel: reads every row of the list the user is looking at (not just
 * the page shown), with progress, and saves it; says why when it cannot.
 */
export function ExportButton<R extends { id: string }>({
  lang,
  fileName,
  sheetName,
  columns,
  page,
  testId,
}: {
  lang: Lang;
  fileName: string;
  sheetName: string;
  columns: () => SheetColumn<R>[];
  page: (cursor: string | undefined, limit: number) => Promise<CursorPage<R>>;
  testId: string;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Button
      icon={<FileExcelOutlined />}
      loading={busy}
      data-testid={testId}
      onClick={async () => {
        setBusy(true);
        const key = `export-${testId}`;
        try {
          const rows = await allPages(page, lang, (done, total, more) =>
            message.loading({
              key,
              content: more
                ? tr(lang, `正在导出 ${done} / ${total}+`, `Exporting ${done} / ${total}+`)
                : tr(lang, `正在导出 ${done} / ${total}`, `Exporting ${done} / ${total}`),
              duration: 0,
            }),
          );
          await downloadXlsx(fileName, [{ name: sheetName, columns: columns(), rows }]);
          message.success({
            key,
            content: tr(lang, `已导出 ${rows.length} 条`, `Exported ${rows.length} rows`),
          });
        } catch (e) {
          message.error({ key, content: errorText(e, lang) });
        } finally {
          setBusy(false);
        }
      }}
    >
      {tr(lang, '导出 Excel', 'Export to Excel')}
    </Button>
  );
}

/** Rows a list shows per page. */
export const PAGE_SIZE = 12;

/** 共 30 件, or 超过 1000 件 where the server stopped counting (lists count up to 1,000). */
export function countText(
  lang: Lang,
  total: number,
  more: boolean | undefined,
  unit: { 'zh-CN': string; en: string },
): string {
  return more
    ? tr(lang, `超过 ${total} ${unit['zh-CN']}`, `more than ${total} ${unit.en}`)
    : tr(lang, `共 ${total} ${unit['zh-CN']}`, `${total} ${unit.en}`);
}

/**
 * Keyset pages of a list (issue 18): the cursors of the pages read so far, so
 * 上一页 goes back and 下一页 reads on from the last row shown. A new `key`
 * (other filters) starts again from the first page.
 */
export function useCursorPages(key: string) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for the filters
  useEffect(() => setCursors([undefined]), [key]);
  return {
    /** The cursor of the page shown (undefined: the first). */
    cursor: cursors[cursors.length - 1],
    /** The page's number, from 1. */
    number: cursors.length,
    forward: (next: string) => setCursors((c) => [...c, next]),
    back: () => setCursors((c) => (c.length > 1 ? c.slice(0, -1) : c)),
    restart: () => setCursors([undefined]),
  };
}

/** 上一页 · 第 n 页 · 下一页 under a list read by cursor. */
export function CursorPager({
  lang,
  testId,
  pages,
  next,
  loading,
}: {
  lang: Lang;
  testId: string;
  pages: ReturnType<typeof useCursorPages>;
  /** The cursor of the page after the one shown (null on the last). */
  next: string | null | undefined;
  loading: boolean;
}) {
  if (pages.number === 1 && !next) return null;
  return (
    <Space className="wb-pager" data-testid={`${testId}-pager`}>
      <Button
        size="small"
        disabled={pages.number < 2 || loading}
        onClick={pages.back}
        data-testid={`${testId}-prev`}
      >
        {tr(lang, '上一页', 'Previous')}
      </Button>
      <Typography.Text type="secondary" data-testid={`${testId}-page`}>
        {tr(lang, `第 ${pages.number} 页`, `Page ${pages.number}`)}
      </Typography.Text>
      <Button
        size="small"
        disabled={!next || loading}
        onClick={() => next && pages.forward(next)}
        data-testid={`${testId}-next`}
      >
        {tr(lang, '下一页', 'Next')}
      </Button>
    </Space>
  );
}

/** The colour and tracking-code columns every list starts with. */
export const colourColumn = (lang: Lang) => ({
  title: tr(lang, '四色', 'Colour'),
  dataIndex: 'urgency',
  width: 90,
  render: (u: string | null) => <UrgencyTag urgency={u} lang={lang} />,
});
export const codeColumn = <R,>(lang: Lang, caseIdOf: (row: R) => string) => ({
  title: tr(lang, '查询码', 'Tracking code'),
  dataIndex: 'trackingCode',
  width: 130,
  render: (c: string, r: R) => (
    <a href={`#/workbench/case/${caseIdOf(r)}`} className="wb-code">
      {c}
    </a>
  ),
});

export type CaseFilters = Omit<NonNullable<RouterInputs['cases']['list']>, 'limit' | 'cursor'>;

/**
 * Cases matching `filters`, a page at a time from the server, newest first,
 * with the count and an Excel export of all of them (not only the page shown).
 */
export function CaseTable({
  filters,
  testId,
  exportName,
  pageSize = PAGE_SIZE,
  handling = false,
}: {
  filters: CaseFilters;
  testId: string;
  /** The file and sheet name of the export, e.g. 超期清单. */
  exportName: string;
  pageSize?: number;
  /** Shows who handles each case (承办部门, 包案领导) and offers 打印 (一周一核). */
  handling?: boolean;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const places = usePlaces();
  useDepartments();
  const [rows, setRows] = useState<CaseListRow[]>();
  const [count, setCount] = useState<{ total: number; more: boolean; next: string | null }>({
    total: 0,
    more: false,
    next: null,
  });
  const key = JSON.stringify(filters);
  const pages = useCursorPages(key);
  const cursor = pages.cursor;
  // biome-ignore lint/correctness/useExhaustiveDependencies: key stands for filters
  useEffect(() => {
    let live = true;
    setRows(undefined);
    api()
      .cases.list.query({ ...filters, limit: pageSize, ...(cursor ? { cursor } : {}) })
      .then((r) => {
        if (!live) return;
        setRows(r.rows);
        setCount({ total: r.total, more: r.more, next: r.next });
      })
      .catch((e) => message.error(errorText(e, lang)));
    return () => {
      live = false;
    };
  }, [key, cursor, pageSize, lang, message]);
  const read = (c: string | undefined, limit: number) =>
    api().cases.list.query({ ...filters, limit, ...(c ? { cursor: c } : {}) });
  return (
    <div data-testid={testId}>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary" data-testid={`${testId}-total`}>
          {countText(lang, count.total, count.more, { 'zh-CN': '件', en: 'cases' })}
        </Typography.Text>
        <ExportButton<CaseListRow>
          lang={lang}
          testId={`${testId}-export`}
          fileName={`lianxin-${exportName}-${dayjs().format('YYYYMMDD')}`}
          sheetName={exportName}
          columns={() => caseSheetColumns(lang, places)}
          page={read}
        />
        {handling && (
          <PrintButton<CaseListRow>
            lang={lang}
            testId={`${testId}-print`}
            title={exportName}
            columns={() => caseSheetColumns(lang, places)}
            page={read}
          />
        )}
      </Space>
      <Table<CaseListRow>
        rowKey="id"
        size="middle"
        // The two handling columns need room: the complaint keeps its width and the table scrolls.
        {...(handling ? { scroll: { x: 1700 } } : {})}
        loading={!rows}
        dataSource={rows ?? []}
        locale={{ emptyText: <Empty description={tr(lang, '暂无事项', 'No cases')} /> }}
        pagination={false}
        onRow={(r) => ({ 'data-testid': `case-row-${r.trackingCode}` }) as never}
        columns={[
          colourColumn(lang),
          codeColumn<CaseListRow>(lang, (r) => r.id),
          titleColumn<CaseListRow>(lang),
          {
            title: tr(lang, '流程', 'Flow'),
            dataIndex: 'flowName',
            width: 140,
            ellipsis: true,
            render: (n: unknown) => pick(n, lang) || '—',
          },
          {
            title: tr(lang, '属地', 'Jurisdiction'),
            dataIndex: 'jurisdiction',
            width: 110,
            render: (c: string) => placeName(places, c, lang),
          },
          {
            title: tr(lang, '渠道', 'Channel'),
            dataIndex: 'channel',
            width: 90,
            render: (c: string) => name(CHANNEL_NAMES, c, lang),
          },
          {
            title: tr(lang, '状态', 'Status'),
            dataIndex: 'status',
            width: 150,
            render: (s: string, r) => (
              <Space size={4}>
                <span>{name(STATUS_NAMES, s, lang)}</span>
                {r.overdue && <Tag color="error">{tr(lang, '超期', 'Overdue')}</Tag>}
                {r.repeat && <Tag color="purple">{tr(lang, '重复', 'Repeat')}</Tag>}
                {r.provisional && <ProvisionalTag lang={lang} />}
              </Space>
            ),
          },
          ...(handling
            ? [
                {
                  title: tr(lang, '承办部门', 'Departments'),
                  key: 'departments',
                  width: 160,
                  render: (_: unknown, r: CaseListRow) =>
                    departmentsText(r.departments, lang, r.jurisdiction) || '—',
                },
                {
                  title: tr(lang, '包案领导', 'Leader in charge'),
                  key: 'leader',
                  width: 110,
                  render: (_: unknown, r: CaseListRow) => r.leaderName ?? '—',
                },
              ]
            : []),
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
      <CursorPager lang={lang} testId={testId} pages={pages} next={count.next} loading={!rows} />
    </div>
  );
}
