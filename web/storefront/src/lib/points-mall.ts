/**
 * The points mall (积分商城): how an item's price, limit and button read, and how an exchange
 * record reads. Pure: no Taro.
 */
import type { OperationResult } from '@edgemall/client/operation-client';
import { fenToYuanString } from './format';

export type PointsMall = OperationResult<'listPointsMallItems'>;
export type MallItem = PointsMall['items'][number];
export type MallItemDetail = OperationResult<'getPointsMallItem'>;
export type MallKind = MallItem['kind'];
export type Exchange = OperationResult<'listMyPointsMallExchanges'>['items'][number];
export type RedeemResult = OperationResult<'redeemPointsMallItem'>;

export const KIND_LABEL: Record<MallKind, string> = { goods: '实物好礼', coupon: '优惠券', lottery_chance: '抽奖机会' };

/** Tabs: 全部 then the kinds that have items, in the server's order. */
export function mallTabs(m: Pick<PointsMall, 'kinds'>): { key: MallKind | 'all'; text: string }[] {
  return [{ key: 'all', text: '全部' }, ...m.kinds.map((k) => ({ key: k.kind, text: KIND_LABEL[k.kind] }))];
}

/** "500积分", "500积分 + ¥9.90" (per unit × quantity). */
export function priceText(i: Pick<MallItem, 'pointsPrice' | 'cashPrice'>, quantity = 1): string {
  const pts = `${i.pointsPrice * quantity}积分`;
  return i.cashPrice > 0 ? `${pts} + ¥${fenToYuanString(i.cashPrice * quantity)}` : pts;
}

/** The small line under an item: limit and what is left. */
export function limitText(i: Pick<MallItem, 'limitPerUser' | 'limitPeriod' | 'me'>): string | null {
  if (i.limitPerUser == null) return null;
  const base = i.limitPeriod === 'day' ? `每人每天限兑${i.limitPerUser}件` : `每人限兑${i.limitPerUser}件`;
  return i.me && i.me.remaining !== null ? `${base}，还可兑${i.me.remaining}件` : base;
}

export interface RedeemButton {
  text: string;
  /** tappable (the server still decides) */
  ready: boolean;
  /** why not, as a toast when tapped */
  reason?: string;
}

/** 立即兑换 or why not: not started, sold out, limit used, points short, tier. */
export function redeemButton(
  i: Pick<MallItem, 'state' | 'stock' | 'pointsPrice' | 'me' | 'startsAt'> & { minTierName?: string | null },
  points: number | null,
  quantity = 1,
): RedeemButton {
  if (i.state === 'upcoming') return { text: '即将开始', ready: false, reason: '兑换尚未开始' };
  if (i.state !== 'live') return { text: '已结束', ready: false, reason: '兑换已结束' };
  if (i.stock <= 0) return { text: '已兑完', ready: false, reason: '已兑完，下次早点来' };
  if (i.me && !i.me.tierOk)
    return {
      text: '会员专享',
      ready: false,
      reason: i.minTierName ? `该商品仅限${i.minTierName}及以上兑换` : '该商品仅限更高等级会员兑换',
    };
  if (i.me && i.me.remaining === 0) return { text: '已达兑换上限', ready: false, reason: '你已达到兑换上限' };
  if (points !== null && points < i.pointsPrice * quantity)
    return { text: '积分不足', ready: false, reason: `积分不足，还差${i.pointsPrice * quantity - points}积分` };
  return { text: '立即兑换', ready: true };
}

/** What the shopper got, on the success card and in the records. */
export function exchangeSummary(x: Pick<Exchange, 'kind' | 'chances' | 'quantity' | 'status' | 'order'>): string {
  if (x.kind === 'coupon') return x.quantity > 1 ? `${x.quantity}张优惠券已放入「我的优惠券」` : '优惠券已放入「我的优惠券」';
  if (x.kind === 'lottery_chance') return `已获得${x.chances ?? x.quantity}次抽奖机会`;
  if (x.status === 'cancelled') return '订单未支付已取消，积分已退回';
  if (x.order?.status === 'pending_payment') return `待支付 ¥${fenToYuanString(x.order.payableTotal)}`;
  return '兑换成功，等待发货';
}

/** The status tag of a record. */
export function exchangeStatusText(x: Pick<Exchange, 'status' | 'order'>): string {
  if (x.status === 'cancelled') return '已取消';
  if (x.status === 'pending_payment') return '待支付';
  const s = x.order?.status;
  if (s === 'shipped' || s === 'delivered') return '已发货';
  if (s === 'completed') return '已完成';
  if (s === 'paid') return '待发货';
  return '兑换成功';
}
