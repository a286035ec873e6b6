import type { Lang } from '@lianxin/spec';
import { Alert, Button, Card, Input, Modal, Select, Space } from 'antd';
import { useState } from 'react';
import { tr } from '../../../i18n';
import { pick } from '../api';
import { fmt } from '../common';
import { durationText, userLabel } from './timeline';
import type { Act, CaseCardProps } from './types';

/** Deadline extension: request (workers, supervisors), approve or refuse with a reason (leaders, admins). */
export function ExtensionCard({
  view,
  definition,
  lang,
  act,
}: CaseCardProps & { lang: Lang; act: Act }) {
  const cmds = new Set(view.actions.case);
  const [open, setOpen] = useState(false);
  const [clockId, setClockId] = useState<string>();
  const [days, setDays] = useState(30);
  const [reason, setReason] = useState('');
  const [refusing, setRefusing] = useState<string | null>(null);
  const [refusal, setRefusal] = useState('');
  // A request for a task's own deadline names the task; a joint handling share's request is
  // shown on the 合力办 card, by its share.
  const taskOf = (id: string | undefined) => view.state.tasks.find((t) => t.id === id);
  const requests = Object.values(view.state.extensionRequests).filter(
    (r) => !r.taskId || !taskOf(r.taskId)?.share,
  );
  const extendable = (definition?.clocks ?? []).filter(
    (c) =>
      c.extension &&
      view.state.clocks[c.id] &&
      view.state.clocks[c.id]?.status !== 'stopped' &&
      (view.state.clocks[c.id]?.extensionsUsed ?? 0) < (c.extension.times ?? 1),
  );
  const canRequest =
    cmds.has('deadline.requestExtension') && extendable.length > 0 && requests.length === 0;
  if (!canRequest && requests.length === 0) return null;
  const clockLabel = (id: string) => pick(view.state.clocks[id]?.name, lang) || id;
  const subject = (r: (typeof requests)[number]) => {
    const task = taskOf(r.taskId);
    return task ? pick(task.name, lang) : clockLabel(r.clockId);
  };
  const dueOf = (r: (typeof requests)[number]) =>
    r.taskId ? taskOf(r.taskId)?.due : view.state.clocks[r.clockId]?.due;
  return (
    <Card size="small" title={tr(lang, '延期', 'Deadline extension')} style={{ marginBottom: 12 }}>
      {requests.map((r) => (
        <Alert
          key={r.id}
          type="warning"
          style={{ marginBottom: 8 }}
          data-testid="extension-request"
          message={tr(
            lang,
            `延期申请：${subject(r)} 延长 ${durationText(r.duration, lang)}`,
            `Extension request: ${subject(r)} by ${durationText(r.duration, lang)}`,
          )}
          description={
            <>
              <div>{tr(lang, `理由：${r.reason}`, `Reason: ${r.reason}`)}</div>
              <div className="wb-muted">
                {fmt(r.requestedAt)} · {userLabel(r.requestedBy, view.users, definition, lang)}
                {' · '}
                {tr(lang, `当前期限 ${fmt(dueOf(r))}`, `now due ${fmt(dueOf(r))}`)}
              </div>
            </>
          }
          action={
            cmds.has('deadline.approveExtension') && (
              <Space direction="vertical">
                <Button
                  size="small"
                  type="primary"
                  onClick={() =>
                    void act(
                      { type: 'deadline.approveExtension', requestId: r.id },
                      tr(lang, '已批准延期', 'Extension approved'),
                    )
                  }
                  data-testid="approve-extension"
                >
                  {tr(lang, '批准', 'Approve')}
                </Button>
                <Button
                  size="small"
                  danger
                  onClick={() => setRefusing(r.id)}
                  data-testid="refuse-extension"
                >
                  {tr(lang, '不批准', 'Refuse')}
                </Button>
              </Space>
            )
          }
        />
      ))}
      {canRequest && (
        <Button onClick={() => setOpen(true)} data-testid="request-extension">
          {tr(lang, '申请延期', 'Request an extension')}
        </Button>
      )}
      <Modal
        open={open}
        title={tr(lang, '申请延期', 'Request an extension')}
        onCancel={() => setOpen(false)}
        okText={tr(lang, '提交申请', 'Request')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={
          {
            disabled: !clockId || reason.trim().length < 2,
            'data-testid': 'extension-ok',
          } as never
        }
        onOk={async () => {
          if (
            await act(
              {
                type: 'deadline.requestExtension',
                clockId: clockId ?? '',
                duration: `P${days}D`,
                reason,
              },
              tr(lang, '已提交延期申请', 'Extension requested'),
            )
          ) {
            setOpen(false);
            setReason('');
          }
        }}
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Select
            style={{ width: '100%' }}
            placeholder={tr(lang, '哪个时限', 'Which deadline')}
            value={clockId}
            onChange={setClockId}
            data-testid="extension-clock"
            options={extendable.map((c) => ({
              value: c.id,
              label: tr(
                lang,
                `${pick(c.name, lang)}（现至 ${fmt(view.state.clocks[c.id]?.due)}，最多延长 ${durationText(c.extension?.max ?? 'P30D', lang)}）`,
                `${pick(c.name, lang)} (due ${fmt(view.state.clocks[c.id]?.due)}, at most ${durationText(c.extension?.max ?? 'P30D', lang)} more)`,
              ),
            }))}
          />
          <Select
            style={{ width: '100%' }}
            value={days}
            onChange={setDays}
            options={[7, 15, 30].map((d) => ({
              value: d,
              label: tr(lang, `延长 ${d} 天`, `${d} more days`),
            }))}
          />
          <Input.TextArea
            rows={3}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            placeholder={tr(lang, '延期理由（必填）', 'Reason (required)')}
            data-testid="extension-reason"
          />
        </Space>
      </Modal>
      <Modal
        open={refusing !== null}
        title={tr(lang, '不批准延期', 'Refuse the extension')}
        onCancel={() => setRefusing(null)}
        okText={tr(lang, '确定', 'OK')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={
          { disabled: refusal.trim().length < 2, 'data-testid': 'refuse-extension-ok' } as never
        }
        onOk={async () => {
          if (
            await act(
              { type: 'deadline.refuseExtension', requestId: refusing ?? '', reason: refusal },
              tr(lang, '已驳回延期申请', 'Extension refused'),
            )
          ) {
            setRefusing(null);
            setRefusal('');
          }
        }}
      >
        <Input.TextArea
          rows={3}
          value={refusal}
          onChange={(e) => setRefusal(e.target.value)}
          placeholder={tr(lang, '不批准的理由（必填）', 'Reason (required)')}
        />
      </Modal>
    </Card>
  );
}
