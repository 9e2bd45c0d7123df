import { useEffect, useRef, useState } from 'react';
import Taro, { useRouter, useShareAppMessage } from '@tarojs/taro';
import { View, Text, Image, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { usePolling } from '@/hooks/use-polling';
import { go } from '@/lib/nav';
import { PageState } from '@/components/page-state';
import { Price } from '@/components/price';
import { Countdown } from '@/components/countdown';
import { TeamMembers, TeamProgress } from '@/components/team-progress';
import { withClock, quickOrderAddressId } from '@/components/promo-flow';
import { serverNow } from '@/lib/countdown';
import { AttemptKeys } from '@/lib/promo-keys';
import { keepsKey, promoOutcome } from '@/lib/error-text';
import { joinBlock, JOIN_BLOCK_TEXT, teamPagePath, TEAM_STATUS_TEXT, type GroupTeam } from '@/lib/promo-group';
import './index.css';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';

/** The team page as a link to paste in a chat (H5: this site's address; the mini-program shares a card instead). */
function teamLink(teamId: string): string {
  const origin = process.env.TARO_ENV === 'h5' ? ((globalThis as { location?: { origin?: string } }).location?.origin ?? '') : '';
  return `${origin}${teamPagePath(teamId)}`;
}

/** 拼团详情 (?id=): progress, members, the countdown to expiry, 参与拼团 → pay, and sharing the team. */
export default function TeamPage() {
  const { params } = useRouter();
  const teamId = params.id ?? '';
  const team = useApi(() => withClock(() => api.call('getGroupBuyTeam', { path: { teamId } })), [teamId], {
    refreshOnShow: true,
    enabled: !!teamId,
  });
  const t = team.data;
  const offset = t?.offset ?? 0;
  const [, setBeat] = useState(0);
  const now = serverNow(offset);

  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);
  const keys = useRef(new AttemptKeys('gbj'));
  const [shareOpen, setShareOpen] = useState(false);

  // Signing in tells the page whether the shopper is in this team.
  useEffect(() => onSessionChange(() => void team.reload()), []); // eslint-disable-line react-hooks/exhaustive-deps

  // People join while the page is open: refresh every ~10 s until the team is decided.
  const live = t?.status === 'open' || t?.status === 'forming';
  usePolling(team.reload, 10_000, live);

  useShareAppMessage(() => ({
    title: t?.shareCard.title ?? '快来和我一起拼团',
    path: teamPagePath(teamId),
    imageUrl: t?.shareCard.imageUrl ?? undefined,
  }));

  const onExpire = () => {
    setBeat((n) => n + 1);
    void team.reload();
  };

  async function join(current: GroupTeam) {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    try {
      if (!(await ensureLogin())) return;
      const addressId = await quickOrderAddressId();
      if (!addressId) return;
      const seat = await api.call('joinGroupBuyTeam', {
        path: { teamId: current.id },
        body: { addressId, buyerNote: '' },
        headers: { 'Idempotency-Key': keys.current.keyFor(current.id) },
      });
      keys.current.settle(current.id);
      team.setData({ ...seat.team, offset, startedAt: Date.now() });
      await go('pay', { orderId: seat.order.orderId });
    } catch (e) {
      if (!keepsKey(e)) keys.current.settle(current.id);
      const o = promoOutcome(e);
      if (o === 'already_member' || o === 'team_closed' || o === 'not_found' || o === 'ended' || o === 'sold_out' || o === 'lapsed')
        void team.reload();
      toastError(e);
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  const gone = !teamId || (!!team.error && promoOutcome(team.error) === 'not_found');
  if (gone)
    return (
      <View className="team team--gone">
        <PageState error={team.error ?? { code: 'group_buys.team_not_found' }} />
        <View className="team__more" data-testid="team-more" onClick={() => void go('groupBuy')}>
          <Text>看看正在进行的拼团 ›</Text>
        </View>
      </View>
    );
  if (!t) return <PageState loading={team.loading} error={team.error} onRetry={() => void team.reload()} />;

  const block = joinBlock(t, now);
  const me = t.members.find((m) => m.you);
  const decided = t.status === 'succeeded' || t.status === 'failed' || t.status === 'void';
  const counting = !decided && t.expiresAt && Date.parse(t.expiresAt) > now;

  return (
    <View className="team">
      <View className="team__deal" onClick={() => void go('groupBuy', { id: t.dealId })}>
        {t.deal.imageUrl ? (
          <Image className="team__img" src={t.deal.imageUrl} mode="aspectFill" />
        ) : (
          <View className="team__img team__img--none">拼团</View>
        )}
        <View className="team__deal-body">
          <Text className="team__title">{t.deal.title}</Text>
          <Text className="team__size">{t.deal.groupSize}人团</Text>
          <View className="team__prices">
            <Text className="team__price-label">拼团价</Text>
            <Price fen={t.deal.groupPrice} size="lg" testId="team-price" />
            {t.deal.originalPrice > t.deal.groupPrice && <Price fen={t.deal.originalPrice} strike />}
          </View>
        </View>
      </View>

      <View className="team__card">
        <Text className={`team__status team__status--${t.status}`} data-testid="team-status">
          {TEAM_STATUS_TEXT[t.status]}
        </Text>
        {counting ? (
          <View className="team__timer">
            <Text className="team__timer-label">剩余</Text>
            <Countdown className="team__countdown" target={t.expiresAt!} offset={offset} onEnd={onExpire} testId="team-countdown" />
            <Text className="team__timer-label">结束</Text>
          </View>
        ) : (
          <Text className="team__note">
            {t.status === 'succeeded'
              ? '人数已凑齐，商家将尽快发货'
              : t.status === 'failed'
                ? '超时未成团，款项将原路退回'
                : t.status === 'forming'
                  ? '团长支付后开团，即可邀请好友'
                  : '该团已失效'}
          </Text>
        )}
        <TeamMembers team={t} />
        <TeamProgress team={t} />
        {me && !me.paid && <Text className="team__unpaid">你的订单还未支付，支付后才算参团成功</Text>}
      </View>

      <View className="team__actions">
        {IS_WEAPP ? (
          <Button className="team__btn team__btn--ghost" openType="share" data-testid="team-share">
            {me && !decided ? '邀请好友参团' : '分享给好友'}
          </Button>
        ) : (
          <Button className="team__btn team__btn--ghost" data-testid="team-share" onClick={() => setShareOpen(true)}>
            {me && !decided ? '邀请好友参团' : '分享给好友'}
          </Button>
        )}
        {me && !me.paid ? (
          <Button className="team__btn" data-testid="team-join" onClick={() => void go('orders', { status: 'pending_payment' })}>
            去支付
          </Button>
        ) : (
          <Button
            className={`team__btn${block ? ' team__btn--off' : ''}`}
            data-testid="team-join"
            disabled={!!block || busy || undefined}
            onClick={() => void join(t)}
          >
            {busy ? '提交中…' : block ? JOIN_BLOCK_TEXT[block] : '参与拼团'}
          </Button>
        )}
      </View>
      {(block === 'ended' || block === 'full') && (
        <View className="team__more" data-testid="team-more" onClick={() => void go('groupBuy', { id: t.dealId })}>
          <Text>看看其他拼团，或自己开一个团 ›</Text>
        </View>
      )}

      <View className="team__rules">
        <Text className="team__rules-title">拼团须知</Text>
        <Text className="team__rules-line">· 参团并支付后占位，人数凑齐即成团发货</Text>
        <Text className="team__rules-line">· 未在时限内凑齐人数，款项自动原路退回</Text>
      </View>

      {shareOpen && !IS_WEAPP && (
        <View className="team__mask" onClick={() => setShareOpen(false)}>
          <View className="team__share" data-testid="team-share-card" onClick={(e) => e.stopPropagation()}>
            <Text className="team__share-head">邀请好友一起拼</Text>
            {t.shareCard.imageUrl ? (
              <Image className="team__share-img" src={t.shareCard.imageUrl} mode="aspectFill" />
            ) : (
              <View className="team__share-img team__img--none">拼团</View>
            )}
            <Text className="team__share-title" data-testid="team-share-title">
              {t.shareCard.title}
            </Text>
            <View className="team__share-row">
              <Price fen={t.deal.groupPrice} size="lg" testId="team-share-price" />
              <Text className="team__share-progress">{t.shareCard.progress}</Text>
            </View>
            <Button
              className="team__btn team__share-copy"
              data-testid="team-share-copy"
              onClick={() =>
                void Taro.setClipboardData({ data: `${t.shareCard.title} ${teamLink(t.id)}` }).catch(() =>
                  toastError({ code: 'clipboard' }),
                )
              }
            >
              复制链接
            </Button>
            <Text className="team__share-tip">复制后发给微信好友或群聊，好友打开即可参团</Text>
            <Text className="team__share-close" onClick={() => setShareOpen(false)}>
              关闭
            </Text>
          </View>
        </View>
      )}
    </View>
  );
}
