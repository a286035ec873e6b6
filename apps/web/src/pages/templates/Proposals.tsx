import { CheckOutlined, RollbackOutlined, SendOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Badge,
  Button,
  Checkbox,
  Descriptions,
  Drawer,
  Empty,
  Input,
  List,
  Modal,
  Space,
  Spin,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useState } from 'react';
import { tr, useLang } from '../../i18n';
import { errorText, pick, type TemplatesApi } from './api';

type ProposalList = Awaited<ReturnType<TemplatesApi['proposals']['query']>>;
type ProposalSummary = ProposalList['rows'][number];
type ProposalView = Awaited<ReturnType<TemplatesApi['proposal']['query']>>;
type LocalChange = Awaited<ReturnType<TemplatesApi['overlay']['query']>>['changes'][number];

const STATUS: Record<ProposalSummary['status'], { zh: string; en: string; color: string }> = {
  pending: { zh: '待审阅', en: 'Awaiting review', color: 'processing' },
  accepted: { zh: '已采纳', en: 'Accepted', color: 'success' },
  returned: { zh: '已退回', en: 'Returned', color: 'warning' },
};
const when = (iso: string | null) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '');

export function ProposalStatus({ status }: { status: ProposalSummary['status'] }) {
  const { lang } = useLang();
  const s = STATUS[status];
  return (
    <Tag color={s.color} data-testid="proposal-status">
      {tr(lang, s.zh, s.en)}
    </Tag>
  );
}

/**
 * 提交给省级: a county admin offers local changes of an adopted flow to the
 * template's publisher, choosing which (all by default), with a note.
 */
export function ProposeDialog({
  api,
  flowId,
  flowName,
  open,
  onClose,
}: {
  api: TemplatesApi;
  flowId: string;
  flowName: string;
  open: boolean;
  onClose: () => void;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [changes, setChanges] = useState<LocalChange[]>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [noteZh, setNoteZh] = useState('');
  const [noteEn, setNoteEn] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    setChanges(undefined);
    setError(undefined);
    setNoteZh('');
    setNoteEn('');
    api.overlay
      .query({ flowId })
      .then((r) => {
        setChanges(r.changes);
        setChosen(r.changes.map((c) => c.path));
      })
      .catch((e) => setError(errorText(e, lang)));
  }, [api, flowId, open, lang]);
  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const all = chosen.length === changes?.length;
      await api.propose.mutate({
        flowId,
        ...(all ? {} : { paths: chosen }),
        note: { 'zh-CN': noteZh.trim(), ...(noteEn.trim() ? { en: noteEn.trim() } : {}) },
      });
      message.success(tr(lang, '已提交给省级，等待审阅', 'Sent to the province for review'));
      onClose();
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      width={720}
      title={tr(lang, `提交给省级：${flowName}`, `Offer to the province: ${flowName}`)}
      okText={tr(lang, `提交 ${chosen.length} 处修改`, `Send ${chosen.length} change(s)`)}
      cancelText={tr(lang, '取消', 'Cancel')}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={
        {
          disabled: chosen.length === 0 || noteZh.trim().length < 2,
          'data-testid': 'propose-submit',
        } as never
      }
    >
      <div data-testid="propose-dialog">
        <Typography.Paragraph type="secondary">
          {tr(
            lang,
            '选择要建议省里纳入模板下一版的本地修改，并说明理由。省里可逐条查看、采纳或退回，结果会在消息中告诉本县。',
            'Choose the local changes you suggest for the template’s next version and say why. The province reviews each, accepts or returns them, and the answer comes to your notifications.',
          )}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        {!changes ? (
          !error && <Spin />
        ) : changes.length === 0 ? (
          <Empty description={tr(lang, '没有本地修改，与模板一致', 'No local changes')} />
        ) : (
          <Checkbox.Group
            value={chosen}
            onChange={(v) => setChosen(v as string[])}
            style={{ width: '100%' }}
          >
            <div className="lx-changes" data-testid="propose-changes">
              {changes.map((c, i) => (
                <div key={c.path} className="lx-change" data-testid={`propose-change-${i}`}>
                  <Checkbox value={c.path}>{pick(c.text, lang)}</Checkbox>
                </div>
              ))}
            </div>
          </Checkbox.Group>
        )}
        <Typography.Title level={5} style={{ marginTop: 16 }}>
          {tr(lang, '建议说明', 'Note')}
        </Typography.Title>
        <Input.TextArea
          rows={3}
          maxLength={2000}
          placeholder={tr(lang, '中文说明（必填）：为什么这样改更好', 'Chinese note (required)')}
          value={noteZh}
          onChange={(e) => setNoteZh(e.target.value)}
          data-testid="propose-note-zh"
        />
        <Input.TextArea
          rows={2}
          maxLength={2000}
          style={{ marginTop: 8 }}
          placeholder={tr(lang, '英文说明（可选）', 'English note (optional)')}
          value={noteEn}
          onChange={(e) => setNoteEn(e.target.value)}
          data-testid="propose-note-en"
        />
      </div>
    </Modal>
  );
}

/** One offered change in words, with its clash with the province's current flow. */
function ChangeWords({
  change: c,
  merged,
  pending,
}: {
  change: ProposalView['changes'][number];
  merged: boolean;
  /** Clashes are told while the proposal awaits an answer; after it, the merge decided them. */
  pending: boolean;
}) {
  const { lang } = useLang();
  return (
    <span>
      <div>
        {pick(c.text, lang)}
        {merged && (
          <Tag color="green" style={{ marginLeft: 6 }}>
            {tr(lang, '已并入', 'Merged')}
          </Tag>
        )}
      </div>
      {pending && c.conflict && c.conflictText && (
        <Typography.Text type="warning" style={{ fontSize: 12 }}>
          {tr(lang, '冲突：', 'Clash: ')}
          {pick(c.conflictText, lang)}
        </Typography.Text>
      )}
      {pending && c.alreadyInSource && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {tr(lang, '省里当前流程已是此值', 'The province already has this')}
        </Typography.Text>
      )}
    </span>
  );
}

/** One proposal: the note, the changes in words with clashes, and the publisher's answer. */
function ProposalDetail({
  api,
  id,
  onAnswered,
}: {
  api: TemplatesApi;
  id: string;
  onAnswered: () => void;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [view, setView] = useState<ProposalView>();
  const [error, setError] = useState<string>();
  const [chosen, setChosen] = useState<string[]>([]);
  const [returning, setReturning] = useState(false);
  const [reasonZh, setReasonZh] = useState('');
  const [reasonEn, setReasonEn] = useState('');
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api.proposal
      .query({ id })
      .then((v) => {
        setView(v);
        setChosen(v.changes.map((c) => c.path));
      })
      .catch((e) => setError(errorText(e, lang)));
  }, [api, id, lang]);
  useEffect(load, [load]);
  if (error) return <Alert type="error" showIcon message={error} />;
  if (!view) return <Spin />;
  const accept = async () => {
    setBusy(true);
    try {
      const all = chosen.length === view.changes.length;
      const r = await api.acceptProposal.mutate({ id, ...(all ? {} : { paths: chosen }) });
      message.success(
        tr(
          lang,
          `已采纳 ${r.merged} 处修改，已并入省里的流程草稿；发布模板新版本时一并带上`,
          `Accepted ${r.merged} change(s) into the province’s flow draft; the next template version carries them`,
        ),
      );
      load();
      onAnswered();
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const giveBack = async () => {
    setBusy(true);
    try {
      await api.returnProposal.mutate({
        id,
        reason: { 'zh-CN': reasonZh.trim(), ...(reasonEn.trim() ? { en: reasonEn.trim() } : {}) },
      });
      message.success(tr(lang, '已退回，并告知该县', 'Returned; the county is told'));
      setReturning(false);
      load();
      onAnswered();
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const conflicts = view.changes.filter((c) => c.conflict).length;
  return (
    <div data-testid="proposal-detail">
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={tr(lang, '提出', 'From')}>
          {pick(view.jurisdictionName, lang)} · {pick(view.flowName, lang)}
        </Descriptions.Item>
        <Descriptions.Item label={tr(lang, '模板', 'Template')}>
          {pick(view.templateName, lang)}{' '}
          {tr(lang, `（基于第 ${view.templateVersion} 版）`, `(based on v${view.templateVersion})`)}
        </Descriptions.Item>
        <Descriptions.Item label={tr(lang, '状态', 'Status')}>
          <ProposalStatus status={view.status} /> {when(view.proposedAt)}
        </Descriptions.Item>
        <Descriptions.Item label={tr(lang, '说明', 'Note')}>
          <span data-testid="proposal-note">{pick(view.note, lang)}</span>
        </Descriptions.Item>
        {view.answer && (
          <Descriptions.Item
            label={
              view.status === 'returned'
                ? tr(lang, '退回理由', 'Reason')
                : tr(lang, '省里答复', 'Answer')
            }
          >
            <span data-testid="proposal-answer">{pick(view.answer, lang)}</span>
          </Descriptions.Item>
        )}
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {tr(lang, `建议的修改（${view.changes.length} 处）`, `Changes (${view.changes.length})`)}
        {conflicts > 0 && view.status === 'pending' && (
          <Tag color="orange" style={{ marginLeft: 8 }}>
            {tr(lang, `${conflicts} 处与省里当前流程冲突`, `${conflicts} clash with the province`)}
          </Tag>
        )}
      </Typography.Title>
      <Checkbox.Group
        value={chosen}
        onChange={(v) => setChosen(v as string[])}
        disabled={!view.reviewable}
        style={{ width: '100%' }}
      >
        <div className="lx-changes" data-testid="proposal-changes">
          {view.changes.map((c, i) => (
            <div
              key={c.path}
              className={`lx-change${c.conflict && view.status === 'pending' ? ' lx-change-conflict' : ''}`}
              data-testid={`proposal-change-${i}`}
            >
              {view.reviewable ? (
                <Checkbox value={c.path}>
                  <ChangeWords change={c} merged={false} pending />
                </Checkbox>
              ) : (
                <ChangeWords
                  change={c}
                  merged={view.status === 'accepted' && Boolean(view.merged?.includes(c.path))}
                  pending={view.status === 'pending'}
                />
              )}
            </div>
          ))}
        </div>
      </Checkbox.Group>
      {view.reviewable && (
        <Space style={{ marginTop: 16 }}>
          <Button
            type="primary"
            icon={<CheckOutlined />}
            loading={busy}
            disabled={chosen.length === 0}
            onClick={() => void accept()}
            data-testid="proposal-accept"
          >
            {tr(lang, `采纳所选 ${chosen.length} 处`, `Accept ${chosen.length}`)}
          </Button>
          <Button
            danger
            icon={<RollbackOutlined />}
            onClick={() => setReturning(true)}
            data-testid="proposal-return"
          >
            {tr(lang, '退回', 'Return')}
          </Button>
        </Space>
      )}
      {view.reviewable && (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
          {tr(
            lang,
            '采纳后，所选修改以三方合并并入省里的流程草稿（冲突处以本县的值为准），在“发布模板”中发布下一版时一并带上。',
            'Accepting merges the chosen changes three-way into the province’s flow draft (the county’s value wins on a clash); publishing the next template version carries them.',
          )}
        </Typography.Paragraph>
      )}
      <Modal
        open={returning}
        title={tr(lang, '退回建议', 'Return the proposal')}
        okText={tr(lang, '退回', 'Return')}
        cancelText={tr(lang, '取消', 'Cancel')}
        onOk={() => void giveBack()}
        onCancel={() => setReturning(false)}
        confirmLoading={busy}
        okButtonProps={
          { disabled: reasonZh.trim().length < 2, 'data-testid': 'return-submit' } as never
        }
      >
        <Input.TextArea
          rows={3}
          maxLength={2000}
          placeholder={tr(
            lang,
            '退回理由（必填，该县会看到）',
            'Reason (required; the county sees it)',
          )}
          value={reasonZh}
          onChange={(e) => setReasonZh(e.target.value)}
          data-testid="return-reason-zh"
        />
        <Input.TextArea
          rows={2}
          maxLength={2000}
          style={{ marginTop: 8 }}
          placeholder={tr(lang, '英文理由（可选）', 'English reason (optional)')}
          value={reasonEn}
          onChange={(e) => setReasonEn(e.target.value)}
          data-testid="return-reason-en"
        />
      </Modal>
    </div>
  );
}

/**
 * 县区建议: the button (with the count awaiting the caller's review) and the
 * drawer listing proposals: for a province, those to review; for a county, its own.
 */
export function ProposalsButton({
  api,
  reviewer,
  openId,
}: {
  api: TemplatesApi;
  reviewer: boolean;
  /** A proposal to show at once (opened from the bell). */
  openId?: string;
}) {
  const { lang } = useLang();
  const [list, setList] = useState<ProposalList>();
  const [open, setOpen] = useState(false);
  const [current, setCurrent] = useState<string>();
  const load = useCallback(() => {
    api.proposals
      .query()
      .then(setList)
      .catch(() => setList({ rows: [], pending: 0 }));
  }, [api]);
  useEffect(load, [load]);
  useEffect(() => {
    if (!openId) return;
    setCurrent(openId);
    setOpen(true);
  }, [openId]);
  return (
    <>
      <Badge count={list?.pending ?? 0} size="small" data-testid="proposals-count">
        <Button
          icon={<SendOutlined />}
          onClick={() => {
            load();
            setCurrent(undefined);
            setOpen(true);
          }}
          data-testid="open-proposals"
        >
          {reviewer
            ? tr(lang, '县区建议', 'County proposals')
            : tr(lang, '本县建议', 'Our proposals')}
        </Button>
      </Badge>
      <Drawer
        open={open}
        width={760}
        title={
          current ? (
            <Button type="link" onClick={() => setCurrent(undefined)} style={{ padding: 0 }}>
              {tr(lang, '← 返回列表', '← Back to the list')}
            </Button>
          ) : reviewer ? (
            tr(lang, '县区建议', 'County proposals')
          ) : (
            tr(lang, '本县建议', 'Our proposals')
          )
        }
        onClose={() => setOpen(false)}
      >
        {current ? (
          <ProposalDetail api={api} id={current} onAnswered={load} />
        ) : (
          <List
            data-testid="proposals-list"
            loading={!list}
            dataSource={list?.rows ?? []}
            locale={{ emptyText: tr(lang, '暂无建议', 'No proposals') }}
            renderItem={(p) => (
              <List.Item
                style={{ cursor: 'pointer' }}
                onClick={() => setCurrent(p.id)}
                data-testid={`proposal-${p.jurisdiction}-${p.templateKey}`}
                extra={<ProposalStatus status={p.status} />}
              >
                <List.Item.Meta
                  title={`${pick(p.jurisdictionName, lang)} · ${pick(p.flowName, lang)}`}
                  description={
                    <Space direction="vertical" size={0}>
                      <span>
                        {tr(
                          lang,
                          `${pick(p.templateName, lang)} 第 ${p.templateVersion} 版 · ${p.changeCount} 处修改 · ${when(p.proposedAt)}`,
                          `${pick(p.templateName, lang)} v${p.templateVersion} · ${p.changeCount} change(s) · ${when(p.proposedAt)}`,
                        )}
                      </span>
                      <Typography.Text type="secondary" ellipsis>
                        {pick(p.note, lang)}
                      </Typography.Text>
                    </Space>
                  }
                />
              </List.Item>
            )}
          />
        )}
      </Drawer>
    </>
  );
}
