import { SafetyCertificateOutlined, SearchOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Form,
  Input,
  Result,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import type { Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { type Api, api, errorText, pick } from '../workbench/api';
import '../workbench/workbench.css';

type SearchInput = Parameters<Api['audit']['search']['query']>[0];
type AuditRow = Awaited<ReturnType<Api['audit']['search']['query']>>['records'][number];
type Verification = Awaited<ReturnType<Api['audit']['verify']['mutate']>>;

interface Filters {
  user?: string;
  caseId?: string;
  action?: SearchInput['action'];
  range?: [Dayjs | null, Dayjs | null] | null;
}

const PAGE = 50;
const COLOURS: Record<string, string> = {
  'access.refused': 'red',
  'auth.signInFailed': 'orange',
  'petitioner.reveal': 'magenta',
  'case.export': 'magenta',
  'audit.pruned': 'purple',
};

/** An instant as a clock in the offices reads it: Beijing time, whatever the browser's zone. */
const BEIJING = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** A record's facts, in words the server chose (labels and values named in both languages). */
function DetailLines({ lines, lang }: { lines: AuditRow['lines']; lang: Lang }) {
  return (
    <Typography.Text style={{ fontSize: 12 }} type="secondary">
      {lines.map((line) => (
        <span key={line.label.en} style={{ marginRight: 12 }}>
          {pick(line.label, lang)}
          {lang === 'en' ? ': ' : '：'}
          {pick(line.value, lang)}
        </span>
      ))}
    </Typography.Text>
  );
}

/**
 * 安全审计 (等保 2.0): admins search who read or changed what in their
 * jurisdictions, newest first, a page of 50 at a time by sequence number,
 * and can prove the whole hash chain intact.
 */
export function AuditPage({ me }: { me: Me }) {
  const { lang } = useLang();
  const isAdmin = me.memberships.some((m) => m.role === 'admin');
  const [form] = Form.useForm<Filters>();
  const [actions, setActions] = useState<{ id: string; name: unknown }[]>([]);
  const [rows, setRows] = useState<AuditRow[]>([]);
  // Cursors of the pages before this one (keyset paging: no offsets).
  const [cursors, setCursors] = useState<(number | undefined)[]>([]);
  const [current, setCurrent] = useState<number | undefined>();
  const [next, setNext] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [verification, setVerification] = useState<Verification>();
  const [verifying, setVerifying] = useState(false);

  const load = useCallback(
    async (before: number | undefined) => {
      const f = form.getFieldsValue();
      const input: SearchInput = {
        limit: PAGE,
        ...(f.user?.trim() ? { user: f.user.trim() } : {}),
        ...(f.caseId?.trim() ? { caseId: f.caseId.trim() } : {}),
        ...(f.action ? { action: f.action } : {}),
        ...(f.range?.[0] ? { from: f.range[0].toISOString() } : {}),
        ...(f.range?.[1] ? { to: f.range[1].toISOString() } : {}),
        ...(before ? { before } : {}),
      };
      setLoading(true);
      setError(undefined);
      try {
        const page = await api().audit.search.query(input);
        setRows(page.records);
        setNext(page.nextBefore);
        setCurrent(before);
      } catch (e) {
        setError(errorText(e, lang));
      } finally {
        setLoading(false);
      }
    },
    [form, lang],
  );

  useEffect(() => {
    if (!isAdmin) return;
    api()
      .audit.actions.query()
      .then(setActions)
      .catch(() => {});
    void load(undefined);
  }, [isAdmin, load]);

  if (!isAdmin)
    return (
      <Result
        status="403"
        title={tr(lang, '仅管理员可查看审计日志', 'Only administrators may view the audit log')}
      />
    );

  const verify = async () => {
    setVerifying(true);
    try {
      setVerification(await api().audit.verify.mutate());
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setVerifying(false);
    }
  };

  return (
    <div className="lx-wb-page" style={{ padding: 16, overflow: 'auto' }} data-testid="audit-page">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {tr(lang, '安全审计日志', 'Security audit log')}
        </Typography.Title>
        <Typography.Text type="secondary">
          {tr(
            lang,
            '记录本辖区内对信访事项和信访人的每次查看、导出，登录、登录失败、越权访问和管理操作；日志按哈希链防篡改，保存不少于 180 天。',
            'Every read and export of cases and petitioners, sign-in, failed sign-in, refused access and admin change in your jurisdictions; hash-chained against tampering, kept at least 180 days.',
          )}
        </Typography.Text>
        <Card size="small">
          <Form
            form={form}
            layout="inline"
            onFinish={() => {
              setCursors([]);
              void load(undefined);
            }}
          >
            <Form.Item name="user" label={tr(lang, '用户', 'User')}>
              <Input
                allowClear
                placeholder={tr(lang, '用户名', 'user name')}
                style={{ width: 140 }}
                data-testid="audit-user"
              />
            </Form.Item>
            <Form.Item name="caseId" label={tr(lang, '信访事项', 'Case')}>
              <Input
                allowClear
                placeholder={tr(lang, '事项编号', 'case id')}
                style={{ width: 180 }}
                data-testid="audit-case"
              />
            </Form.Item>
            <Form.Item name="action" label={tr(lang, '操作', 'Action')}>
              <Select
                allowClear
                style={{ width: 180 }}
                placeholder={tr(lang, '全部', 'all')}
                options={actions.map((a) => ({ value: a.id, label: pick(a.name, lang) }))}
                data-testid="audit-action"
              />
            </Form.Item>
            <Form.Item name="range" label={tr(lang, '时间', 'Time')}>
              <DatePicker.RangePicker
                showTime={{ format: 'HH:mm' }}
                format="YYYY-MM-DD HH:mm"
                placeholder={[tr(lang, '开始时间', 'From'), tr(lang, '结束时间', 'To')]}
              />
            </Form.Item>
            <Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                icon={<SearchOutlined />}
                data-testid="audit-search"
              >
                {tr(lang, '查询', 'Search')}
              </Button>
            </Form.Item>
            <Form.Item>
              <Button
                icon={<SafetyCertificateOutlined />}
                loading={verifying}
                onClick={() => void verify()}
                data-testid="audit-verify"
              >
                {tr(lang, '核验完整性', 'Verify the chain')}
              </Button>
            </Form.Item>
          </Form>
        </Card>
        {verification && (
          <Alert
            data-testid="audit-verification"
            showIcon
            type={verification.ok ? 'success' : 'error'}
            message={
              verification.ok
                ? tr(
                    lang,
                    `审计日志完整：共 ${verification.count} 条记录，哈希链未被改动`,
                    `Audit log intact: ${verification.count} record(s), the hash chain is unbroken`,
                  )
                : pick(verification.broken.message, lang)
            }
            description={
              verification.ok
                ? `${tr(lang, '链头哈希', 'Head hash')} ${verification.headHash}`
                : tr(
                    lang,
                    `此前 ${verification.count} 条记录完好`,
                    `${verification.count} record(s) before it are intact`,
                  )
            }
          />
        )}
        {error && <Alert type="error" showIcon message={error} data-testid="audit-error" />}
        <Table<AuditRow>
          size="small"
          rowKey="seq"
          loading={loading}
          dataSource={rows}
          pagination={false}
          data-testid="audit-table"
          columns={[
            { title: tr(lang, '序号', 'No.'), dataIndex: 'seq', width: 70 },
            {
              title: tr(lang, '时间', 'Time'),
              dataIndex: 'at',
              width: 160,
              render: (at: string) => BEIJING.format(new Date(at)),
            },
            {
              title: tr(lang, '用户', 'User'),
              dataIndex: 'actorName',
              width: 120,
              render: (name: string | null, r) => name ?? r.actorId ?? '—',
            },
            {
              title: tr(lang, '操作', 'Action'),
              dataIndex: 'action',
              width: 150,
              render: (action: string) => (
                <Tag color={COLOURS[action] ?? 'blue'}>
                  {pick(actions.find((a) => a.id === action)?.name, lang) || action}
                </Tag>
              ),
            },
            {
              title: tr(lang, '辖区', 'Jurisdiction'),
              dataIndex: 'jurisdictionName',
              width: 90,
              render: (name: AuditRow['jurisdictionName']) => (name ? pick(name, lang) : ''),
            },
            {
              title: tr(lang, '信访事项', 'Case'),
              dataIndex: 'caseId',
              width: 130,
              render: (caseId: string | null) =>
                caseId ? (
                  <a href={`#/workbench/case/${encodeURIComponent(caseId)}`}>{caseId}</a>
                ) : (
                  ''
                ),
            },
            { title: 'IP', dataIndex: 'ip', width: 110 },
            {
              title: tr(lang, '详情', 'Details'),
              dataIndex: 'lines',
              render: (lines: AuditRow['lines']) => <DetailLines lines={lines} lang={lang} />,
            },
            {
              title: tr(lang, '哈希', 'Hash'),
              dataIndex: 'hash',
              width: 100,
              render: (h: string) => (
                <Typography.Text code style={{ fontSize: 11 }} title={h}>
                  {h.slice(0, 10)}
                </Typography.Text>
              ),
            },
          ]}
        />
        <Space>
          <Button
            disabled={!cursors.length}
            onClick={() => {
              const previous = cursors.slice(0, -1);
              const before = cursors.at(-1);
              setCursors(previous);
              void load(before);
            }}
            data-testid="audit-prev"
          >
            {tr(lang, '上一页', 'Previous')}
          </Button>
          <Button
            disabled={next === null}
            onClick={() => {
              setCursors([...cursors, current]);
              void load(next ?? undefined);
            }}
            data-testid="audit-next"
          >
            {tr(lang, '下一页', 'Next')}
          </Button>
        </Space>
      </Space>
    </div>
  );
}
