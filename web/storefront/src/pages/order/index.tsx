import { useEffect, useRef, useState } from 'react';
import Taro, { useRouter } from '@tarojs/taro';
import { View, Text, Button } from '@tarojs/components';
import { api, toastError } from '@/api';
import { ensureLogin } from '@/api/session';
import { useApi } from '@/hooks/use-api';
import { go } from '@/lib/nav';
import { formatFen, formatTime } from '@/lib/format';
import { amountRows } from '@/lib/checkout';
import { merchantLabel } from '@/lib/cart';
import { remainingQty, reservedByLine } from '@/lib/after-sale';
import {
  AFTER_SALE_TYPE_LABEL,
  OPEN_AFTER_SALE,
  afterSaleStatusLabel,
  newestFirst,
  orderView,
  trackingStatusLabel,
  type AfterSaleType,
} from '@/lib/order-status';
import { PageState } from '@/components/page-state';
import { Price } from '@/components/price';
import { Countdown } from '@/components/countdown';
import { AddressCard } from '@/components/address-card';
import { OrderLine } from '@/components/order-line';
import './index.css';

const SHIPPED = new Set(['shipped', 'delivered', 'completed']);

/** 订单详情: status banner, address, parcels with their tracking, lines with 售后, amounts, numbers and times. */
export default function OrderPage() {
  const { params } = useRouter();
  const orderId = params.id ?? params.orderId ?? '';
  const [ready, setReady] = useState(false);
  useEffect(() => {
    void ensureLogin().then(setReady, toastError);
  }, []);
  const order = useApi(() => api.call('getOrder', { path: { orderId } }), [orderId], { refreshOnShow: true, enabled: ready && !!orderId });
  const afterSales = useApi(() => api.call('listMyAfterSales', { query: { orderId, limit: 50 } }), [orderId], {
    refreshOnShow: true,
    enabled: ready && !!orderId,
  });
  const o = order.data;
  const shipped = !!o && SHIPPED.has(o.status);
  const tracking = useApi(() => api.call('getOrderTracking', { path: { orderId } }), [orderId, shipped], {
    refreshOnShow: true,
    enabled: ready && shipped,
  });
  const received = !!o && (o.status === 'delivered' || o.status === 'completed');
  // 待评价: which of this order's lines still take a review (the server knows the window and what was reviewed)
  const toReview = useApi(() => api.call('listReviewableLines'), [orderId, received], { refreshOnShow: true, enabled: ready && received });
  const reviewLines = new Set((toReview.data?.items ?? []).map((r) => r.orderLineId));
  const [busy, setBusy] = useState(false);
  const busyRef = useRef(false);

  async function act(title: string, content: string, fn: () => Promise<NonNullable<typeof o>>, done: string) {
    if (busyRef.current) return;
    const r = await Taro.showModal({ title, content, confirmColor: '#e4393c' });
    if (!r.confirm) return;
    busyRef.current = true;
    setBusy(true);
    try {
      order.setData(await fn());
      void Taro.showToast({ title: done, icon: 'success' });
    } catch (e) {
      toastError(e);
      void order.reload();
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  }

  if (!orderId) return <PageState error={{ code: 'orders.not_found' }} />;
  if (!o) return <PageState loading={order.loading || !ready} error={order.error} onRetry={() => void order.reload()} />;

  const asList = afterSales.data?.items ?? [];
  const openAs = asList.filter((a) => OPEN_AFTER_SALE.has(a.status));
  const view = orderView(o.status, { afterSaleOpen: openAs.length > 0, awaitingGroup: o.awaitingGroup });
  const teamId = o.promo?.type === 'group_buy' ? o.promo.teamId : null;
  const reserved = reservedByLine(asList);
  const rows = amountRows({
    goodsTotal: o.goodsTotal,
    discounts: o.discounts,
    shippingPayable: o.shippingFee,
    total:
      o.status === 'pending_payment' || o.status === 'cancelled' || (o.status === 'closed' && !o.paidAt) ? o.payableTotal : o.paidTotal,
    totalLabel: o.paidAt ? '实付款' : o.status === 'pending_payment' ? '需付款' : '订单金额',
    refunded: o.refundedTotal,
  });
  const shipments = tracking.data?.items ?? [];
  const times: [string, string | null][] = [
    ['下单时间', o.createdAt],
    ['支付时间', o.paidAt],
    ['发货时间', o.shippedAt],
    ['送达时间', o.deliveredAt],
    ['完成时间', o.completedAt],
  ];

  return (
    <View className="order">
      <View className={`order__banner order__banner--${view.tone}`} data-testid="order-banner">
        <Text className="order__status" data-testid="order-status">
          {view.label}
        </Text>
        <Text className="order__desc">{view.desc}</Text>
        {o.status === 'pending_payment' && o.expiresAt && (
          <View className="order__timer">
            <Text className="order__timer-label">剩余</Text>
            <Countdown
              className="order__countdown"
              target={o.expiresAt}
              offset={0}
              testId="order-countdown"
              onEnd={() => void order.reload()}
            />
            <Text className="order__timer-label">自动关闭</Text>
          </View>
        )}
        {(o.status === 'shipped' || o.status === 'delivered') && o.autoConfirmAt && (
          <Text className="order__desc order__desc--sub">{formatTime(o.autoConfirmAt)} 后将自动确认收货</Text>
        )}
      </View>

      {shipped && (
        <View className="order__card" data-testid="order-timeline">
          <Text className="order__card-title">物流信息</Text>
          {shipments.length === 0 ? (
            <Text className="order__muted">{tracking.loading ? '物流信息加载中…' : '包裹已发出，暂无物流轨迹'}</Text>
          ) : (
            shipments.map((s, si) => (
              <View key={s.id} className="order__parcel">
                <View className="order__parcel-head">
                  <Text className="order__parcel-name">
                    {shipments.length > 1 ? `包裹${si + 1} · ` : ''}
                    {s.carrierName} {s.trackingNo}
                  </Text>
                  <Text className="order__parcel-status">{trackingStatusLabel(s.status)}</Text>
                </View>
                {s.events.length === 0 ? (
                  <Text className="order__muted">已发货，等待快递揽收</Text>
                ) : (
                  newestFirst(s.events).map((ev, i) => (
                    <View
                      key={`${ev.at}-${i}`}
                      className={`order__ev${i === 0 ? ' order__ev--latest' : ''}`}
                      data-testid="order-tracking-event"
                    >
                      <View className="order__ev-dot" />
                      <View className="order__ev-body">
                        <Text className="order__ev-title">
                          {trackingStatusLabel(ev.status)}
                          {ev.location ? ` · ${ev.location}` : ''}
                        </Text>
                        <Text className="order__ev-desc">{ev.description}</Text>
                        <Text className="order__ev-time">{formatTime(ev.at, { year: true })}</Text>
                      </View>
                    </View>
                  ))
                )}
              </View>
            ))
          )}
        </View>
      )}

      {teamId && (
        <View className="order__card order__group" data-testid="order-group" onClick={() => void go('team', { id: teamId })}>
          <Text className="order__group-tag">拼团</Text>
          <Text className="order__group-text">{o.awaitingGroup ? '拼团中，邀请好友参团，人满即发货' : '查看拼团详情'}</Text>
          <Text className="order__arrow">›</Text>
        </View>
      )}

      <View className="order__card order__card--flush">
        <AddressCard address={o.address} testId="order-address" />
      </View>

      <View className="order__card">
        <Text className="order__card-title">{merchantLabel(o.merchantId)}</Text>
        {o.lines.map((l) => {
          const left = remainingQty(l, reserved);
          const reviewable = reviewLines.has(l.id);
          const inProgress = reserved.get(l.id)?.quantity ?? 0;
          const note = [l.refundedQuantity > 0 ? `已退款${l.refundedQuantity}件` : '', inProgress > 0 ? `售后中${inProgress}件` : '']
            .filter(Boolean)
            .join(' · ');
          return (
            <OrderLine
              key={l.id}
              testId="order-line"
              imageUrl={l.imageUrl}
              title={l.title}
              specKey={l.specKey}
              unitPrice={l.unitPrice}
              quantity={l.quantity}
              note={note || undefined}
              onClick={() => void go('product', { id: l.productId })}
              extra={
                <>
                  {reviewable && (
                    <Button
                      className="order__line-btn"
                      data-testid="order-review"
                      data-line-id={l.id}
                      onClick={(e) => {
                        e.stopPropagation();
                        void go('writeReview', { orderLineId: l.id, title: l.title, image: l.imageUrl ?? '' });
                      }}
                    >
                      评价
                    </Button>
                  )}
                  {view.lineAfterSale && left > 0 ? (
                    <Button
                      className="order__line-btn"
                      data-testid="order-after-sale"
                      data-line-id={l.id}
                      onClick={(e) => {
                        e.stopPropagation();
                        void go('afterSale', { orderId: o.id, lineId: l.id });
                      }}
                    >
                      {o.status === 'paid' ? '退款' : '申请售后'}
                    </Button>
                  ) : null}
                </>
              }
            />
          );
        })}
        <View className="order__amounts" data-testid="order-amounts">
          {rows.map((r) => (
            <View
              key={r.key}
              className={`order__amount order__amount--${r.kind}`}
              data-testid={r.kind === 'discount' ? 'order-discount' : undefined}
            >
              <Text className="order__amount-label">{r.label}</Text>
              {r.kind === 'total' ? (
                <Price fen={r.amount} size="md" testId="order-paid" />
              ) : (
                <Text className="order__amount-value">
                  {r.note ?? (r.kind === 'discount' ? `-${formatFen(-r.amount)}` : formatFen(r.amount))}
                </Text>
              )}
            </View>
          ))}
        </View>
      </View>

      {asList.length > 0 && (
        <View className="order__card">
          <Text className="order__card-title">售后记录</Text>
          {asList.map((a) => (
            <View key={a.id} className="order__as" data-testid="order-after-sale-item" onClick={() => void go('afterSales')}>
              <Text className="order__as-type">{AFTER_SALE_TYPE_LABEL[a.type as AfterSaleType] ?? '售后'}</Text>
              <Text className="order__as-status">{afterSaleStatusLabel(a.type, a.status)}</Text>
              {a.type !== 'exchange' && <Text className="order__as-amount">{formatFen(a.refundAmount)}</Text>}
              <Text className="order__arrow">›</Text>
            </View>
          ))}
        </View>
      )}

      <View className="order__card" data-testid="order-info">
        <View className="order__info">
          <Text className="order__info-label">订单编号</Text>
          <Text className="order__info-value" data-testid="order-no">
            {o.orderNo}
          </Text>
          <Text className="order__copy" onClick={() => void Taro.setClipboardData({ data: o.orderNo })}>
            复制
          </Text>
        </View>
        {times
          .filter(([, t]) => !!t)
          .map(([label, t]) => (
            <View key={label} className="order__info">
              <Text className="order__info-label">{label}</Text>
              <Text className="order__info-value">{formatTime(t, { year: true })}</Text>
            </View>
          ))}
        {o.buyerNote ? (
          <View className="order__info">
            <Text className="order__info-label">订单备注</Text>
            <Text className="order__info-value">{o.buyerNote}</Text>
          </View>
        ) : null}
      </View>

      <View className="order__card order__service" data-testid="order-service" onClick={() => void go('service', { orderId: o.id })}>
        <Text>对订单有疑问？</Text>
        <Text className="order__service-link">联系客服 ›</Text>
      </View>

      <View className="order__spacer" />
      {view.actions.some((a) => a !== 'logistics' && a !== 'afterSale') && (
        <View className="order__bar">
          {view.actions.includes('cancel') && (
            <Button
              className="order__btn"
              data-testid="order-cancel"
              disabled={busy || undefined}
              onClick={() =>
                void act(
                  '取消订单',
                  '确定要取消这个订单吗？同一次下单的其他订单也会一起取消',
                  () => api.call('cancelOrder', { path: { orderId: o.id }, body: { reason: '买家取消' } }),
                  '已取消',
                )
              }
            >
              取消订单
            </Button>
          )}
          {view.actions.includes('refund') && (
            <Button className="order__btn" data-testid="order-refund" onClick={() => void go('afterSale', { orderId: o.id })}>
              申请退款
            </Button>
          )}
          {view.actions.includes('confirm') && (
            <Button
              className="order__btn order__btn--primary"
              data-testid="order-confirm"
              disabled={busy || undefined}
              onClick={() =>
                void act(
                  '确认收货',
                  '请确认已收到商品，确认后订单完成',
                  () => api.call('confirmReceipt', { path: { orderId: o.id } }),
                  '已确认收货',
                )
              }
            >
              确认收货
            </Button>
          )}
          {view.actions.includes('team') && teamId && (
            <Button className="order__btn order__btn--primary" data-testid="order-team" onClick={() => void go('team', { id: teamId })}>
              邀请好友
            </Button>
          )}
          {view.actions.includes('pay') && (
            <Button className="order__btn order__btn--primary" data-testid="order-pay" onClick={() => void go('pay', { orderId: o.id })}>
              去支付
            </Button>
          )}
        </View>
      )}
    </View>
  );
}
