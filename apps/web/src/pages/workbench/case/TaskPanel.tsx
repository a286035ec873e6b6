import { LianxinForm } from '@lianxin/forms';
import type { FlowDefinition, FormDefinition, Lang } from '@lianxin/spec';
import { Button, Input, InputNumber, Modal, Select, Space, Tag, Typography } from 'antd';
import { useRef, useState } from 'react';
import { tr } from '../../../i18n';
import { ProvisionalTag, type provisionalFlag } from '../../calendar/ProvisionalTag';
import { pick } from '../api';
import { DueTag } from '../common';
import { type CaseUsers, departmentName, nodeName, userLabel } from './timeline';
import type { Act, OpenTask, TaskActions } from './types';

/** One open step: its deadline, who holds it, its form and buttons, 拒签 and 退回 with a reason. */
export function TaskPanel({
  task,
  actions,
  forms,
  definition,
  lang,
  meId,
  users,
  act,
  provisional,
  paused = false,
}: {
  /** The task's `calendar.provisional` flag: its deadline was counted on a provisional year. */
  provisional?: ReturnType<typeof provisionalFlag>;
  /** The statutory clock the task's deadline follows stands still: its days do not run. */
  paused?: boolean;
  task: OpenTask;
  actions: TaskActions | undefined;
  forms: FormDefinition[];
  definition: FlowDefinition | undefined;
  lang: Lang;
  meId: string;
  users: CaseUsers;
  act: Act;
}) {
  const chosen = useRef<string>('');
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<'refuse' | 'return' | 'extend' | null>(null);
  const [days, setDays] = useState(1);
  const [reason, setReason] = useState('');
  const [returnTo, setReturnTo] = useState<string>();
  const [edgeForm, setEdgeForm] = useState<{
    action: string;
    form: FormDefinition;
    data: Record<string, unknown>;
  } | null>(null);
  const form = forms.find((f) => f.id === task.form);
  // The step's own extension limit (`extension.max`, in days; P15D when the flow says none).
  const node = definition?.nodes.find((n) => n.id === task.node);
  const maxDays = Number(
    /^P(\d+)D$/.exec((node && 'extension' in node && node.extension?.max) || 'P15D')?.[1] ?? 15,
  );
  const ui = form?.uiSchema;
  const cmds = new Set(actions?.commands ?? []);
  const buttons = actions?.actions ?? [];
  const complete = async (action: string, data: Record<string, unknown>) => {
    setBusy(true);
    await act(
      { type: 'task.complete', taskId: task.id, action, data },
      tr(lang, '已提交', 'Submitted'),
    );
    setBusy(false);
  };
  const press = (action: string, data: Record<string, unknown>) => {
    const spec = buttons.find((b) => b.action === action);
    const edge = spec?.form ? forms.find((f) => f.id === spec.form) : undefined;
    if (edge) setEdgeForm({ action, form: edge, data });
    else void complete(action, data);
  };
  const buttonRow = (submit: boolean) => (
    <Space wrap>
      {buttons.map((b) => (
        <Button
          key={b.action}
          type={b.style === 'primary' || buttons.length === 1 ? 'primary' : 'default'}
          danger={b.style === 'danger'}
          htmlType={submit ? 'submit' : 'button'}
          loading={busy}
          data-testid={`action-${b.action}`}
          onClick={() => {
            chosen.current = b.action;
            if (!submit) press(b.action, {});
          }}
        >
          {pick(b.label, lang) || b.action}
        </Button>
      ))}
      {cmds.has('task.refuse') && (
        <Button danger onClick={() => setDialog('refuse')} data-testid="refuse">
          {tr(lang, '拒签', 'Refuse')}
        </Button>
      )}
      {cmds.has('task.requestExtension') && (
        <Button onClick={() => setDialog('extend')} data-testid="request-task-extension">
          {tr(lang, '申请延期', 'Ask for more time')}
        </Button>
      )}
      {cmds.has('task.return') && (
        <Button onClick={() => setDialog('return')} data-testid="return">
          {tr(lang, '退回', 'Return')}
        </Button>
      )}
    </Space>
  );
  return (
    <div
      className="wb-task"
      data-testid={`task-${task.node}`}
      data-mine={buttons.length > 0}
      style={{ marginBottom: 16 }}
    >
      <Space wrap style={{ marginBottom: 8 }}>
        <Typography.Text strong>{pick(task.name, lang)}</Typography.Text>
        {task.item && (
          <Tag color="geekblue">{departmentName(task.item.value, definition, lang)}</Tag>
        )}
        <DueTag due={task.due} state={task.dueState} paused={paused} lang={lang} />
        {provisional && <ProvisionalTag lang={lang} flag={provisional} />}
        {task.assignee ? (
          <Tag data-testid="task-assignee">
            {task.assignee === meId
              ? tr(lang, '我已签收', 'Claimed by me')
              : tr(
                  lang,
                  `${userLabel(task.assignee, users, definition, lang)} 已签收`,
                  `Claimed by ${userLabel(task.assignee, users, definition, lang)}`,
                )}
          </Tag>
        ) : (
          <Tag>{tr(lang, '待签收', 'Unclaimed')}</Tag>
        )}
        {cmds.has('task.claim') && (
          <Button
            size="small"
            type="primary"
            ghost
            onClick={() =>
              void act({ type: 'task.claim', taskId: task.id }, tr(lang, '已签收', 'Claimed'))
            }
            data-testid="claim-task"
          >
            {tr(lang, '签收', 'Claim')}
          </Button>
        )}
      </Space>
      {actions?.waitingFor ? (
        <Typography.Paragraph type="secondary" data-testid="lead-waiting">
          {tr(
            lang,
            `主办部门在协办部门全部反馈后提交合并答复（还有 ${actions.waitingFor} 项未完成）。`,
            `The lead writes the merged reply once every assisting department has replied (${actions.waitingFor} still open).`,
          )}
        </Typography.Paragraph>
      ) : !actions || buttons.length === 0 ? (
        <Typography.Paragraph type="secondary">
          {tr(lang, '由其他人员办理。', 'Handled by someone else.')}
        </Typography.Paragraph>
      ) : form ? (
        <LianxinForm
          key={`${task.id}-${lang}`}
          // What was entered before (a step done again, a re-dispatch) fills the form.
          {...(actions.prefill ? { formData: actions.prefill } : {})}
          schema={form.schema}
          uiSchema={ui}
          lang={lang}
          onSubmit={(data) => press(chosen.current || (buttons[0]?.action ?? ''), data)}
        >
          {buttonRow(true)}
        </LianxinForm>
      ) : (
        buttonRow(false)
      )}
      <Modal
        open={dialog !== null}
        title={
          dialog === 'refuse'
            ? tr(lang, '拒签', 'Refuse the task')
            : dialog === 'extend'
              ? tr(lang, '申请延长本环节期限', 'Ask for more time on this step')
              : tr(lang, '退回', 'Return the task')
        }
        okText={tr(lang, '确定', 'OK')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={
          {
            disabled: reason.trim().length < 2 || (dialog === 'return' && !returnTo),
            'data-testid': 'dialog-ok',
          } as never
        }
        onCancel={() => setDialog(null)}
        onOk={async () => {
          const ok =
            dialog === 'refuse'
              ? await act(
                  { type: 'task.refuse', taskId: task.id, reason },
                  tr(lang, '已拒签', 'Refused'),
                )
              : dialog === 'extend'
                ? await act(
                    {
                      type: 'task.requestExtension',
                      taskId: task.id,
                      duration: `P${days}D`,
                      reason,
                    },
                    tr(lang, '已提交延期申请，待领导批准', 'Extension requested; a leader decides'),
                  )
                : await act(
                    { type: 'task.return', taskId: task.id, to: returnTo ?? '', reason },
                    tr(lang, '已退回', 'Returned'),
                  );
          if (ok) {
            setDialog(null);
            setReason('');
          }
        }}
      >
        {dialog === 'extend' && (
          <Space style={{ marginBottom: 8 }}>
            {tr(lang, '延长', 'Extend by')}
            <InputNumber
              min={1}
              max={maxDays}
              value={days}
              onChange={(v) => setDays(Number(v ?? 1))}
              data-testid="extension-days"
            />
            {tr(lang, `天（最多 ${maxDays} 天）`, `days (at most ${maxDays})`)}
          </Space>
        )}
        {dialog === 'return' && (
          <Select
            style={{ width: '100%', marginBottom: 8 }}
            data-testid="return-to"
            placeholder={tr(lang, '退回到哪一步', 'Return to which step')}
            value={returnTo}
            onChange={setReturnTo}
            options={(actions?.returnTo ?? []).map((id) => ({
              value: id,
              label: nodeName(definition, id, lang),
            }))}
          />
        )}
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={tr(lang, '请填写理由（必填）', 'Reason (required)')}
          data-testid="dialog-reason"
        />
      </Modal>
      <Modal
        open={edgeForm !== null}
        title={edgeForm ? pick(edgeForm.form.title, lang) : ''}
        footer={null}
        onCancel={() => setEdgeForm(null)}
        destroyOnHidden
      >
        {edgeForm && (
          <LianxinForm
            schema={edgeForm.form.schema}
            uiSchema={edgeForm.form.uiSchema}
            lang={lang}
            onSubmit={(d) => {
              const e = edgeForm;
              setEdgeForm(null);
              void complete(e.action, { ...e.data, ...d });
            }}
          />
        )}
      </Modal>
    </div>
  );
}
