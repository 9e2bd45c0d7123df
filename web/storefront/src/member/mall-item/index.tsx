import { useEffect, useRef, useState } from 'react';
import Taro, { useDidShow, useRouter } from '@tarojs/taro';
import { View, Text, Image, Button } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, errorText } from '@/api';
import { ensureLogin, isLoggedIn, onSessionChange } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go, replace } from '@/lib/nav';
import { mediaUrl } from '@/lib/media';
import { fenToYuanString } from '@/lib/format';
import { ADDRESS_PICK_KEY } from '@/lib/checkout';
import { keepsKey } from '@/lib/error-text';
import { AttemptKeys } from '@/lib/promo-keys';
import { exchangeSummary, KIND_LABEL, limitText, priceText, redeemButton, type RedeemResult } from '@/lib/points-mall';
import { AddressCard } from '@/components/address-card';
import { PageState } from '@/components/page-state';
import './index.css';

type Address = OperationResult<'getAddress'>;

/** 积分商城 item (?id=): picture, price, rules; goods pick a delivery address; 立即兑换 → confirm → done (or pay the cash part). */
export default function PointsMallItemPage() {
  const { params } = useRouter();
  const itemId = params.id ?? '';
  const [signedIn, setSignedIn] = useState(isLoggedIn());
  useEffect(() => onSessionChange(() => setSignedIn(isLoggedIn())), []);
  const item = useApi(() => api.call('getPointsMallItem', { path: { itemId } }), [itemId, signedIn], { enabled: !!itemId });
  const i = item.data;
  const isGoods = i?.kind === 'goods';

  // Goods: the delivery address — the default one, or the one picked in the address book.
  const [address, setAddress] = useState<Address | null>(null);
  const [noAddress, setNoAddress] = useState(false);
  const picked = useRef<string | null>(null);
  async function loadAddress() {
    try {
      const { items } = await api.call('listAddresses');
      const want = picked.current ?? address?.id;
      const chosen = items.find((a) => a.id === want) ?? items.find((a) => a.isDefault) ?? items[0];
      setNoAddress(!chosen);
      setAddress(chosen ? await api.call('getAddress', { path: { addressId: chosen.id } }) : null);
    } catch {
      setAddress(null);
    }
  }
  useEffect(() => {
    if (isGoods && signedIn) void loadAddress();
  }, [isGoods, signedIn]); // eslint-disable-line react-hooks/exhaustive-deps
  useDidShow(() => {
    const id = Taro.getStorageSync(ADDRESS_PICK_KEY) as string | '';
    if (id) {
      Taro.removeStorageSync(ADDRESS_PICK_KEY);
      picked.current = id;
      if (isGoods) void loadAddress();
    }
  });

  const keys = useRef(new AttemptKeys('pm'));
  const busy = useRef(false);
  const [redeeming, setRedeeming] = useState(false);
  const [done, setDone] = useState<RedeemResult | null>(null);

  async function redeem() {
    if (!i || busy.current) return;
    if (!(await ensureLogin())) return;
    const btn = redeemButton(i, i.points);
    if (!btn.ready) {
      void Taro.showToast({ title: btn.reason ?? btn.text, icon: 'none' });
      return;
    }
    if (isGoods && !address) {
      void Taro.showToast({ title: '请先选择收货地址', icon: 'none' });
      void go('addresses', { select: 1 });
      return;
    }
    const cash = i.cashPrice > 0 ? `，另需支付¥${fenToYuanString(i.cashPrice)}${i.freeShipping ? '' : '（运费另计）'}` : '';
    const ok = await Taro.showModal({
      title: '确认兑换',
      content: `使用${i.pointsPrice}积分兑换「${i.title}」${cash}`,
      confirmText: '确认兑换',
      confirmColor: '#e4393c',
    });
    if (!ok.confirm) return;
    busy.current = true;
    setRedeeming(true);
    try {
      const r = await api.call('redeemPointsMallItem', {
        path: { itemId },
        headers: { 'Idempotency-Key': keys.current.keyFor(itemId) },
        body: { quantity: 1, buyerNote: '', ...(isGoods && address ? { addressId: address.id } : {}) },
      });
      keys.current.settle(itemId);
      if (r.order && r.order.status === 'pending_payment') {
        // The cash part is paid like any order; the cashier shows the time left to pay.
        void replace('pay', { orderId: r.order.id });
        return;
      }
      setDone(r);
      void item.reload();
    } catch (e) {
      if (!keepsKey(e)) keys.current.settle(itemId);
      void Taro.showToast({ title: errorText(e), icon: 'none', duration: 2500 });
      void item.reload();
    } finally {
      busy.current = false;
      setRedeeming(false);
    }
  }

  if (!itemId)
    return <PageState empty emptyText="没有找到这件商品" emptyAction={{ text: '去积分商城看看', onClick: () => void go('pointsMall') }} />;
  if (!i) return <PageState loading={item.loading} error={item.error} onRetry={() => void item.reload()} />;
  const btn = redeemButton(i, i.points);
  const limit = limitText(i);

  return (
    <View className="pitem">
      <View className="pitem__pic">
        {i.imageUrl ? (
          <Image className="pitem__img" src={mediaUrl(i.imageUrl)} mode="aspectFill" />
        ) : (
          <Text className="pitem__icon">{KIND_LABEL[i.kind]}</Text>
        )}
      </View>
      <View className="pitem__card">
        <View className="pitem__price" data-testid="mall-item-detail-price">
          <Text className="pitem__pts">{priceText(i)}</Text>
          {i.marketPrice ? <Text className="pitem__market">原价¥{fenToYuanString(i.marketPrice)}</Text> : null}
        </View>
        <Text className="pitem__title" data-testid="mall-item-title">
          {i.title}
        </Text>
        <View className="pitem__tags">
          <Text className="pitem__tag">{KIND_LABEL[i.kind]}</Text>
          <Text className="pitem__tag">剩余{i.stock}件</Text>
          {isGoods && <Text className="pitem__tag">{i.freeShipping ? '包邮' : '运费按地区计算'}</Text>}
          {limit && <Text className="pitem__tag">{limit}</Text>}
        </View>
        {i.points !== null && <Text className="pitem__mine">我的积分：{i.points}</Text>}
      </View>

      {isGoods && signedIn && (
        <View className="pitem__address">
          {address ? (
            <AddressCard
              address={address}
              isDefault={address.isDefault}
              arrow
              testId="mall-item-address"
              onClick={() => void go('addresses', { select: 1 })}
            />
          ) : (
            <View
              className="pitem__address-empty"
              data-testid="mall-item-address-empty"
              onClick={() => void go('addresses', { select: 1 })}
            >
              <Text>{noAddress ? '还没有收货地址，点击添加' : '选择收货地址'} ›</Text>
            </View>
          )}
        </View>
      )}

      <View className="pitem__card">
        <Text className="pitem__section">兑换说明</Text>
        {i.description ? <Text className="pitem__desc">{i.description}</Text> : null}
        {i.kind === 'coupon' && <Text className="pitem__rule">· 兑换后优惠券自动放入「我的优惠券」</Text>}
        {i.kind === 'lottery_chance' && (
          <Text className="pitem__rule">· 兑换后获得{i.target.chances ?? 1}次额外抽奖机会，免费次数用完后使用</Text>
        )}
        {isGoods && i.cashPrice > 0 && <Text className="pitem__rule">· 需在30分钟内支付现金部分，超时未支付订单关闭，积分自动退回</Text>}
        {isGoods && <Text className="pitem__rule">· 实物商品兑换后由商家发货，可在「我的订单」查看物流</Text>}
        <Text className="pitem__rule">· 积分一经兑换不予退还（未支付关闭的订单除外）</Text>
      </View>

      <View className="pitem__bar">
        <Button className="pitem__records" onClick={() => void go('pointsMallRecords')}>
          兑换记录
        </Button>
        <Button
          className={`pitem__go${btn.ready ? '' : ' pitem__go--off'}`}
          data-testid="mall-redeem"
          data-state={btn.ready ? 'ready' : 'refused'}
          loading={redeeming}
          onClick={() => void redeem()}
        >
          {redeeming ? '兑换中…' : btn.text}
        </Button>
      </View>

      {done && (
        <View className="pitem__mask" catchMove>
          <View className="pitem__mask-bg" onClick={() => setDone(null)} />
          <View className="pitem__done" data-testid="mall-redeem-done" data-kind={done.kind}>
            <Text className="pitem__done-title">兑换成功</Text>
            <Text className="pitem__done-sub">{exchangeSummary(done)}</Text>
            <Text className="pitem__done-sub">
              消耗{done.pointsTotal}积分，剩余{done.points}积分
            </Text>
            {done.kind === 'coupon' && (
              <Button className="pitem__done-btn" onClick={() => void go('coupons', { tab: 'mine' })}>
                去使用
              </Button>
            )}
            {done.kind === 'lottery_chance' && done.lotteryId && (
              <Button className="pitem__done-btn" onClick={() => void go('lottery', { id: done.lotteryId! })}>
                去抽奖
              </Button>
            )}
            {done.order && (
              <Button className="pitem__done-btn" onClick={() => void go('order', { id: done.order!.id })}>
                查看订单
              </Button>
            )}
            <Text className="pitem__done-link" data-testid="mall-done-records" onClick={() => void go('pointsMallRecords')}>
              查看兑换记录
            </Text>
          </View>
        </View>
      )}
    </View>
  );
}
