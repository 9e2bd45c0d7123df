import { useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Input, Button } from '@tarojs/components';
import { toastError } from '@/api';
import { rememberInviteCode, sendSmsCode, smsLogin, wxLogin } from '@/api/session';
import { inviteCodeFrom } from '@/lib/invite';
import { isValidPhone, isValidSmsCode, loginTarget } from '@/lib/promo-login';
import './index.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

/** The server's wait before another code, from a sms_too_frequent refusal. */
function retryAfter(e: unknown): number | null {
  const d = (e as { code?: string; details?: { retryAfterSeconds?: unknown } } | undefined) ?? {};
  if (d.code !== 'users.sms_too_frequent') return null;
  const s = Number(d.details?.retryAfterSeconds);
  return Number.isFinite(s) && s > 0 ? Math.ceil(s) : 60;
}

/** 登录: H5 phone + SMS code (the sandbox shows the code); the mini-program signs in with WeChat. Then back to `redirect`. */
export default function LoginPage() {
  const { params } = useRouter();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [hint, setHint] = useState<string | null>(null);
  const [resendAt, setResendAt] = useState(0);
  const [left, setLeft] = useState(0);
  const [sending, setSending] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [sent, setSent] = useState(false);
  const busy = useRef(false);

  // An invite link may lead here (?inviteCode=): the sign-in that creates the account carries it.
  useEffect(() => rememberInviteCode(inviteCodeFrom(params)), [params]);

  // The resend countdown, from a deadline (so a throttled timer does not stretch the 60 s).
  useEffect(() => {
    const tick = () => setLeft(Math.max(0, Math.ceil((resendAt - Date.now()) / 1000)));
    tick();
    if (resendAt <= Date.now()) return;
    const t = setInterval(tick, 1000);
    return () => clearInterval(t);
  }, [resendAt]);

  const leave = async () => {
    const to = loginTarget(params.redirect);
    if (to.kind === 'tab') await Taro.switchTab({ url: to.url });
    else await Taro.redirectTo({ url: to.url });
  };

  async function send() {
    if (sending || left > 0) return;
    if (!isValidPhone(phone)) {
      void Taro.showToast({ title: '请输入正确的手机号', icon: 'none' });
      return;
    }
    setSending(true);
    try {
      const r = await sendSmsCode(phone.trim());
      setSent(true);
      setResendAt(Date.now() + (r.retryAfterSeconds || 60) * 1000);
      if (r.sandboxCode) {
        setHint(r.sandboxCode);
        setCode(r.sandboxCode);
      } else setHint(null);
      void Taro.showToast({ title: '验证码已发送', icon: 'none' });
    } catch (e) {
      const wait = retryAfter(e);
      if (wait) setResendAt(Date.now() + wait * 1000);
      toastError(e);
    } finally {
      setSending(false);
    }
  }

  async function submit() {
    if (busy.current || !isValidPhone(phone) || !isValidSmsCode(code)) return;
    busy.current = true;
    setSubmitting(true);
    try {
      await smsLogin(phone.trim(), code.trim());
      void Taro.showToast({ title: '登录成功', icon: 'success', duration: 1200 });
      await leave();
    } catch (e) {
      const c = (e as { code?: string } | undefined)?.code;
      if (c === 'users.sms_code_expired' || c === 'users.sms_code_locked') {
        setCode('');
        setHint(null);
        setResendAt(0);
      }
      toastError(e);
    } finally {
      busy.current = false;
      setSubmitting(false);
    }
  }

  async function wechat() {
    if (busy.current) return;
    busy.current = true;
    setSubmitting(true);
    try {
      await wxLogin();
      await leave();
    } catch (e) {
      toastError(e);
    } finally {
      busy.current = false;
      setSubmitting(false);
    }
  }

  const ready = isValidPhone(phone) && isValidSmsCode(code);

  return (
    <View className="login">
      <View className="login__brand">
        <Text className="login__logo">edgemall</Text>
        <Text className="login__slogan">好物好价 · 放心购</Text>
      </View>

      {IS_WEAPP ? (
        <View className="login__form">
          <Button
            className="login__submit login__submit--wechat"
            data-testid="login-wechat"
            loading={submitting}
            disabled={submitting || undefined}
            onClick={() => void wechat()}
          >
            微信一键登录
          </Button>
          <Text className="login__tip">使用微信账号快捷登录，新用户自动注册</Text>
        </View>
      ) : (
        <View className="login__form">
          <Text className="login__title">手机号登录</Text>
          <Text className="login__sub">未注册的手机号验证后将自动创建账号</Text>
          <View className="login__field">
            <Text className="login__prefix">+86</Text>
            <Input
              className="login__input"
              data-testid="login-phone"
              type="number"
              maxlength={11}
              placeholder="请输入手机号"
              value={phone}
              onInput={(e) => setPhone(e.detail.value)}
            />
          </View>
          <View className="login__field">
            <Input
              className="login__input"
              data-testid="login-code"
              type="number"
              maxlength={6}
              placeholder="请输入6位验证码"
              value={code}
              onInput={(e) => setCode(e.detail.value)}
              onConfirm={() => void submit()}
            />
            <Button
              className={`login__send${left > 0 || sending || !isValidPhone(phone) ? ' login__send--off' : ''}`}
              data-testid="login-send-code"
              disabled={left > 0 || sending || undefined}
              onClick={() => void send()}
            >
              {sending ? '发送中…' : left > 0 ? `${left}s后重新获取` : sent ? '重新获取' : '获取验证码'}
            </Button>
          </View>
          {hint && (
            <Text className="login__hint" data-testid="login-sandbox-hint">
              测试环境验证码：{hint}
            </Text>
          )}
          <Button
            className={`login__submit${ready ? '' : ' login__submit--off'}`}
            data-testid="login-submit"
            disabled={!ready || submitting || undefined}
            loading={submitting}
            onClick={() => void submit()}
          >
            登录
          </Button>
        </View>
      )}
    </View>
  );
}
