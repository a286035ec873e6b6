import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Collapse, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import type { AppBackend, Me } from '../backend';
import { tr, useLang } from '../i18n';
import { PasswordRules } from './account/ChangePasswordPage';

/** 登录: the county admin signs in with the account the province issued. */
export function Login({ backend, onLogin }: { backend: AppBackend; onLogin: (me: Me) => void }) {
  const { lang } = useLang();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <div className="lx-login">
      <div className="lx-login-side">
        <div className="lx-brand-big">连心</div>
        <div className="lx-login-tagline">
          {tr(
            lang,
            '信访与矛盾纠纷化解 · 流程与表单设计平台',
            'Petition and dispute resolution · flow and form designer',
          )}
        </div>
        <ul className="lx-login-points">
          <li>
            {tr(
              lang,
              '画流程：登记、受理、交办、答复、回访',
              'Draw flows: register, accept, assign, reply, follow up',
            )}
          </li>
          <li>
            {tr(
              lang,
              '建表单：身份证、手机号、省市县地址、附件、签名',
              'Build forms: ID card, mobile, address, attachments, signature',
            )}
          </li>
          <li>
            {tr(
              lang,
              '设时限：法定期限、工作日、四色预警',
              'Set deadlines: statutory limits, working days, four colours',
            )}
          </li>
        </ul>
      </div>
      <Card className="lx-login-card" data-testid="login">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {tr(lang, '登录', 'Sign in')}
        </Typography.Title>
        {error && (
          <Alert
            type="error"
            showIcon
            message={error}
            style={{ marginBottom: 16 }}
            data-testid="login-error"
          />
        )}
        <Form
          layout="vertical"
          size="large"
          onFinish={async (v: { username: string; password: string }) => {
            setBusy(true);
            setError(undefined);
            try {
              onLogin(await backend.login(v.username, v.password));
            } catch (e) {
              setError((e as Error).message || tr(lang, '登录失败', 'Sign-in failed'));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item
            name="username"
            label={tr(lang, '用户名', 'User name')}
            rules={[{ required: true, message: tr(lang, '请输入用户名', 'Enter your user name') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" data-testid="login-username" />
          </Form.Item>
          <Form.Item
            name="password"
            label={tr(lang, '密码', 'Password')}
            rules={[{ required: true, message: tr(lang, '请输入密码', 'Enter your password') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {tr(lang, '登录', 'Sign in')}
          </Button>
        </Form>
        <div className="lx-login-help">
          <Typography.Text type="secondary">
            {tr(
              lang,
              '忘记密码或多次输错被暂时锁定时，请联系本单位管理员重置密码。登录后可在右上角用户菜单中修改密码。',
              'Forgot your password, or locked out for a while after wrong tries? Ask your office admin to reset it. Once signed in, change it from the user menu at the top right.',
            )}
          </Typography.Text>
          <Collapse
            ghost
            size="small"
            items={[
              {
                key: 'rules',
                label: tr(lang, '密码要求', 'Password rules'),
                children: <PasswordRules backend={backend} />,
              },
            ]}
          />
        </div>
      </Card>
    </div>
  );
}
