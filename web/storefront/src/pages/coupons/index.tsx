import { useEffect, useState } from 'react';
import Taro, { useDidShow, useReachBottom, useRouter } from '@tarojs/taro';
import { View, Text, Button, Input } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, toastError } from '@/api';
import { ensureLogin, isLoggedIn, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { PageState } from '@/components/page-state';
import { ClaimableCouponCard, CouponCard } from '@/components/coupon-card';
import { keepsKey } from '@/lib/error-text';
import { useClaimCoupon } from '@/hooks/use-claim-coupon';
import './index.css';

type MyCoupon = OperationResult<'listMyCoupons'>['items'][number];
type MyStatus = MyCoupon['status'];

const STATUS_TABS: { key: MyStatus; text: string }[] = [
  { key: 'available', text: '可使用' },
  { key: 'used', text: '已使用' },
  { key: 'expired', text: '已过期' },
];
const PAGE = 20;

/** 领券中心 (领券 / 我的券 ?tab=mine): claim coupons, redeem a code, the 新人礼包, and the shopper's coupons by status. */
export default function CouponsPage() {
  const { params } = useRouter();
  const [tab, setTab] = useState<'claim' | 'mine'>(params.tab === 'mine' ? 'mine' : 'claim');
  const [status, setStatus] = useState<MyStatus>('available');
  const [loggedIn, setLoggedIn] = useState(isLoggedIn());
  useDidShow(() => setLoggedIn(isLoggedIn()));
  useEffect(() => onSessionChange(() => setLoggedIn(isLoggedIn())), []);

  // 领券: what is open for claiming (with, signed in, what the shopper holds) and the new-user pack.
  const list = useApi(() => api.call('listClaimableCoupons'), [loggedIn], { refreshOnShow: true });
  const pack = useApi(() => api.call('getNewUserPack'), [loggedIn], { refreshOnShow: true });

  // 我的券, one status at a time, more pages on reaching the bottom.
  const mine = useApi(() => api.call('listMyCoupons', { query: { status, limit: PAGE } }), [status, loggedIn], {
    refreshOnShow: true,
    enabled: loggedIn && tab === 'mine',
  });
  const [more, setMore] = useState<{ items: MyCoupon[]; cursor: string | null; loading: boolean }>({
    items: [],
    cursor: null,
    loading: false,
  });
  useEffect(() => setMore({ items: [], cursor: mine.data?.nextCursor ?? null, loading: false }), [mine.data]);
  useReachBottom(() => {
    if (tab !== 'mine' || !more.cursor || more.loading) return;
    const cursor = more.cursor;
    setMore((m) => ({ ...m, loading: true }));
    api
      .call('listMyCoupons', { query: { status, limit: PAGE, cursor } })
      .then((r) => setMore((m) => ({ items: [...m.items, ...r.items], cursor: r.nextCursor, loading: false })))
      .catch((e) => {
        setMore((m) => ({ ...m, loading: false }));
        toastError(e);
      });
  });

  const { busyId, claim, withBusy, keys } = useClaimCoupon(list);
  const [code, setCode] = useState('');

  async function redeem() {
    const c = code.trim().toUpperCase();
    if (!c) return;
    const scope = `code:${c}`;
    await withBusy('code', async () => {
      try {
        if (!(await ensureLogin())) return;
        const got = await api.call('claimCoupon', { body: { code: c }, headers: { 'Idempotency-Key': keys.keyFor(scope) } });
        keys.settle(scope);
        setCode('');
        void Taro.showToast({ title: got.label ? `已到账 ${got.label}` : '兑换成功', icon: 'none', duration: 2000 });
        setStatus('available');
        setTab('mine');
        void mine.reload();
      } catch (e) {
        if (!keepsKey(e)) keys.settle(scope);
        toastError(e);
      }
    });
  }

  const packData = pack.data;
  const tiers = packData?.tiers ?? [];
  const showPack = tiers.length > 0 && packData?.eligible !== false;
  const mineItems = [...(mine.data?.items ?? []), ...more.items];
  const soon = (validTo: string) => Date.parse(validTo) - Date.now() < 48 * 3600_000;

  return (
    <View className="coupons">
      <View className="coupons__tabs">
        <View
          className={`coupons__tab${tab === 'claim' ? ' coupons__tab--on' : ''}`}
          data-testid="coupons-tab-claim"
          onClick={() => setTab('claim')}
        >
          <Text>领券</Text>
        </View>
        <View
          className={`coupons__tab${tab === 'mine' ? ' coupons__tab--on' : ''}`}
          data-testid="coupons-tab-mine"
          onClick={() => setTab('mine')}
        >
          <Text>我的券</Text>
        </View>
      </View>

      {tab === 'claim' ? (
        <View className="coupons__body">
          <View className="coupons__code">
            <Input
              className="coupons__code-input"
              data-testid="coupon-code-input"
              placeholder="输入兑换码"
              value={code}
              maxlength={32}
              onInput={(e) => setCode(e.detail.value)}
              onConfirm={() => void redeem()}
            />
            <Button
              className={`coupons__code-btn${code.trim() ? '' : ' coupons__code-btn--off'}`}
              data-testid="coupon-code-submit"
              disabled={!code.trim() || busyId === 'code' || undefined}
              onClick={() => void redeem()}
            >
              {busyId === 'code' ? '兑换中…' : '兑换'}
            </Button>
          </View>

          {showPack && packData && (
            <View className="coupons__pack" data-testid="coupons-new-user-pack">
              <View className="coupons__pack-head">
                <Text className="coupons__pack-title">新人礼包</Text>
                <Text className="coupons__pack-sub">
                  {packData.eligible ? '已放入你的账户，注册7天内登录自动到账' : '新用户登录即领，多张好券一次到账'}
                </Text>
                {packData.eligible === null && (
                  <Button className="coupons__pack-login" data-testid="coupons-pack-login" onClick={() => void ensureLogin()}>
                    登录领取
                  </Button>
                )}
              </View>
              {tiers.map((t) => (
                <CouponCard
                  key={t.templateId}
                  coupon={t}
                  tag="新人专享"
                  stamp={t.held ? '已到账' : undefined}
                  action={
                    t.held ? (
                      <Button className="coupon-card__btn coupon-card__btn--ghost" data-testid="coupon-use" onClick={() => void go('home')}>
                        去使用
                      </Button>
                    ) : packData.eligible ? (
                      <Text className="coupons__pack-later">下次登录到账</Text>
                    ) : undefined
                  }
                />
              ))}
            </View>
          )}

          {list.data ? (
            list.data.items.length === 0 ? (
              <PageState empty emptyText="暂时没有可领的券，晚点再来看看" />
            ) : (
              <View className="coupons__list">
                <Text className="coupons__section">好券限量领</Text>
                {list.data.items.map((c) => (
                  <ClaimableCouponCard
                    key={c.templateId}
                    coupon={c}
                    busyId={busyId}
                    onClaim={(x) => void claim(x)}
                    onUse={() => void go('home')}
                  />
                ))}
              </View>
            )
          ) : (
            <PageState loading={list.loading} error={list.error} onRetry={() => void list.reload()} />
          )}
        </View>
      ) : (
        <View className="coupons__body">
          <View className="coupons__status">
            {STATUS_TABS.map((s) => (
              <Text
                key={s.key}
                className={`coupons__status-tab${status === s.key ? ' coupons__status-tab--on' : ''}`}
                data-testid={`coupons-status-${s.key}`}
                onClick={() => setStatus(s.key)}
              >
                {s.text}
              </Text>
            ))}
          </View>
          {!loggedIn ? (
            <View className="coupons__signin">
              <Text className="coupons__signin-text">登录后查看你的优惠券</Text>
              <Button className="coupon-card__btn" data-testid="coupons-login" onClick={() => void ensureLogin()}>
                去登录
              </Button>
            </View>
          ) : mine.data && !mine.loading ? (
            mineItems.length === 0 ? (
              <PageState
                empty
                emptyText={
                  status === 'available'
                    ? '暂无可用的优惠券，去领券中心看看吧'
                    : status === 'used'
                      ? '还没有用过优惠券'
                      : '没有过期的优惠券'
                }
              />
            ) : (
              <View className="coupons__list">
                {mineItems.map((c) => (
                  <CouponCard
                    key={c.id}
                    coupon={c}
                    tag={c.channel === 'new_user_pack' ? '新人专享' : status === 'available' && soon(c.validTo) ? '即将过期' : undefined}
                    dim={status !== 'available'}
                    stamp={status === 'used' ? '已使用' : status === 'expired' ? '已过期' : undefined}
                    action={
                      status === 'available' ? (
                        <Button
                          className="coupon-card__btn coupon-card__btn--ghost"
                          data-testid="coupon-use"
                          onClick={() => void go('home')}
                        >
                          去使用
                        </Button>
                      ) : undefined
                    }
                  />
                ))}
                {more.cursor ? (
                  <Text className="coupons__more">{more.loading ? '加载中…' : '上拉加载更多'}</Text>
                ) : (
                  <Text className="coupons__more">没有更多了</Text>
                )}
              </View>
            )
          ) : (
            <PageState loading={mine.loading} error={mine.error} onRetry={() => void mine.reload()} />
          )}
        </View>
      )}
    </View>
  );
}
