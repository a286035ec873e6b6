import { weekdayName } from '@lianxin/designer';
import type { Bilingual } from '@lianxin/spec';
import { Alert, Button, Card, Input, Modal, Space, Switch, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { api, errorData, errorText, pick } from '../workbench/api';
import { type CalendarYearView, withoutLocalDays } from './shared';
import { Legend, YearGrid } from './YearGrid';

type Saved = Awaited<ReturnType<ReturnType<typeof api>['calendars']['setLocalDays']['mutate']>>;
interface Problem {
  code: string;
  date?: string;
  message: Bilingual;
}

/** The located problems a refused setLocalDays carries (the store's localDayProblems). */
function problemsOf(error: unknown): Problem[] {
  const details = errorData(error)?.details as { problems?: Problem[] } | undefined;
  return details?.problems ?? [];
}

/**
 * 允许本地假日: for an admin above the jurisdiction, whether it may keep its
 * own days off (e.g. an ethnic autonomous county's festivals), with a note.
 */
export function LocalGrant({
  jurisdiction,
  name,
  allowed,
  onChanged,
}: {
  jurisdiction: string;
  name: string;
  allowed: boolean;
  onChanged: () => void;
}) {
  const { lang } = useLang();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const toggle = async (next: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      await api().calendars.allowLocalDays.mutate({
        jurisdiction,
        allowed: next,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onChanged();
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" data-testid="local-grant" title={tr(lang, '本地假日准许', 'Local days off')}>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Switch
            checked={allowed}
            loading={busy}
            onChange={(v) => void toggle(v)}
            data-testid="local-grant-switch"
          />
          <span>{tr(lang, '允许本地假日', 'Allow local days off')}</span>
          <Tag color={allowed ? 'purple' : undefined} data-testid="local-grant-state">
            {allowed
              ? tr(lang, `${name}已获准设置本地假日`, `${name} may keep local days off`)
              : tr(lang, `${name}未获准设置本地假日`, `${name} may not keep local days off`)}
          </Tag>
        </Space>
        <Input
          placeholder={tr(
            lang,
            '说明（可选），如：民族自治地方的传统节日',
            'Note (optional), e.g. an ethnic autonomous area’s festivals',
          )}
          value={note}
          maxLength={500}
          onChange={(e) => setNote(e.target.value)}
          data-testid="local-grant-note"
        />
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {tr(
            lang,
            '获准后，该辖区管理员可在其工作日历中增加本地休假日，只适用于该辖区及其下级；撤回准许后，已设的本地假日不再计入期限。',
            'Once allowed, its admin may add local days off, in force there and below; withdrawn, those days no longer count for deadlines.',
          )}
        </Typography.Text>
        {error && <Alert type="error" showIcon message={error} data-testid="local-grant-error" />}
      </Space>
    </Card>
  );
}

/**
 * 本地假日: the admin of a jurisdiction with the grant clicks days of the
 * year grid to add (with a name) or remove a local day off, and saves them
 * with a reason; open cases there and below are recomputed.
 */
export function LocalDaysEditor({
  jurisdiction,
  view,
  allowed,
  onSaved,
}: {
  jurisdiction: string;
  view: CalendarYearView;
  allowed: boolean;
  onSaved: () => void;
}) {
  const { lang } = useLang();
  const own = () =>
    Object.fromEntries(
      (view.localDays ?? [])
        .filter((l) => l.jurisdiction === jurisdiction)
        .flatMap((l) => Object.entries(l.days)),
    );
  const [days, setDays] = useState<Record<string, string>>(own);
  const [editing, setEditing] = useState<string>();
  const [name, setName] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [problems, setProblems] = useState<Problem[]>([]);
  const [saved, setSaved] = useState<Saved & { year: number }>();
  // Another year or jurisdiction: start again from what is saved there.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the year shown changes
  useEffect(() => {
    setDays(own());
    setProblems([]);
    setError(undefined);
  }, [jurisdiction, view]);

  if (!allowed)
    return (
      <Alert
        type="info"
        showIcon
        data-testid="local-not-allowed"
        message={tr(
          lang,
          '本辖区未获准设置本地假日',
          'This jurisdiction has not been allowed local days off',
        )}
        description={tr(
          lang,
          '本地假日（如民族自治地方的传统节日）须由上级管理员在工作日历中准许后，方可由本辖区管理员设置。',
          'Local days off (e.g. an ethnic autonomous area’s festivals) can be set once an admin above allows them on the calendar page.',
        )}
      />
    );

  const inherited = Object.fromEntries(
    (view.localDays ?? [])
      .filter((l) => l.jurisdiction !== jurisdiction)
      .flatMap((l) => Object.entries(l.days)),
  );
  const open = (date: string) => {
    setEditing(date);
    setName(days[date] ?? '');
  };
  const put = (date: string, value: string | undefined) => {
    const next = { ...days };
    if (value === undefined) delete next[date];
    else next[date] = value;
    setDays(next);
    setEditing(undefined);
  };
  const save = async () => {
    setBusy(true);
    setError(undefined);
    setProblems([]);
    setSaved(undefined);
    try {
      const r = await api().calendars.setLocalDays.mutate({
        jurisdiction,
        year: view.year,
        days,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setSaved({ ...r, year: view.year });
      onSaved();
    } catch (e) {
      const located = problemsOf(e);
      if (located.length) setProblems(located);
      else setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const list = Object.entries(days).sort(([a], [b]) => a.localeCompare(b));
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="local-editor">
      <Typography.Text>
        {tr(
          lang,
          `点击日历中的日期，增加或移除 ${view.year} 年的本地休假日（只适用于本辖区及其下级）。`,
          `Click a day to add or remove a local day off in ${view.year} (in force here and below).`,
        )}
      </Typography.Text>
      <div style={{ display: 'flex', gap: 16, alignItems: 'flex-start', flexWrap: 'wrap' }}>
        <div style={{ flex: '3 1 760px', minWidth: 0 }}>
          <YearGrid
            year={view.year}
            testId="local-grid"
            arrangement={{
              holidays: withoutLocalDays(view).holidays,
              workdays: view.workdays,
              localDays: { ...inherited, ...days },
            }}
            lang={lang}
            onDay={open}
          />
          <Legend lang={lang} local />
        </div>
        <Card
          size="small"
          style={{ flex: '1 1 280px' }}
          title={tr(lang, `${view.year} 年本地假日`, `Local days off in ${view.year}`)}
        >
          <Space direction="vertical" style={{ width: '100%' }}>
            {list.length ? (
              <div data-testid="local-draft">
                {list.map(([date, n]) => (
                  <Tag
                    key={date}
                    color="purple"
                    closable
                    onClose={() => put(date, undefined)}
                    style={{ marginBottom: 4 }}
                  >
                    {date}（{weekdayName(date, lang)}）{n}
                  </Tag>
                ))}
              </div>
            ) : (
              <Typography.Text type="secondary">
                {tr(lang, '尚未设置本地假日', 'No local days off yet')}
              </Typography.Text>
            )}
            <Input.TextArea
              rows={2}
              maxLength={500}
              value={reason}
              placeholder={tr(
                lang,
                '原因（可选），如：自治县条例规定的传统节日',
                'Reason (optional)',
              )}
              onChange={(e) => setReason(e.target.value)}
              data-testid="local-reason"
            />
            <Button
              type="primary"
              loading={busy}
              onClick={() => void save()}
              data-testid="local-save"
            >
              {tr(lang, '保存本地假日', 'Save local days off')}
            </Button>
          </Space>
        </Card>
      </div>
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          data-testid="local-problems"
          message={tr(
            lang,
            `发现 ${problems.length} 处问题，未保存`,
            `${problems.length} problem(s) found, not saved`,
          )}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {problems.map((p, i) => (
                <li key={`${p.code}-${p.date ?? i}`}>
                  {p.date && !pick(p.message, lang).includes(p.date) && `${p.date}：`}
                  {pick(p.message, lang)}
                </li>
              ))}
            </ul>
          }
        />
      )}
      {error && <Alert type="error" showIcon message={error} data-testid="local-error" />}
      {saved && (
        <Alert
          type="success"
          showIcon
          data-testid="local-saved"
          message={tr(
            lang,
            `${saved.year} 年本地假日已保存（第 ${saved.revision} 版）`,
            `Local days off for ${saved.year} saved (revision ${saved.revision})`,
          )}
          description={tr(
            lang,
            `已重新计算 ${saved.recomputed} 件在办事项，${saved.moved} 个期限变动；相关承办人已收到通知。`,
            `${saved.recomputed} open case(s) recomputed, ${saved.moved} deadline(s) moved; the people responsible were notified.`,
          )}
        />
      )}
      <Modal
        open={Boolean(editing)}
        title={editing ? `${editing}（${weekdayName(editing, lang)}）` : ''}
        onCancel={() => setEditing(undefined)}
        footer={
          <Space>
            {editing && days[editing] !== undefined && (
              <Button danger onClick={() => put(editing, undefined)} data-testid="local-day-remove">
                {tr(lang, '移除本地假日', 'Remove')}
              </Button>
            )}
            <Button onClick={() => setEditing(undefined)}>{tr(lang, '取消', 'Cancel')}</Button>
            <Button
              type="primary"
              disabled={!name.trim()}
              onClick={() => editing && put(editing, name.trim())}
              data-testid="local-day-ok"
            >
              {tr(lang, '设为本地假日', 'Make it a local day off')}
            </Button>
          </Space>
        }
      >
        <Typography.Text>{tr(lang, '假日名称', 'Name')}</Typography.Text>
        <Input
          value={name}
          maxLength={30}
          placeholder={tr(lang, '如：三月三', 'e.g. Sanyuesan')}
          onChange={(e) => setName(e.target.value)}
          onPressEnter={() => editing && name.trim() && put(editing, name.trim())}
          data-testid="local-day-name"
        />
      </Modal>
    </Space>
  );
}
