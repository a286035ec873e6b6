import { EyeOutlined } from '@ant-design/icons';
import { App, Button, Input, Modal, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { tr, useLang } from '../../i18n';
import { api, type CaseView, errorText } from './api';
import { fmt } from './common';

/**
 * 查看联系方式: a masked petitioner's contact details, for someone who must
 * meet or phone them, after giving a reason (recorded in the audit log). The
 * server decides who may and shows the details for 8 hours.
 */
export function RevealContact({
  caseId,
  privacy,
  onRevealed,
}: {
  caseId: string;
  privacy: CaseView['privacy'];
  onRevealed: () => Promise<void> | void;
}) {
  const { lang } = useLang();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  if (privacy.revealedUntil)
    return (
      <Tag color="gold" data-testid="reveal-until">
        {tr(
          lang,
          `联系方式可查看至 ${fmt(privacy.revealedUntil)}`,
          `Shown until ${fmt(privacy.revealedUntil)}`,
        )}
      </Tag>
    );
  if (!privacy.masked || !privacy.mayReveal) return null;
  const enough = reason.trim().length >= 2;
  const submit = async () => {
    setBusy(true);
    try {
      await api().cases.reveal.mutate({ caseId, reason: reason.trim() });
      message.success(tr(lang, '已记录查看理由', 'Reason recorded'));
      setOpen(false);
      setReason('');
      setError(undefined);
      await onRevealed();
    } catch (e) {
      setError(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        size="small"
        icon={<EyeOutlined />}
        data-testid="reveal-contact"
        onClick={() => setOpen(true)}
      >
        {tr(lang, '查看联系方式', 'Show contact details')}
      </Button>
      <Modal
        open={open}
        title={tr(lang, '查看信访人联系方式', "See the petitioner's contact details")}
        okText={tr(lang, '查看', 'Show')}
        cancelText={tr(lang, '取消', 'Cancel')}
        okButtonProps={{ disabled: !enough, loading: busy, id: 'reveal-confirm' }}
        onOk={() => void submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Space direction="vertical" style={{ width: '100%' }}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {tr(
              lang,
              '信访人的姓名、电话和住址属于个人信息，仅在需要见面或通话时查看。查看理由将记入审计日志，8 小时内本事项对您显示原文。',
              "The petitioner's name, phone and address are personal information, to be seen only to meet or phone them. Your reason goes into the audit log; for 8 hours this case shows you the details.",
            )}
          </Typography.Paragraph>
          <Input.TextArea
            data-testid="reveal-reason"
            rows={3}
            maxLength={200}
            showCount
            value={reason}
            placeholder={tr(
              lang,
              '例如：约谈前电话联系信访人',
              'e.g. phoning the petitioner before the meeting',
            )}
            onChange={(e) => setReason(e.target.value)}
          />
          {!enough && reason.length > 0 && (
            <Typography.Text type="danger">
              {tr(lang, '理由至少 2 个字', 'At least 2 characters')}
            </Typography.Text>
          )}
          {error && (
            <Typography.Text type="danger" data-testid="reveal-error">
              {error}
            </Typography.Text>
          )}
        </Space>
      </Modal>
    </>
  );
}
