import type { Ctx } from '../shared/context';
import { listMyOrders } from '../domains/orders/orders.service';
import { afterSaleWindowMs } from '../domains/orders/settlement-queries';
import { listShipments } from '../domains/logistics/shipments.service';
import { pointsBalance } from '../domains/members/points.service';
import { listUsableCouponRows } from '../domains/promotions/coupons/coupons.service';
import { answerFromFaq } from '../domains/support/faq.service';
import { intentOf, type Intent } from '../domains/support/intents';

export interface BotAnswer {
  /** null: nobody could answer confidently, or the shopper asked for a person → a ticket */
  text: string | null;
  source: string;
  handoff: boolean;
}

const fmt = (isoTime: string) =>
  new Date(isoTime).toLocaleString('zh-CN', {
    timeZone: 'Asia/Shanghai',
    hour12: false,
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });

/** 物流: the latest tracking event of the shopper's most recently shipped (or else delivered) order. */
async function logisticsAnswer(ctx: Ctx): Promise<string> {
  const order =
    (await listMyOrders(ctx, { limit: 1, status: 'shipped' })).items[0] ??
    (await listMyOrders(ctx, { limit: 1, status: 'delivered' })).items[0];
  if (!order) return '您目前没有已发货的订单。订单发货后，可以在「我的订单」查看物流，也可以随时问我。';
  const shipments = await listShipments(ctx, order.id);
  const s = shipments.at(-1);
  if (!s) return `您的订单 ${order.orderNo} 已发货，物流信息稍后更新。`;
  const e = s.events[0];
  const where = e?.location ? `【${e.location}】` : '';
  const latest = e ? `${fmt(e.at)} ${where}${e.description}` : `${fmt(s.shippedAt)} 已发货，等待快递公司揽收`;
  return `您的订单 ${order.orderNo}（${s.carrierName} ${s.trackingNo}）最新物流：${latest}`;
}

/** 售后: the rule and where to apply. */
function aftersaleAnswer(ctx: Ctx): string {
  const days = Math.round(afterSaleWindowMs(ctx.env) / 86_400_000);
  return (
    `签收后 ${days} 天内可申请退货、退款或换货：打开「我的订单」→ 订单详情 →「申请售后」，选择商品和原因并上传照片，审核通过后按提示寄回。` +
    `售后进度见「退款/售后」：/pages/after-sales/index`
  );
}

/** 优惠券/积分: their usable coupons and points balance. */
async function benefitsAnswer(ctx: Ctx, userId: string): Promise<string> {
  const [coupons, points] = await Promise.all([listUsableCouponRows(ctx, userId), pointsBalance(ctx, userId)]);
  return `您有 ${coupons.length} 张可用优惠券，积分余额 ${points} 分（可在积分商城兑换或下单抵扣）。查看优惠券：/pages/coupons/index`;
}

/**
 * The auto-reply: the shopper's own data for the intents it knows, else the FAQ by BM25; below
 * the confidence threshold, or on 转人工, it hands over to a person. Offline and deterministic.
 */
export async function autoAnswer(ctx: Ctx, userId: string, text: string): Promise<BotAnswer> {
  const intent: Intent | null = intentOf(text);
  if (intent === 'handoff') return { text: null, source: 'handoff:requested', handoff: true };
  if (intent === 'logistics') return { text: await logisticsAnswer(ctx), source: 'intent:logistics', handoff: false };
  if (intent === 'aftersale') return { text: aftersaleAnswer(ctx), source: 'intent:aftersale', handoff: false };
  if (intent === 'benefits') return { text: await benefitsAnswer(ctx, userId), source: 'intent:benefits', handoff: false };
  const faq = await answerFromFaq(ctx, text);
  if (faq) return { text: faq.answer, source: `faq:${faq.id}`, handoff: false };
  return { text: null, source: 'handoff:low_confidence', handoff: true };
}
