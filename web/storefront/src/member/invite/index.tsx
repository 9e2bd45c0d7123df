import { useEffect, useState } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { View, Text, Button, Input, Image } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, toastError } from '@/api';
import { deviceId, ensureLogin, isLoggedIn, onSessionChange, rememberInviteCode } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { PageState } from '@/components/page-state';
import { formatFen, formatTime } from '@/lib/format';
import { FRIEND_STATUS_TEXT, inviteCodeFrom, inviteLink, normaliseInviteCode } from '@/lib/invite';
import './index.css';

type Referral = OperationResult<'getReferral'>;
const IS_WEAPP = process.env.TARO_ENV === 'weapp';
const origin = () => (process.env.TARO_ENV === 'h5' ? ((globalThis as { location?: { origin?: string } }).location?.origin ?? '') : '');

/** 邀请有礼: an invite link's landing (whose invite, what a new shopper gets), then my code, share card / poster, friends, rewards and rules. */
export default function InvitePage() {
  const { params } = useRouter();
  const linkCode = inviteCodeFrom(params);
  const [loggedIn, setLoggedIn] = useState(isLoggedIn());
  useEffect(() => onSessionChange(() => setLoggedIn(isLoggedIn())), []);
  // The sign-in that creates the account carries the code (H5 login page, or the mini-program's silent login).
  useEffect(() => rememberInviteCode(linkCode), [linkCode]);

  const preview = useApi(() => api.call('getInvitePreview', { path: { code: linkCode! } }), [linkCode], { enabled: !!linkCode });
  const mine = useApi(() => api.call('getReferral'), [loggedIn], { refreshOnShow: true, enabled: loggedIn });
  const r = mine.data;
  const [posterOpen, setPosterOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [binding, setBinding] = useState(false);

  useShareAppMessage(() => ({
    title: r?.share.title ?? '邀请你一起来逛',
    path: r?.share.path ?? '/member/invite/index',
    imageUrl: r?.share.imageUrl ?? undefined,
  }));

  async function bind(code: string | null) {
    if (!code) {
      void Taro.showToast({ title: '请输入8位邀请码', icon: 'none' });
      return;
    }
    setBinding(true);
    try {
      const res = await api.call('bindReferral', { body: { inviteCode: code, deviceId: deviceId() } });
      void Taro.showToast({ title: `已接受${res.inviter}的邀请`, icon: 'none' });
      await mine.reload();
    } catch (e) {
      toastError(e);
    } finally {
      setBinding(false);
    }
  }

  const copy = (data: string, done: string) =>
    Taro.setClipboardData({ data })
      .then(() => Taro.showToast({ title: done, icon: 'none' }))
      .catch(() => toastError({ code: 'clipboard' }));

  // A link opened by someone who is not its owner: the landing card first.
  const foreign = !!linkCode && (!r || r.code !== linkCode);
  const landing = foreign && preview.data && (
    <View className="invite__landing" data-testid="invite-landing">
      <Text className="invite__landing-who">{preview.data.inviter} 邀请你来逛</Text>
      <Text className="invite__landing-gift">新人首单得 {preview.data.inviteeReward.label}</Text>
      {!preview.data.enabled ? (
        <Text className="invite__muted">邀请活动暂未开启</Text>
      ) : !loggedIn ? (
        <Button className="invite__btn" data-testid="invite-accept-login" onClick={() => void ensureLogin().catch(toastError)}>
          注册/登录 接受邀请
        </Button>
      ) : r?.invitedBy ? (
        <Text className="invite__muted" data-testid="invite-bound">
          你已接受{r.invitedBy.nickname}的邀请
        </Text>
      ) : r?.canBind ? (
        <Button className="invite__btn" data-testid="invite-accept" loading={binding} onClick={() => void bind(linkCode)}>
          接受邀请
        </Button>
      ) : r ? (
        <Text className="invite__muted">仅新用户注册时可接受邀请，你已是老朋友啦</Text>
      ) : null}
    </View>
  );

  if (!loggedIn)
    return (
      <View className="invite">
        {landing || (
          <View className="invite__landing">
            <Text className="invite__landing-who">邀请好友，一起得奖励</Text>
            <Button className="invite__btn" data-testid="invite-login" onClick={() => void ensureLogin().catch(toastError)}>
              登录查看我的邀请
            </Button>
          </View>
        )}
        {preview.error ? <PageState error={preview.error} /> : null}
      </View>
    );
  if (!r) return <PageState loading={mine.loading} error={mine.error} onRetry={() => void mine.reload()} />;

  return (
    <View className="invite">
      {landing}
      <View className="invite__hero">
        <Text className="invite__hero-title">邀请好友 得{r.inviterReward.label}</Text>
        <Text className="invite__hero-sub">好友首单得{r.inviteeReward.label}</Text>
        {!r.enabled && <Text className="invite__hero-off">活动暂未开启，已邀请的好友仍会记录</Text>}
        <View className="invite__code-row">
          <Text className="invite__code-label">我的邀请码</Text>
          <Text className="invite__code" data-testid="invite-code">
            {r.code}
          </Text>
          <Text className="invite__copy" onClick={() => void copy(r.code, '邀请码已复制')}>
            复制
          </Text>
        </View>
        {IS_WEAPP ? (
          <Button className="invite__btn invite__btn--light" openType="share" data-testid="invite-share">
            分享给好友
          </Button>
        ) : (
          <Button className="invite__btn invite__btn--light" data-testid="invite-share" onClick={() => setPosterOpen(true)}>
            分享给好友
          </Button>
        )}
      </View>

      <View className="invite__stats" data-testid="invite-totals">
        <View className="invite__stat">
          <Text className="invite__stat-num" data-testid="invite-total-invited">
            {r.totals.invited}
          </Text>
          <Text className="invite__stat-label">已邀请</Text>
        </View>
        <View className="invite__stat">
          <Text className="invite__stat-num" data-testid="invite-total-rewarded">
            {r.totals.rewarded}
          </Text>
          <Text className="invite__stat-label">已奖励</Text>
        </View>
        <View className="invite__stat">
          <Text className="invite__stat-num" data-testid="invite-total-points">
            {r.totals.points}
          </Text>
          <Text className="invite__stat-label">获得积分</Text>
        </View>
        <View className="invite__stat">
          <Text className="invite__stat-num">{formatFen(r.totals.cash)}</Text>
          <Text className="invite__stat-label">获得返现</Text>
        </View>
      </View>

      {r.canBind && !foreign && (
        <View className="invite__card">
          <Text className="invite__card-title">填写好友邀请码</Text>
          <View className="invite__bind">
            <Input
              className="invite__input"
              data-testid="invite-bind-input"
              maxlength={8}
              placeholder="8位邀请码"
              value={typed}
              onInput={(e) => setTyped(e.detail.value)}
            />
            <Button
              className="invite__bind-btn"
              data-testid="invite-bind"
              loading={binding}
              onClick={() => void bind(normaliseInviteCode(typed))}
            >
              确定
            </Button>
          </View>
          <Text className="invite__muted">注册24小时内、下单前可填写，填写后不可更改</Text>
        </View>
      )}
      {r.invitedBy && !foreign && <Text className="invite__by">你已接受 {r.invitedBy.nickname} 的邀请</Text>}

      <View className="invite__card">
        <Text className="invite__card-title">我邀请的好友</Text>
        {r.friends.length === 0 ? (
          <Text className="invite__muted">还没有好友接受邀请，快去分享吧</Text>
        ) : (
          r.friends.map((f) => (
            <View key={f.id} className="invite__friend" data-testid="invite-friend">
              <View className="invite__friend-who">
                <Text className="invite__friend-name">{f.nickname}</Text>
                <Text className="invite__friend-time">{formatTime(f.boundAt)} 注册</Text>
              </View>
              <View className="invite__friend-state">
                <Text className={`invite__tag invite__tag--${f.status}`} data-testid="invite-friend-status">
                  {FRIEND_STATUS_TEXT[f.status]}
                </Text>
                {f.reasonText && <Text className="invite__friend-reason">{f.reasonText}</Text>}
              </View>
            </View>
          ))
        )}
      </View>

      <View className="invite__card">
        <Text className="invite__card-title">我的奖励</Text>
        {r.rewards.length === 0 ? (
          <Text className="invite__muted">好友首单确认收货且售后期结束后发放</Text>
        ) : (
          r.rewards.map((g) => (
            <View key={g.id} className="invite__reward" data-testid="invite-reward">
              <View className="invite__friend-who">
                <Text className="invite__reward-label">{g.label}</Text>
                <Text className="invite__friend-time">
                  {formatTime(g.createdAt)}
                  {g.friend ? ` · 来自${g.friend}` : ''}
                </Text>
              </View>
              {g.clawedBack + g.shortfall > 0 && <Text className="invite__friend-reason">已收回</Text>}
            </View>
          ))
        )}
        {r.rewards.some((g) => g.kind === 'cash') && <Text className="invite__link">返现已存入余额，下单时可抵扣</Text>}
      </View>

      <View className="invite__card">
        <Text className="invite__card-title">活动规则</Text>
        {r.rules.map((l, i) => (
          <Text key={i} className="invite__rule">
            {i + 1}. {l}
          </Text>
        ))}
      </View>

      {posterOpen && !IS_WEAPP && (
        <View className="invite__mask" onClick={() => setPosterOpen(false)}>
          <View className="invite__poster" data-testid="invite-poster" onClick={(e) => e.stopPropagation()}>
            {r.share.imageUrl ? (
              <Image className="invite__poster-img" src={r.share.imageUrl} mode="aspectFill" />
            ) : (
              <View className="invite__poster-art">邀</View>
            )}
            <Text className="invite__poster-title">{r.share.title}</Text>
            <Text className="invite__poster-code">邀请码 {r.code}</Text>
            <Text className="invite__poster-link" data-testid="invite-link">
              {inviteLink(origin(), r.share.h5Path)}
            </Text>
            <Button
              className="invite__btn"
              data-testid="invite-copy-link"
              onClick={() => void copy(`${r.share.title} ${inviteLink(origin(), r.share.h5Path)}`, '链接已复制')}
            >
              复制链接
            </Button>
            <Text className="invite__muted">长按截图保存海报，或复制链接发给微信好友</Text>
            <Text className="invite__poster-close" onClick={() => setPosterOpen(false)}>
              关闭
            </Text>
          </View>
        </View>
      )}
    </View>
  );
}
