import { useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import type { OperationResult } from '@edgemall/client/operation-client';
import { api, errorText, toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go, replace } from '@/lib/nav';
import { formatFen } from '@/lib/format';
import { paymentCancelled, pollUntil, sandboxTradeNo } from '@/lib/checkout';
import { orderStatusLabel } from '@/lib/order-status';
import { PageState } from '@/components/page-state';
import { Price } from '@/components/price';
import { Countdown } from '@/components/countdown';
import './index.css';

type PayInfo = OperationResult<'payOrder'>;
type Phase = 'idle' | 'paying' | 'confirming' | 'paid' | 'unconfirmed';

const IS_WEAPP = process.env.TARO_ENV === 'weapp';
/** Statuses an order reaches once its payment is in. */
const PAID = new Set(['paid', 'shipped', 'delivered', 'completed']);

/** 收银台: the amount of the whole checkout, the time left to pay, 微信支付; then 支付成功. */
export default function PayPage() {
  const { params } = useRouter();
  const orderId = params.orderId ?? params.id ?? '';
  const orderCount = Number(params.n ?? 1) || 1;
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then(setReady, toastError);
  }, []);
  const order = useApi(() => api.call('getOrder', { path: { orderId } }), [orderId], { enabled: ready && !!orderId });
  const [info, setInfo] = useState<PayInfo | null>(null);
  const [phase, setPhase] = useState<Phase>('idle');
  /** H5 outside the sandbox cannot open the WeChat cashier. */
  const [needWechat, setNeedWechat] = useState(false);
  const busy = useRef(false);
  const o = order.data;

  // The amount of the whole checkout (one payment for every shop's order) comes with the pay parameters.
  useEffect(() => {
    if (!o) return;
    if (PAID.has(o.status)) {
      setPhase('paid');
      return;
    }
    if (o.status !== 'pending_payment' || info) return;
    api
      .call('payOrder', { path: { orderId } })
      .then((p) => {
        setInfo(p);
        if (!IS_WEAPP && !sandboxTradeNo(p.sandboxPayPath)) setNeedWechat(true);
      })
      .catch((e: { code?: string }) => {
        if (e.code === 'payments.wechat_login_required') setNeedWechat(true);
        else if (e.code === 'orders.expired' || e.code === 'orders.not_payable') void order.reload();
      });
  }, [o?.status]); // eslint-disable-line react-hooks/exhaustive-deps

  async function confirmPaid() {
    setPhase('confirming');
    // The payment notice reaches the order through a queue: ask until the order says paid.
    const r = await pollUntil(
      () => api.call('getOrder', { path: { orderId } }),
      (x) => x.status !== 'pending_payment',
      { everyMs: 700, timeoutMs: 20_000 },
    );
    if (r.result) order.setData(r.result);
    if (r.ok && r.result && PAID.has(r.result.status)) setPhase('paid');
    else if (r.ok) setPhase('idle');
    else setPhase('unconfirmed');
  }

  async function pay() {
    if (busy.current || !o) return;
    busy.current = true;
    setPhase('paying');
    try {
      const p = await api.call('payOrder', { path: { orderId } });
      setInfo(p);
      if (IS_WEAPP) {
        const rp = p.requestPayment;
        try {
          await Taro.requestPayment({
            timeStamp: rp.timeStamp,
            nonceStr: rp.nonceStr,
            package: rp.package,
            signType: rp.signType,
            paySign: rp.paySign,
          });
        } catch (e) {
          setPhase('idle');
          void Taro.showToast({ title: paymentCancelled(e) ? '已取消支付' : '支付未完成，请重试', icon: 'none' });
          return;
        }
      } else {
        const trade = sandboxTradeNo(p.sandboxPayPath);
        if (!trade) {
          setNeedWechat(true);
          setPhase('idle');
          void Taro.showToast({ title: '请在微信中打开完成支付', icon: 'none' });
          return;
        }
        // Sandbox: stands in for the shopper paying in WeChat; WeChat's notice then reaches our server.
        await api.call('sandboxPayTransaction', { path: { outTradeNo: trade } });
      }
      await confirmPaid();
    } catch (e) {
      setPhase('idle');
      const code = (e as { code?: string }).code;
      if (code === 'payments.wechat_login_required') setNeedWechat(true);
      if (code === 'orders.expired' || code === 'orders.not_payable' || code === 'orders.already_paid' || code === 'payments.already_paid')
        void order.reload();
      toastError(e);
    } finally {
      busy.current = false;
    }
  }

  const viewOrder = () => (orderCount > 1 ? replace('orders', { status: 'unshipped' }) : replace('order', { id: orderId }));

  if (!orderId) return <PageState error={{ code: 'orders.not_found' }} />;
  if (!o) return <PageState loading={order.loading || !ready} error={order.error} onRetry={() => void order.reload()} />;

  const amount = info?.amount ?? (PAID.has(o.status) ? o.paidTotal : o.payableTotal);
  // A group-buy seat: once paid, the shopper's next step is filling the team.
  const teamId = o.promo?.type === 'group_buy' ? o.promo.teamId : null;

  if (phase === 'paid')
    return (
      <View className="pay">
        <View className="pay__done">
          <View className="pay__done-icon">
            <View className="pay__done-tick" />
          </View>
          <Text className="pay__done-title" data-testid="pay-status">
            支付成功
          </Text>
          <View className="pay__done-amount">
            <Text className="pay__done-label">实付</Text>
            <Price fen={amount} size="lg" testId="pay-amount" />
          </View>
          <Text className="pay__done-sub" data-testid="pay-done-sub">
            {teamId && o.awaitingGroup
              ? '拼团中：邀请好友参团，人满即发货'
              : `商家会尽快为你发货${orderCount > 1 ? `（共${orderCount}个订单）` : ''}`}
          </Text>
          <View className="pay__done-btns">
            <Button className="pay__btn pay__btn--ghost" data-testid="pay-view-order" onClick={() => void viewOrder()}>
              查看订单
            </Button>
            {teamId ? (
              <Button className="pay__btn pay__btn--primary" data-testid="pay-team" onClick={() => void replace('team', { id: teamId })}>
                {o.awaitingGroup ? '邀请好友参团' : '查看拼团'}
              </Button>
            ) : (
              <Button className="pay__btn pay__btn--ghost" data-testid="pay-continue" onClick={() => void go('home')}>
                继续逛逛
              </Button>
            )}
          </View>
        </View>
      </View>
    );

  const closed = o.status === 'cancelled' || o.status === 'closed';

  return (
    <View className="pay">
      <View className="pay__head">
        <Text className="pay__head-label">{closed ? '订单已关闭' : '需支付'}</Text>
        <Price fen={amount} size="lg" testId="pay-amount" />
        {o.status === 'pending_payment' && o.expiresAt ? (
          <View className="pay__timer">
            <Text className="pay__timer-label">支付剩余时间</Text>
            <Countdown
              className="pay__countdown"
              target={o.expiresAt}
              offset={0}
              testId="pay-countdown"
              onEnd={() => void order.reload()}
            />
          </View>
        ) : (
          <Text className="pay__timer-label" data-testid="pay-status">
            {closed ? '超时未支付或已取消，请重新下单' : orderStatusLabel(o.status)}
          </Text>
        )}
      </View>

      <View className="pay__card">
        <View className="pay__row">
          <Text className="pay__row-label">订单编号</Text>
          <Text className="pay__row-value">{o.orderNo}</Text>
        </View>
        {(orderCount > 1 || (info && info.amount !== o.payableTotal && o.status === 'pending_payment')) && (
          <View className="pay__row">
            <Text className="pay__row-label">合并支付</Text>
            <Text className="pay__row-value">{orderCount > 1 ? `共${orderCount}个店铺订单` : '含同次下单的其他店铺订单'}</Text>
          </View>
        )}
        <View className="pay__row">
          <Text className="pay__row-label">商品</Text>
          <Text className="pay__row-value pay__row-value--clip">
            {o.firstLine?.title ?? o.lines[0]?.title}
            {o.itemCount > 1 ? ` 共${o.itemCount}件` : ''}
          </Text>
        </View>
      </View>

      <View className="pay__card">
        <View className="pay__method">
          <View className="pay__wx">
            <Text className="pay__wx-text">微</Text>
          </View>
          <Text className="pay__method-name">微信支付</Text>
          <View className="pay__radio" />
        </View>
      </View>

      {needWechat && !IS_WEAPP && (
        <View className="pay__tip" data-testid="pay-h5-tip">
          <Text>请在微信中打开完成支付</Text>
        </View>
      )}
      {phase === 'confirming' && (
        <View className="pay__tip pay__tip--info" data-testid="pay-status">
          <Text>正在确认支付结果…</Text>
        </View>
      )}
      {phase === 'unconfirmed' && (
        <View className="pay__tip pay__tip--info" data-testid="pay-status">
          <Text>暂未收到支付结果，如已付款请稍后在订单中查看</Text>
          <Text className="pay__tip-link" onClick={() => void confirmPaid()}>
            刷新
          </Text>
        </View>
      )}

      <View className="pay__foot">
        {closed ? (
          <Button className="pay__submit" data-testid="pay-view-order" onClick={() => void replace('order', { id: orderId })}>
            查看订单
          </Button>
        ) : (
          <Button
            className={`pay__submit${o.status !== 'pending_payment' || needWechat ? ' pay__submit--off' : ''}`}
            data-testid="pay-submit"
            disabled={o.status !== 'pending_payment' || phase === 'paying' || phase === 'confirming' || undefined}
            onClick={() => void pay()}
          >
            {phase === 'confirming' ? '确认中…' : `微信支付 ${formatFen(amount)}`}
          </Button>
        )}
      </View>
      {order.error ? <Text className="pay__err">{errorText(order.error)}</Text> : null}
    </View>
  );
}
