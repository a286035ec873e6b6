import { LockOutlined } from '@ant-design/icons';
import { type LocalizedText, localize } from '@lianxin/spec';
import { Alert, Button, Card, Form, Input, Result, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { AppBackend, Me } from '../../backend';
import { tr, useLang } from '../../i18n';
import { homePath, navigate } from '../../router';
import { errorText } from '../workbench/api';
import './account.css';

/** The rules a new password must meet, as the server states them. */
export function PasswordRules({ backend }: { backend: AppBackend }) {
  const { lang } = useLang();
  const [rules, setRules] = useState<LocalizedText[]>();
  useEffect(() => {
    backend
      .passwordRules()
      .then(setRules)
      .catch(() => setRules([]));
  }, [backend]);
  if (!rules?.length) return null;
  return (
    <ul className="lx-password-rules" data-testid="password-rules">
      {rules.map((r) => (
        <li key={r['zh-CN']}>{localize(r, lang)}</li>
      ))}
    </ul>
  );
}

/** 修改密码: the signed-in user chooses a new password; their other sessions end. */
export function ChangePasswordPage({ backend, me }: { backend: AppBackend; me: Me }) {
  const { lang } = useLang();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const home = homePath(me.memberships.map((m) => m.role));
  return (
    <div className="lx-account">
      <Card className="lx-account-card" data-testid="change-password">
        {done ? (
          <Result
            status="success"
            title={tr(lang, '密码已修改', 'Password changed')}
            subTitle={tr(
              lang,
              '您在其他电脑或手机上的登录已全部退出；本机保持登录。',
              'You are signed out everywhere else; this browser stays signed in.',
            )}
            extra={
              <Button type="primary" onClick={() => navigate(home)} data-testid="password-done">
                {tr(lang, '返回首页', 'Back to home')}
              </Button>
            }
          />
        ) : (
          <>
            <Typography.Title level={3} style={{ marginTop: 0 }}>
              {tr(lang, '修改密码', 'Change password')}
            </Typography.Title>
            <Typography.Paragraph type="secondary">
              {tr(
                lang,
                `账号：${me.username}。修改后，您在其他电脑或手机上的登录将全部退出。`,
                `Account: ${me.username}. Changing it signs you out on every other computer or phone.`,
              )}
            </Typography.Paragraph>
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 20 }}
              message={tr(lang, '新密码要求', 'The new password must meet these rules')}
              description={<PasswordRules backend={backend} />}
            />
            {error && (
              <Alert
                type="error"
                showIcon
                message={error}
                style={{ marginBottom: 16 }}
                data-testid="password-error"
              />
            )}
            <Form
              layout="vertical"
              onFinish={async (v: { current: string; next: string }) => {
                setBusy(true);
                setError(undefined);
                try {
                  await backend.changePassword(v.current, v.next);
                  setDone(true);
                } catch (e) {
                  setError(errorText(e, lang));
                } finally {
                  setBusy(false);
                }
              }}
            >
              <Form.Item
                name="current"
                label={tr(lang, '当前密码', 'Current password')}
                rules={[
                  {
                    required: true,
                    message: tr(lang, '请输入当前密码', 'Enter your current password'),
                  },
                ]}
              >
                <Input.Password
                  prefix={<LockOutlined />}
                  autoComplete="current-password"
                  data-testid="password-current"
                />
              </Form.Item>
              <Form.Item
                name="next"
                label={tr(lang, '新密码', 'New password')}
                rules={[
                  { required: true, message: tr(lang, '请输入新密码', 'Enter a new password') },
                ]}
              >
                <Input.Password
                  prefix={<LockOutlined />}
                  autoComplete="new-password"
                  data-testid="password-new"
                />
              </Form.Item>
              <Form.Item
                name="confirm"
                label={tr(lang, '再次输入新密码', 'New password again')}
                dependencies={['next']}
                rules={[
                  {
                    required: true,
                    message: tr(lang, '请再次输入新密码', 'Enter the new password again'),
                  },
                  ({ getFieldValue }) => ({
                    validator: (_, value) =>
                      !value || value === getFieldValue('next')
                        ? Promise.resolve()
                        : Promise.reject(
                            new Error(
                              tr(lang, '两次输入的新密码不一致', 'The two new passwords differ'),
                            ),
                          ),
                  }),
                ]}
              >
                <Input.Password
                  prefix={<LockOutlined />}
                  autoComplete="new-password"
                  data-testid="password-confirm"
                />
              </Form.Item>
              <Button
                type="primary"
                htmlType="submit"
                loading={busy}
                block
                data-testid="password-submit"
              >
                {tr(lang, '保存新密码', 'Save the new password')}
              </Button>
            </Form>
          </>
        )}
      </Card>
    </div>
  );
}
