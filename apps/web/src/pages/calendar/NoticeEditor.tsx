import { CheckCircleOutlined, EyeOutlined, ScanOutlined } from '@ant-design/icons';
import { dueText, holidaySpans, weekdayName } from '@lianxin/designer';
import type { Lang } from '@lianxin/spec';
import {
  Alert,
  App,
  Button,
  Card,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { tr, useLang } from '../../i18n';
import { api, errorText, pick } from '../workbench/api';
import type { CalendarYearView, DraftYear, ParsedNotice, Preview, Published } from './shared';
import { Legend, YearGrid } from './YearGrid';
import { HolidayList } from './YearInfo';

/** The holidays of the 全国年节及纪念日放假办法, offered when a day is marked by hand. */
const HOLIDAY_NAMES = ['元旦', '春节', '清明节', '劳动节', '端午节', '中秋节', '国庆节'];

const KIND_NAMES: Record<string, [string, string]> = {
  clock: ['法定时限', 'Statutory deadline'],
  task: ['办理期限', 'Task deadline'],
  timer: ['定时', 'Timer'],
};

type Mark = 'holiday' | 'makeUp' | 'normal';

/** The draft with one day set to a day off, a make-up working day, or neither. */
export function markDay(draft: DraftYear, date: string, mark: Mark, name: string): DraftYear {
  const holidays = { ...draft.holidays };
  const workdays = { ...draft.workdays };
  delete holidays[date];
  delete workdays[date];
  if (mark === 'holiday') holidays[date] = name;
  if (mark === 'makeUp') workdays[date] = name;
  return { ...draft, holidays, workdays };
}

function ProblemList({ problems, lang }: { problems: ParsedNotice['problems']; lang: Lang }) {
  if (!problems.length) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="notice-problems"
      message={tr(
        lang,
        `发现 ${problems.length} 处问题，请核对后修改`,
        `${problems.length} problem(s) found: check and correct them`,
      )}
      description={
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {problems.map((p, i) => (
            <li key={`${p.code}-${p.date ?? i}`} data-testid="notice-problem">
              {p.date &&
                // Where the message does not already say which day it is about.
                !pick(p.message, lang).includes(p.date) &&
                tr(
                  lang,
                  `${p.date}（${weekdayName(p.date, lang)}）：`,
                  `${p.date} (${weekdayName(p.date, lang)}): `,
                )}
              {pick(p.message, lang)}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/**
 * 录入国务院通知: paste the notice's text, read it into a draft year, check
 * it on the grid (click a day to change it), see which open deadlines would
 * move, and publish it for the jurisdiction and everything below.
 */
export function NoticeEditor({
  jurisdiction,
  published,
  onPublished,
}: {
  jurisdiction: string;
  /** The years as they hold now (an official one is corrected, with a reason). */
  published: CalendarYearView[];
  onPublished: (year: number) => void;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState<'parse' | 'preview' | 'publish'>();
  const [draft, setDraft] = useState<DraftYear>();
  const [problems, setProblems] = useState<ParsedNotice['problems']>([]);
  const [mark, setMark] = useState<Mark>('holiday');
  const [markName, setMarkName] = useState(HOLIDAY_NAMES[0] ?? '元旦');
  const [preview, setPreview] = useState<Preview>();
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<Published & { year: number }>();
  const [error, setError] = useState<string>();

  const before = draft && published.find((y) => y.year === draft.year);
  const correction = before?.status === 'official';

  const change = (next: DraftYear) => {
    setDraft(next);
    setPreview(undefined);
    setResult(undefined);
  };
  const parse = async () => {
    setBusy('parse');
    setError(undefined);
    try {
      const parsed = await api().calendars.parseNotice.mutate({ text });
      change(parsed.year);
      setProblems(parsed.problems);
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(undefined);
    }
  };
  const runPreview = async () => {
    if (!draft) return;
    setBusy('preview');
    setError(undefined);
    try {
      const p = await api().calendars.preview.mutate({ jurisdiction, year: draft });
      setPreview(p);
      setProblems(p.problems);
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(undefined);
    }
  };
  const publish = async () => {
    if (!draft) return;
    setBusy('publish');
    setError(undefined);
    try {
      const r = await api().calendars.publish.mutate({
        jurisdiction,
        year: draft,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setResult({ ...r, year: draft.year });
      setConfirming(false);
      setReason('');
      message.success(tr(lang, '已发布', 'Published'));
      onPublished(draft.year);
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(undefined);
    }
  };

  const source = draft?.source;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="notice-editor">
      <Card size="small" title={tr(lang, '粘贴通知全文', 'Paste the notice')}>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {tr(
            lang,
            '把国务院办公厅《关于××××年部分节假日安排的通知》的全文粘贴在下面（含标题、文号和日期更好），点「识别」生成草稿；草稿可在日历上逐日修改，确认影响后再发布。',
            'Paste the full text of the State Council General Office’s notice on the year’s holidays (with its title, number and date if you have them) and press Read; correct the draft day by day on the grid, check what it moves, then publish.',
          )}
        </Typography.Paragraph>
        <Input.TextArea
          data-testid="notice-text"
          rows={8}
          value={text}
          maxLength={20_000}
          onChange={(e) => setText(e.target.value)}
          placeholder={tr(
            lang,
            '一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：……',
            '一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n二、春节：……',
          )}
        />
        <Button
          type="primary"
          icon={<ScanOutlined />}
          style={{ marginTop: 8 }}
          disabled={!text.trim()}
          loading={busy === 'parse'}
          onClick={() => void parse()}
          data-testid="notice-parse"
        >
          {tr(lang, '识别', 'Read')}
        </Button>
      </Card>
      {error && <Alert type="error" showIcon message={error} data-testid="notice-error" />}
      {draft && (
        <Card
          size="small"
          data-testid="notice-draft"
          title={
            <Space wrap>
              <span data-testid="draft-title">
                {tr(lang, `草稿：${draft.year} 年放假安排`, `Draft: holidays in ${draft.year}`)}
              </span>
              {correction && (
                <Tag color="orange">
                  {tr(lang, '更正已发布的安排', 'Corrects a published arrangement')}
                </Tag>
              )}
            </Space>
          }
          extra={
            source ? (
              <Typography.Text type="secondary" data-testid="draft-source">
                {source.document}
                {source.date ? ` · ${source.date}` : ''}
              </Typography.Text>
            ) : (
              <Typography.Text type="warning">
                {tr(lang, '未识别到文号', 'No document number found')}
              </Typography.Text>
            )
          }
        >
          <ProblemList problems={problems} lang={lang} />
          <Space wrap style={{ margin: '12px 0' }}>
            <span>{tr(lang, '点击日期设为', 'Clicking a day makes it')}</span>
            <Radio.Group
              value={mark}
              onChange={(e) => setMark(e.target.value as Mark)}
              optionType="button"
              data-testid="draft-mark"
              options={[
                { value: 'holiday', label: tr(lang, '放假', 'Day off') },
                { value: 'makeUp', label: tr(lang, '调休上班', 'Make-up working day') },
                { value: 'normal', label: tr(lang, '恢复平常', 'Ordinary day') },
              ]}
            />
            {mark !== 'normal' && (
              <Select
                style={{ width: 110 }}
                value={markName}
                onChange={setMarkName}
                options={HOLIDAY_NAMES.map((n) => ({ value: n, label: n }))}
                data-testid="draft-mark-name"
              />
            )}
          </Space>
          <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start', flexWrap: 'wrap' }}>
            <div style={{ flex: '3 1 760px', minWidth: 0 }}>
              <YearGrid
                year={draft.year}
                arrangement={draft}
                lang={lang}
                testId="draft-grid"
                onDay={(date) => change(markDay(draft, date, mark, markName))}
              />
              <Legend lang={lang} />
            </div>
            <div style={{ flex: '1 1 260px' }}>
              <HolidayList
                view={{ ...draft, status: 'official' } as CalendarYearView}
                lang={lang}
              />
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {tr(
                  lang,
                  `共 ${holidaySpans(draft).length} 个节日，放假 ${Object.keys(draft.holidays).length} 天，调休上班 ${Object.keys(draft.workdays).length} 天`,
                  `${holidaySpans(draft).length} holidays, ${Object.keys(draft.holidays).length} days off, ${Object.keys(draft.workdays).length} make-up days`,
                )}
              </Typography.Text>
            </div>
          </div>
          <Space style={{ marginTop: 12 }}>
            <Button
              icon={<EyeOutlined />}
              loading={busy === 'preview'}
              onClick={() => void runPreview()}
              data-testid="notice-preview"
            >
              {tr(lang, '预览影响', 'Preview the effect')}
            </Button>
            <Button
              type="primary"
              icon={<CheckCircleOutlined />}
              disabled={!preview || preview.problems.length > 0}
              onClick={() => setConfirming(true)}
              data-testid="notice-publish"
            >
              {tr(lang, '确认发布', 'Publish')}
            </Button>
          </Space>
        </Card>
      )}
      {preview && draft && (
        <Card
          size="small"
          data-testid="notice-preview-result"
          title={tr(
            lang,
            `发布后：在办事项 ${preview.openCases} 件，${preview.changes.length} 个期限将变动`,
            `After publishing: ${preview.openCases} open case(s), ${preview.changes.length} deadline(s) move`,
          )}
        >
          <Table
            size="small"
            rowKey={(r) => `${r.caseId}/${r.kind}/${r.id}`}
            dataSource={preview.changes}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            data-testid="preview-table"
            locale={{
              emptyText: tr(lang, '没有期限变动', 'No deadline moves'),
            }}
            columns={[
              {
                title: tr(lang, '信访事项', 'Case'),
                dataIndex: 'trackingCode',
                width: 150,
                render: (code: string, r) => (
                  <a
                    className="wb-code"
                    href={`#/workbench/case/${encodeURIComponent(r.caseId)}`}
                    target="_blank"
                    rel="noreferrer"
                  >
                    {code}
                  </a>
                ),
              },
              {
                title: tr(lang, '期限', 'Deadline'),
                render: (_, r) => (
                  <span>
                    {tr(lang, ...(KIND_NAMES[r.kind] ?? ['期限', 'Deadline']))}
                    {r.name ? ` · ${pick(r.name, lang)}` : ''}
                  </span>
                ),
              },
              {
                title: tr(lang, '原期限', 'Was due'),
                dataIndex: 'from',
                render: (at: string) => <span data-testid="preview-from">{dueText(at, lang)}</span>,
              },
              {
                title: tr(lang, '新期限', 'Now due'),
                dataIndex: 'to',
                render: (at: string, r) => (
                  <Space size={4}>
                    <span data-testid="preview-to">{dueText(at, lang)}</span>
                    {at > r.from ? (
                      <Tag color="green">{tr(lang, '延后', 'later')}</Tag>
                    ) : (
                      <Tag color="orange">{tr(lang, '提前', 'earlier')}</Tag>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}
      {result && (
        <Alert
          type="success"
          showIcon
          data-testid="notice-published"
          message={tr(
            lang,
            `${result.year} 年放假安排已发布（第 ${result.revision} 版）`,
            `The ${result.year} arrangement is published (revision ${result.revision})`,
          )}
          description={tr(
            lang,
            `已重新计算 ${result.recomputed} 件在办事项，${result.moved} 个期限变动；相关承办人已收到通知。`,
            `${result.recomputed} open case(s) recomputed, ${result.moved} deadline(s) moved; the people responsible were notified.`,
          )}
        />
      )}
      <Modal
        open={confirming && Boolean(draft)}
        title={tr(
          lang,
          `发布 ${draft?.year ?? ''} 年放假安排`,
          `Publish the ${draft?.year ?? ''} arrangement`,
        )}
        okText={tr(lang, '发布', 'Publish')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={{
          disabled: correction && !reason.trim(),
          loading: busy === 'publish',
          ...({ 'data-testid': 'notice-publish-confirm' } as object),
        }}
        onOk={() => void publish()}
        onCancel={() => setConfirming(false)}
      >
        <Typography.Paragraph>
          {tr(
            lang,
            `本辖区及下级的 ${preview?.openCases ?? 0} 件在办事项将按新安排重新计算期限，其中 ${preview?.changes.length ?? 0} 个期限变动，承办人会收到通知。`,
            `The ${preview?.openCases ?? 0} open case(s) here and below are recomputed; ${preview?.changes.length ?? 0} deadline(s) move and the people responsible are notified.`,
          )}
        </Typography.Paragraph>
        <Typography.Text>
          {correction
            ? tr(lang, '更正原因（必填）', 'Reason for the correction (required)')
            : tr(lang, '说明（可选）', 'Note (optional)')}
        </Typography.Text>
        <Input.TextArea
          rows={3}
          value={reason}
          maxLength={500}
          onChange={(e) => setReason(e.target.value)}
          data-testid="notice-reason"
        />
      </Modal>
    </Space>
  );
}
