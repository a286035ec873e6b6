import { AlertOutlined } from '@ant-design/icons';
import type { Lang } from '@lianxin/spec';
import { Alert, App, Button, DatePicker, Input, Modal, Select, Space, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { tr } from '../../../i18n';
import { api, errorText, type RouterOutputs } from '../api';
import { fmt, timeLeft } from '../common';
import { useDepartments } from '../departments';
import { placeName } from '../lists';
import { departmentName, userLabel } from './timeline';
import type { Act, CaseCardProps } from './types';

type Order = NonNullable<CaseCardProps['view']['state']['supervisions']>[number];
type Addressees = RouterOutputs['supervision']['addressees'];

/** Whom an order is addressed to, in words: 在办人员, 台山市 住建局, 王某（办理人）. */
function addresseeText(
  to: Order['to'],
  props: CaseCardProps,
  places: Record<string, unknown>,
  lang: Lang,
): string {
  switch (to.kind) {
    case 'assignees':
      return tr(lang, '在办人员', 'whoever works the case');
    case 'department':
      return `${placeName(places, to.jurisdiction, lang)} ${departmentName(to.department, props.definition, lang, to.jurisdiction)}`;
    case 'user':
      return userLabel(to.userId, props.view.users, props.definition, lang);
  }
}

const STATUS = {
  open: ['督办中', 'Open'],
  answered: ['已反馈', 'Answered'],
  closed: ['已结束', 'Closed'],
} as const;

/**
 * 督办 on the case page: a banner per supervision order (why, by when, to whom,
 * overdue or not, the answer), 反馈 for the addressee, 结束督办 for the issuing
 * side, and 督办 for leaders and supervisors. Mount it at the top of the case
 * page: `<SupervisionBanner {...card} lang={lang} act={act} reload={load} places={places} />`.
 */
export function SupervisionBanner(
  props: CaseCardProps & {
    lang: Lang;
    act: Act;
    reload: () => unknown;
    places: Record<string, unknown>;
  },
) {
  const { view, lang, act, reload, places } = props;
  const { message } = App.useApp();
  useDepartments();
  const cmds = new Set(view.actions.case);
  const orders = view.state.supervisions ?? [];
  const [answering, setAnswering] = useState<Order>();
  const [answer, setAnswer] = useState('');
  const [issuing, setIssuing] = useState(false);
  const [reason, setReason] = useState('');
  const [deadline, setDeadline] = useState<Dayjs | null>(null);
  const [to, setTo] = useState('assignees');
  const [addressees, setAddressees] = useState<Addressees>();
  const [busy, setBusy] = useState(false);
  const mayIssue = cmds.has('case.supervise');
  if (!orders.length && !mayIssue) return null;

  const openIssue = () => {
    setIssuing(true);
    setReason('');
    setTo('assignees');
    setDeadline(dayjs().add(3, 'day'));
    api()
      .supervision.addressees.query({ caseId: view.case.id })
      .then(setAddressees)
      .catch((e) => message.error(errorText(e, lang)));
  };
  const issue = async () => {
    if (!deadline) return;
    setBusy(true);
    try {
      const [kind, a, b] = to.split('|');
      await api().supervision.issue.mutate({
        caseId: view.case.id,
        reason,
        // The end of the chosen day in Beijing, whatever the browser's time zone.
        deadline: `${deadline.format('YYYY-MM-DD')}T23:59:59+08:00`,
        to:
          kind === 'department'
            ? { kind: 'department', jurisdiction: a ?? '', department: b ?? '' }
            : kind === 'user'
              ? { kind: 'user', userId: a ?? '' }
              : { kind: 'assignees' },
        expectedVersion: view.state.version,
      });
      message.success(tr(lang, '已发出督办', 'Supervision order issued'));
      setIssuing(false);
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setBusy(false);
      await reload();
    }
  };
  const toOptions = [
    { value: 'assignees', label: tr(lang, '在办人员（当前办理人）', 'Whoever works the case') },
    ...(addressees?.departments ?? []).map((d) => ({
      value: `department|${d.jurisdiction}|${d.department}`,
      label: `${tr(lang, '部门', 'Department')}：${placeName(places, d.jurisdiction, lang)} ${departmentName(d.department, props.definition, lang, d.jurisdiction)}`,
    })),
    ...[...new Map((addressees?.users ?? []).map((u) => [u.id, u])).values()].map((u) => ({
      value: `user|${u.id}`,
      label: `${tr(lang, '人员', 'Person')}：${u.displayName}（${placeName(places, u.jurisdiction, lang)}${u.department ? ` ${departmentName(u.department, props.definition, lang, u.jurisdiction)}` : ''}）`,
    })),
  ];

  return (
    <div data-testid="supervision-banner" style={{ marginBottom: 12 }}>
      {orders.map((o) => {
        const left = dayjs(o.deadline).diff(dayjs());
        // On a case since closed an open order waits on nobody: no clock, no alarm.
        const live = o.status === 'open' && view.state.status === 'active';
        const overdue = live && left < 0;
        const answeredLate = o.answer && dayjs(o.answer.at).isAfter(dayjs(o.deadline));
        return (
          <Alert
            key={o.id}
            showIcon
            icon={<AlertOutlined />}
            type={
              live ? (overdue ? 'error' : 'warning') : o.status === 'answered' ? 'info' : 'success'
            }
            style={{ marginBottom: 8 }}
            data-testid={`supervision-${o.status}`}
            message={
              <Space wrap>
                <strong>{tr(lang, `督办：${o.reason}`, `Supervision order: ${o.reason}`)}</strong>
                <Tag color={o.status === 'open' ? (overdue ? 'error' : 'warning') : 'default'}>
                  {tr(lang, STATUS[o.status][0], STATUS[o.status][1])}
                </Tag>
                {o.status === 'open' && !live && <Tag>{tr(lang, '事项已办结', 'Case closed')}</Tag>}
                {live && (
                  <Tag color={overdue ? 'error' : 'processing'} data-testid="supervision-left">
                    {overdue ? tr(lang, '已超期', 'Overdue') : tr(lang, '办理期限', 'Due')}{' '}
                    {timeLeft(left, lang)}
                  </Tag>
                )}
                {answeredLate && <Tag color="error">{tr(lang, '逾期反馈', 'Answered late')}</Tag>}
              </Space>
            }
            description={
              <div>
                <div>
                  {tr(lang, '督办对象：', 'To: ')}
                  {addresseeText(o.to, props, places, lang)}
                  {' · '}
                  {tr(lang, '期限：', 'Due: ')}
                  {fmt(o.deadline)}
                </div>
                <div className="wb-muted">
                  {tr(lang, '下达：', 'Issued by ')}
                  {userLabel(o.issuedBy, view.users, props.definition, lang)} · {fmt(o.issuedAt)}
                </div>
                {o.answer && (
                  <div data-testid="supervision-answer">
                    {tr(lang, '反馈：', 'Answer: ')}
                    {o.answer.text}
                    <span className="wb-muted">
                      {' '}
                      （{userLabel(o.answer.by, view.users, props.definition, lang)} ·{' '}
                      {fmt(o.answer.at)}）
                    </span>
                  </div>
                )}
                {o.closed && (
                  <div className="wb-muted">
                    {tr(lang, '结束：', 'Closed: ')}
                    {userLabel(o.closed.by, view.users, props.definition, lang)} ·{' '}
                    {fmt(o.closed.at)}
                    {o.closed.note ? ` · ${o.closed.note}` : ''}
                  </div>
                )}
              </div>
            }
            action={
              <Space direction="vertical">
                {o.status === 'open' && cmds.has('case.answerSupervision') && (
                  <Button
                    size="small"
                    type="primary"
                    data-testid="supervision-answer-open"
                    onClick={() => {
                      setAnswer('');
                      setAnswering(o);
                    }}
                  >
                    {tr(lang, '反馈', 'Answer')}
                  </Button>
                )}
                {o.status !== 'closed' && cmds.has('case.closeSupervision') && (
                  <Button
                    size="small"
                    data-testid="supervision-close"
                    onClick={() =>
                      void act(
                        { type: 'case.closeSupervision', supervisionId: o.id },
                        tr(lang, '督办已结束', 'Supervision order closed'),
                      )
                    }
                  >
                    {tr(lang, '结束督办', 'Close')}
                  </Button>
                )}
              </Space>
            }
          />
        );
      })}
      {mayIssue && (
        <Button danger icon={<AlertOutlined />} onClick={openIssue} data-testid="supervise-open">
          {tr(lang, '督办', 'Supervise')}
        </Button>
      )}
      <Modal
        open={issuing}
        title={tr(lang, '督办', 'Issue a supervision order')}
        okText={tr(lang, '发出督办', 'Issue')}
        cancelText={tr(lang, '取消', 'Cancel')}
        confirmLoading={busy}
        okButtonProps={{ disabled: !reason.trim() || !deadline, 'data-testid': 'supervise-ok' }}
        onOk={() => void issue()}
        onCancel={() => setIssuing(false)}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <span>{tr(lang, '督办事由', 'Reason')}</span>
          <Input.TextArea
            rows={3}
            maxLength={2000}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            data-testid="supervise-reason"
          />
          <span>{tr(lang, '办理期限（当日 24 时前）', 'Answer by (the end of that day)')}</span>
          <DatePicker
            value={deadline}
            onChange={(d) => setDeadline(d)}
            disabledDate={(d) => d.isBefore(dayjs(), 'day') || d.isAfter(dayjs().add(1, 'year'))}
            data-testid="supervise-deadline"
          />
          <span>{tr(lang, '督办对象', 'To')}</span>
          <Select
            style={{ width: '100%' }}
            value={to}
            onChange={setTo}
            options={toOptions}
            showSearch
            optionFilterProp="label"
            data-testid="supervise-to"
          />
        </Space>
      </Modal>
      <Modal
        open={answering !== undefined}
        title={tr(lang, '反馈督办', 'Answer the supervision order')}
        okText={tr(lang, '提交反馈', 'Submit')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={{ disabled: !answer.trim(), 'data-testid': 'supervision-answer-ok' }}
        onOk={async () => {
          if (!answering) return;
          const done = await act(
            { type: 'case.answerSupervision', supervisionId: answering.id, text: answer },
            tr(lang, '已反馈', 'Answered'),
          );
          if (done) setAnswering(undefined);
        }}
        onCancel={() => setAnswering(undefined)}
      >
        <div style={{ marginBottom: 8 }}>{answering?.reason}</div>
        <Input.TextArea
          rows={4}
          maxLength={2000}
          value={answer}
          onChange={(e) => setAnswer(e.target.value)}
          placeholder={tr(lang, '办理进展与结果', 'What was done')}
          data-testid="supervision-answer-text"
        />
      </Modal>
    </div>
  );
}
