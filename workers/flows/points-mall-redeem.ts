// redeemPointsMallItem: one exchange in the points mall (积分商城) — the mall's stock, the shopper's
// limit and points (members), the coupon issue or the lottery chances (promotions), or an order
// for goods (orders, catalog stock, addresses, freight) — written in ONE D1 batch.
import { type Ctx, shopperId } from '../shared/context';
import { AppError, conflict, routine } from '../shared/errors';
import { newId } from '../shared/ids';
import { batchFailure } from '../shared/db';
import { encryptPii, sha256Hex } from '../shared/crypto';
import { requireSecret } from '../shared/env';
import { emit } from '../shared/events';
import { PaymentTimeout } from '../domains/orders/events';
import { createCheckoutStatements } from '../domains/orders/order-create';
import { checkoutPaidStatements, getOrderRow, transitionStatements } from '../domains/orders/orders.service';
import { getSkuSnapshots } from '../domains/catalog/sku-snapshots.service';
import { alertStatements, notifyRaisedAlerts, raisedAlerts, stockChangeStatements } from '../domains/catalog/stock.service';
import { getAddressForQuickOrder } from '../domains/addresses/addresses.service';
import { shippingQuoter } from '../domains/logistics/freight.service';
import { issueCouponStatements } from '../domains/promotions/coupons/issue';
import { templateRow } from '../domains/promotions/coupons/templates.service';
import { grantLotteryChancesStatements } from '../domains/promotions/lottery/lottery.service';
import { notifyOrderPaid } from '../domains/notifications/events';
import { pointsBalance } from '../domains/members/points.service';
import { mallItemRow, type MallItemRow } from '../domains/members/mall/items.service';
import {
  assertExchangeable,
  exchangeByKey,
  exchangeDto,
  exchangeStatements,
  type ExchangePlan,
  type ExchangeRow,
} from '../domains/members/mall/exchange.service';
import type { RedeemPointsMallItemInput } from '../domains/members/mall/dto';
import { paymentTimeoutMs } from './checkout';

/** The order of a goods exchange, ids fixed by the exchange's (so its timeline and records agree). */
const orderIdsOf = (exchangeId: string) => {
  const suffix = exchangeId.slice(exchangeId.indexOf('_') + 1);
  return { orderId: `ord_${suffix}`, checkoutId: `chk_${suffix}` };
};

/** Timeline entries written in one batch sort by time: the "paid" entry goes 1 ms after "created". */
const later = (ctx: Ctx): Ctx => ({ ...ctx, now: ctx.now + 1 });

const soldOut = (what = 'sold out (已兑完)') => routine(conflict('members.mall_sold_out', what, { stock: 0 }));

interface Effects {
  stmts: D1PreparedStatement[];
  plan: Partial<ExchangePlan>;
  /** run once the batch committed */
  after?: (results: D1Result[], offset: number) => Promise<void>;
  /** why the batch may have failed besides the mall's own guards (null: not this) */
  explain?: () => Promise<AppError | null>;
}

async function couponEffects(ctx: Ctx, item: MallItemRow, userId: string, exchangeId: string, quantity: number): Promise<Effects> {
  const t = await templateRow(ctx, item.couponTemplateId!);
  const unavailable = () =>
    t.status !== 'active' || t.issuedCount + quantity > t.totalQuantity ? soldOut('the coupons of this item have run out (已兑完)') : null;
  const early = unavailable();
  if (early) throw early;
  const stmts: D1PreparedStatement[] = [];
  let couponId: string | null = null;
  for (let n = 0; n < quantity; n++) {
    // One coupon per unit, each under its own grant key (user, `mall:<exchange>:<n>`): never issued twice.
    const issued = issueCouponStatements(ctx, t, {
      userId,
      channel: 'points_mall',
      grantKey: `mall:${exchangeId}:${n}`,
      enforcePerUserLimit: false,
    });
    couponId ??= issued.couponId;
    stmts.push(...issued.stmts);
  }
  return {
    stmts,
    plan: { couponId },
    explain: async () => {
      const now = await templateRow(ctx, t.id);
      return now.status !== 'active' || now.issuedCount + quantity > now.totalQuantity
        ? soldOut('the coupons of this item have run out (已兑完)')
        : null;
    },
  };
}

function chanceEffects(ctx: Ctx, item: MallItemRow, userId: string, exchangeId: string, quantity: number): Effects {
  return {
    stmts: grantLotteryChancesStatements(ctx, {
      lotteryId: item.lotteryId!,
      userId,
      chances: (item.chances ?? 1) * quantity,
      source: 'points_mall',
      ref: `mall:${exchangeId}`,
    }),
    plan: {},
    explain: async () => conflict('members.mall_item_unavailable', 'the lottery of this item is over or disabled'),
  };
}

/**
 * A goods exchange is an ordinary order: the catalog's list price with a 积分兑换 discount line down
 * to the cash part, freight by the merchant's template unless the item ships free, the units taken
 * from normal stock (guarded like checkout). With something to pay it waits for payOrder and closes
 * on the payment timeout like any order (the close gives the points and the mall stock back). With
 * nothing to pay (points only, free shipping) it is paid at once: the same checkout and order
 * transitions a payment applies, in the same batch, without a WeChat payment (there is no money).
 */
async function goodsEffects(
  ctx: Ctx,
  item: MallItemRow,
  userId: string,
  exchangeId: string,
  input: RedeemPointsMallItemInput,
  key: string,
): Promise<Effects> {
  const q = input.quantity;
  const sku = (await getSkuSnapshots(ctx, [item.skuId!])).get(item.skuId!);
  if (!sku || !sku.sellable) throw conflict('members.mall_item_unavailable', 'this product cannot be shipped any more (已下架)');
  if (sku.stock < q) throw soldOut('out of stock (库存不足)');
  const address = await getAddressForQuickOrder(ctx, userId, input.addressId);
  const payableGoods = item.cashPrice * q;
  const shippingFee = item.freeShipping
    ? 0
    : (await shippingQuoter(ctx, [sku.merchantId]))({
        merchantId: sku.merchantId,
        province: address.province,
        goodsTotal: payableGoods,
        lines: [{ weightG: sku.weightG, quantity: q }],
      }).fee;
  const listPrice = Math.max(sku.price, item.cashPrice);
  const lineTotal = listPrice * q;
  const discount = lineTotal - payableGoods;
  const payableTotal = payableGoods + shippingFee;
  const { orderId, checkoutId } = orderIdsOf(exchangeId);
  const expiresAt = ctx.now + paymentTimeoutMs(ctx);
  const { stmts, created } = createCheckoutStatements(ctx, {
    checkoutId,
    userId,
    idempotencyKey: `pm:${exchangeId}`,
    requestHash: await sha256Hex(`pm:${key}`),
    expiresAt,
    addressEnc: await encryptPii(requireSecret(ctx.env, 'PII_KEYS'), JSON.stringify(address)),
    addressRegion: address.province,
    buyerNote: input.buyerNote,
    orders: [
      {
        orderId,
        merchantId: sku.merchantId,
        goodsTotal: lineTotal,
        discountTotal: discount,
        shippingFee,
        payableTotal,
        discounts:
          discount > 0
            ? [{ source: 'points_mall', sourceId: item.id, label: `积分兑换（${item.pointsPrice * q}积分）`, amount: discount }]
            : [],
        lines: [
          {
            skuId: sku.skuId,
            productId: sku.productId,
            title: sku.title,
            specKey: sku.specKey,
            mediaKey: sku.mediaKey,
            unitPrice: listPrice,
            quantity: q,
            lineTotal,
            discountShare: discount,
            payable: payableGoods,
          },
        ],
      },
    ],
  });
  const line = created[0]!.lines[0]!;
  // Guarded decrement (CHECK stock >= 0); the close of an unpaid order returns it (ref rel:<line>).
  stmts.push(
    ...stockChangeStatements(ctx, {
      skuId: sku.skuId,
      productId: sku.productId,
      change: { delta: -q },
      reason: 'sale',
      ref: `ord:${line.lineId}`,
    }),
  );
  const alertId = newId('alr');
  const alertAt = stmts.length;
  stmts.push(alertStatements(ctx, sku.skuId, alertId)[0]);
  const paidNow = payableTotal === 0;
  if (paidNow)
    stmts.push(
      ...checkoutPaidStatements(ctx, checkoutId),
      ...transitionStatements(
        later(ctx),
        orderId,
        ['pending_payment'],
        'paid',
        { paidAt: ctx.now, paidTotal: 0 },
        { type: 'paid', actorType: 'system', note: '积分兑换，无需支付' },
      ),
    );
  return {
    stmts,
    plan: { orderId, checkoutId, status: paidNow ? 'completed' : 'pending_payment' },
    after: async (results, offset) => {
      await notifyRaisedAlerts(ctx, raisedAlerts(results, [[offset + alertAt, alertId]]));
      const o = await getOrderRow(ctx, orderId);
      if (paidNow) {
        await notifyOrderPaid(ctx, { userId, orderId, orderNo: o.orderNo, amount: 0 });
        return;
      }
      try {
        await emit(
          ctx,
          PaymentTimeout,
          { checkoutId },
          { id: `timeout:${checkoutId}`, delaySeconds: Math.ceil(paymentTimeoutMs(ctx) / 1000) },
        );
      } catch (err) {
        // The cron sweep closes expired checkouts too; the message only makes it prompt.
        ctx.log.error('payment timeout message not enqueued', { checkoutId, err: String(err) });
      }
    },
    explain: async () => {
      const now = (await getSkuSnapshots(ctx, [sku.skuId])).get(sku.skuId);
      return !now || now.stock < q ? soldOut('out of stock (库存不足)') : null;
    },
  };
}

/** The same key with another item or quantity is a client bug: refuse it rather than answer with an unrelated exchange. */
function assertSameExchange(prior: ExchangeRow, itemId: string, quantity: number): void {
  if (prior.itemId !== itemId || prior.quantity !== quantity)
    throw conflict('members.idempotency_key_reused', 'this Idempotency-Key was used for a different exchange');
}

async function replayed(ctx: Ctx, prior: ExchangeRow, userId: string) {
  return { ...(await exchangeDto(ctx, prior)), replayed: true, points: await pointsBalance(ctx, userId) };
}

/**
 * redeemPointsMallItem (shopper). Requires an Idempotency-Key: a repeat returns the first
 * exchange (`replayed`). Cheap refusals first (assertExchangeable), then ONE batch: the mall's
 * statements (exchange row, item guard, stock, limit, points — exchangeStatements) and the item's
 * effect (coupon, chances, or the order). Whatever a concurrent crowd does, either all of it lands
 * or none: stock never oversold, the limit and the balance never exceeded. A failed batch is
 * explained by reading again (sold out, limit, points, …).
 */
export async function redeemPointsMallItem(ctx: Ctx, itemId: string, input: RedeemPointsMallItemInput, key: string) {
  const userId = shopperId(ctx, 'only shoppers exchange points');
  const prior = await exchangeByKey(ctx, userId, key);
  if (prior) {
    assertSameExchange(prior, itemId, input.quantity);
    return replayed(ctx, prior, userId);
  }

  const item = await mallItemRow(ctx, itemId);
  await assertExchangeable(ctx, item, userId, input.quantity);
  const exchangeId = newId('pmx');
  const fx =
    item.kind === 'coupon'
      ? await couponEffects(ctx, item, userId, exchangeId, input.quantity)
      : item.kind === 'lottery_chance'
        ? chanceEffects(ctx, item, userId, exchangeId, input.quantity)
        : await goodsEffects(ctx, item, userId, exchangeId, input, key);
  const mall = exchangeStatements(ctx, {
    id: exchangeId,
    userId,
    item,
    quantity: input.quantity,
    idempotencyKey: key,
    status: 'completed',
    ...fx.plan,
  });
  let results: D1Result[];
  try {
    results = await ctx.env.DB.batch([...mall, ...fx.stmts]);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'unique') {
      // The same key landed concurrently: answer like a repeat.
      const first = await exchangeByKey(ctx, userId, key);
      if (first) {
        assertSameExchange(first, itemId, input.quantity);
        return replayed(ctx, first, userId);
      }
    }
    if (kind === 'guard' || kind === 'check') {
      await assertExchangeable(ctx, await mallItemRow(ctx, itemId), userId, input.quantity);
      const other = await fx.explain?.();
      if (other) throw other;
      throw routine(conflict('members.mall_busy', 'the item changed while exchanging (price or stock); look again and retry'));
    }
    throw e;
  }
  await fx.after?.(results, mall.length);
  const row = (await exchangeByKey(ctx, userId, key))!;
  ctx.log.info('points mall exchange', { exchangeId, itemId, kind: item.kind, quantity: input.quantity });
  return { ...(await exchangeDto(ctx, row)), replayed: false, points: await pointsBalance(ctx, userId) };
}
