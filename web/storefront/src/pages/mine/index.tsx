import { useEffect, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin, isLoggedIn, logout, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go, type PageName } from '@/lib/nav';
import './index.css';

const IS_H5 = process.env.TARO_ENV === 'h5';
const COUNT_LIMIT = 100;

/** How many orders wait in one status (a badge: at most "99+"); null when it could not be read. */
async function countOrders(status: 'pending_payment' | 'paid' | 'shipped'): Promise<string | null> {
  try {
    const r = await api.call('listOrders', { query: { status, limit: COUNT_LIMIT } });
    const n = r.items.length;
    return r.nextCursor || n > 99 ? '99+' : n > 0 ? String(n) : null;
  } catch {
    return null;
  }
}

/** The signed-in shopper, their points and coupons, and the order badges (the header needs only getMe). */
async function loadMine() {
  const [me, points, coupons, pending, paid, shipped] = await Promise.all([
    api.call('getMe'),
    api.call('getMyPoints', { query: { limit: 1 } }).catch(() => null),
    api.call('listMyCoupons', { query: { status: 'available', limit: COUNT_LIMIT } }).catch(() => null),
    countOrders('pending_payment'),
    countOrders('paid'),
    countOrders('shipped'),
  ]);
  const couponCount = coupons ? (coupons.nextCursor ? `${coupons.items.length}+` : String(coupons.items.length)) : null;
  return { me, points: points?.balance ?? null, couponCount, badges: { pending_payment: pending, paid, shipped } };
}

const SHORTCUTS = [
  { key: 'pending_payment', text: '待付款', icon: '付' },
  { key: 'paid', text: '待发货', icon: '发' },
  { key: 'shipped', text: '待收货', icon: '收' },
] as const;

const ENTRIES: {
  testId: string;
  text: string;
  sub?: string;
  page: PageName;
  params?: Record<string, string>;
  login: boolean;
  icon: string;
  tone: string;
}[] = [
  { testId: 'mine-member', text: '会员中心', sub: '等级权益·成长值', page: 'memberCenter', login: true, icon: '会', tone: 'orange' },
  { testId: 'mine-coupons', text: '我的优惠券', page: 'coupons', params: { tab: 'mine' }, login: true, icon: '券', tone: 'red' },
  { testId: 'mine-after-sales', text: '退换/售后', page: 'afterSales', login: true, icon: '售', tone: 'orange' },
  { testId: 'mine-checkin', text: '每日签到', sub: '连签领额外积分', page: 'checkin', login: true, icon: '签', tone: 'red' },
  { testId: 'mine-tasks', text: '任务中心', sub: '做任务赚积分', page: 'tasks', login: true, icon: '务', tone: 'orange' },
  { testId: 'mine-invite', text: '邀请有礼', sub: '邀好友 得奖励', page: 'invite', login: true, icon: '邀', tone: 'red' },
  { testId: 'mine-addresses', text: '收货地址', page: 'addresses', login: true, icon: '址', tone: 'blue' },
  { testId: 'mine-member-points', text: '积分明细', sub: '积分可抵现', page: 'memberPoints', login: true, icon: '积', tone: 'orange' },
  { testId: 'mine-member-wallet', text: '我的余额', page: 'memberWallet', login: true, icon: '余', tone: 'red' },
  { testId: 'mine-favorites', text: '我的收藏', page: 'favorites', login: true, icon: '藏', tone: 'red' },
  { testId: 'mine-reviews', text: '我的评价', sub: '待评价、已评价', page: 'myReviews', login: true, icon: '评', tone: 'orange' },
  { testId: 'mine-service', text: '联系客服', sub: '7×24 小时在线', page: 'service', login: true, icon: '客', tone: 'blue' },
  { testId: 'mine-messages', text: '消息设置', sub: '到货、降价提醒', page: 'messages', login: true, icon: '讯', tone: 'blue' },
  { testId: 'mine-flash-sale', text: '限时秒杀', sub: '好价限量抢', page: 'flashSale', login: false, icon: '秒', tone: 'red' },
  { testId: 'mine-group-buy', text: '拼团', sub: '好友一起拼更便宜', page: 'groupBuy', login: false, icon: '拼', tone: 'orange' },
  { testId: 'mine-points-mall', text: '积分商城', sub: '积分兑好礼', page: 'pointsMall', login: false, icon: '兑', tone: 'orange' },
];

/** 我的 (tab): who is signed in, points and coupons, order shortcuts, the shop's entries and 退出登录 (H5). */
export default function MinePage() {
  const [loggedIn, setLoggedIn] = useState(isLoggedIn());
  useDidShow(() => setLoggedIn(isLoggedIn()));
  useEffect(() => onSessionChange(() => setLoggedIn(isLoggedIn())), []);
  const mine = useApi(loadMine, [loggedIn], { refreshOnShow: true, enabled: loggedIn });
  const d = loggedIn ? mine.data : undefined;

  /** Pages that belong to a shopper sign in first (H5: the login page comes back here). */
  const open = async (page: PageName, params: Record<string, string> | undefined, login: boolean) => {
    try {
      if (login && !(await ensureLogin())) return;
      await go(page, params);
    } catch (e) {
      toastError(e);
    }
  };

  const signIn = () => {
    ensureLogin().catch((e) => toastError(e));
  };

  const signOut = async () => {
    const r = await Taro.showModal({ title: '退出登录', content: '确定要退出当前账号吗？', confirmText: '退出', confirmColor: '#e4393c' });
    if (!r.confirm) return;
    try {
      await logout();
      void Taro.showToast({ title: '已退出登录', icon: 'none' });
    } catch (e) {
      toastError(e); // the tokens are dropped either way
    }
  };

  const name = d?.me.nickname ?? '';
  return (
    <View className="mine">
      <View className="mine__head">
        {loggedIn ? (
          <View className="mine__user" data-testid="mine-user">
            <View className="mine__avatar">
              <Text className="mine__avatar-text">{name ? [...name][0] : ''}</Text>
            </View>
            <View className="mine__who">
              <Text className="mine__name" data-testid="mine-nickname">
                {d ? name : mine.error ? '加载失败，下拉重试' : '加载中…'}
              </Text>
              {d && (
                <View className="mine__meta">
                  {d.me.hasWechat && <Text className="mine__badge">已绑定微信</Text>}
                  {d.me.phoneMasked && (
                    <Text className="mine__phone" data-testid="mine-phone">
                      {d.me.phoneMasked}
                    </Text>
                  )}
                </View>
              )}
            </View>
          </View>
        ) : (
          <View className="mine__user">
            <View className="mine__avatar mine__avatar--guest">
              <Text className="mine__avatar-text">?</Text>
            </View>
            <View className="mine__who">
              <Button className="mine__login" data-testid="mine-login" onClick={signIn}>
                登录/注册
              </Button>
              <Text className="mine__hint">登录后查看订单、领取新人礼包</Text>
            </View>
          </View>
        )}
        <View className="mine__assets">
          <View className="mine__asset" data-testid="mine-points" onClick={() => void open('memberPoints', undefined, true)}>
            <Text className="mine__asset-num">{d && d.points !== null ? d.points : '--'}</Text>
            <Text className="mine__asset-label">积分</Text>
          </View>
          <View className="mine__asset" data-testid="mine-coupon-count" onClick={() => void open('coupons', { tab: 'mine' }, true)}>
            <Text className="mine__asset-num">{d && d.couponCount !== null ? d.couponCount : '--'}</Text>
            <Text className="mine__asset-label">优惠券</Text>
          </View>
          <View className="mine__asset" onClick={() => void open('coupons', undefined, false)}>
            <Text className="mine__asset-num mine__asset-num--go">领券</Text>
            <Text className="mine__asset-label">领券中心</Text>
          </View>
        </View>
      </View>

      <View className="mine__card">
        <View className="mine__card-head">
          <Text className="mine__card-title">我的订单</Text>
          <Text className="mine__all" data-testid="mine-orders" onClick={() => void open('orders', undefined, true)}>
            全部订单 ›
          </Text>
        </View>
        <View className="mine__shortcuts">
          {SHORTCUTS.map((s) => {
            const badge = d?.badges[s.key];
            return (
              <View
                key={s.key}
                className="mine__shortcut"
                data-testid={`mine-order-${s.key}`}
                onClick={() => void open('orders', { status: s.key }, true)}
              >
                <View className="mine__shortcut-icon">
                  <Text>{s.icon}</Text>
                  {badge && <Text className="mine__shortcut-badge">{badge}</Text>}
                </View>
                <Text className="mine__shortcut-text">{s.text}</Text>
              </View>
            );
          })}
          <View className="mine__shortcut" data-testid="mine-order-after-sales" onClick={() => void open('afterSales', undefined, true)}>
            <View className="mine__shortcut-icon">
              <Text>售</Text>
            </View>
            <Text className="mine__shortcut-text">退款/售后</Text>
          </View>
        </View>
      </View>

      <View className="mine__card mine__cells">
        {ENTRIES.map((e) => (
          <View key={e.testId} className="mine__cell" data-testid={e.testId} onClick={() => void open(e.page, e.params, e.login)}>
            <View className={`mine__cell-icon mine__cell-icon--${e.tone}`}>
              <Text>{e.icon}</Text>
            </View>
            <Text className="mine__cell-text">{e.text}</Text>
            <Text className="mine__cell-sub">
              {e.testId === 'mine-coupons' && d?.couponCount ? `${d.couponCount}张可用` : (e.sub ?? '')}
            </Text>
            <Text className="mine__cell-arrow">›</Text>
          </View>
        ))}
      </View>

      {IS_H5 && loggedIn && (
        <Button className="mine__logout" data-testid="mine-logout" onClick={() => void signOut()}>
          退出登录
        </Button>
      )}
    </View>
  );
}
