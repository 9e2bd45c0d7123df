import { useState } from 'react';
import { Alert, Button, Card, Form, Input } from 'antd';
import { Link, Navigate, useLocation, useNavigate } from 'react-router-dom';
import { useAuth } from '../auth';
import { useI18n } from '../i18n';
import { errText } from '../ui';

export default function LoginPage() {
  const { login, me } = useAuth();
  const { t, tr, lang, setLang } = useI18n();
  const navigate = useNavigate();
  const loc = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const from = (loc.state as { from?: string } | null)?.from;
  if (me) return <Navigate to={from && from !== '/login' ? from : '/dashboard'} replace />;

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f2f5' }}>
      <Card
        title={t('app.title')}
        style={{ width: 380 }}
        extra={
          <Button size="small" type="link" data-testid="lang-switch" onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {lang === 'zh' ? 'English' : '中文'}
          </Button>
        }
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Form
          layout="vertical"
          onFinish={async (v: { email: string; password: string }) => {
            setBusy(true);
            setError(null);
            try {
              await login(v.email.trim(), v.password);
              navigate(from && from !== '/login' ? from : '/dashboard', { replace: true });
            } catch (e) {
              setError(errText(e));
            } finally {
              setBusy(false);
            }
          }}
        >
          <Form.Item name="email" label={tr('邮箱', 'Email')} rules={[{ required: true }]}>
            <Input data-testid="login-email" autoComplete="username" />
          </Form.Item>
          <Form.Item name="password" label={tr('密码', 'Password')} rules={[{ required: true }]}>
            <Input.Password data-testid="login-password" autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
            {tr('登录', 'Sign in')}
          </Button>
        </Form>
        <div style={{ marginTop: 16, textAlign: 'center' }}>
          <Link to="/apply" data-testid="apply-link">
            {tr('商家入驻申请', 'Apply to sell on edgemall')}
          </Link>
        </div>
      </Card>
    </div>
  );
}
