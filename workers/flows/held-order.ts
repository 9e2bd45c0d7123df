import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { newId } from '../shared/ids';
import { batchFailure } from '../shared/db';
import { encryptPii, sha256Hex } from '../shared/crypto';
import { requireSecret } from '../shared/env';
import { emit, envelope } from '../shared/events';
import { getSkuSnapshots } from '../domains/catalog/sku-snapshots.service';
import type { getAddressForQuickOrder } from '../domains/addresses/addresses.service';
import { shippingQuoter } from '../domains/logistics/freight.service';
import { createCheckoutStatements, type OrderDraft } from '../domains/orders/order-create';
import { checkoutKeyOf, existingCheckoutKeys, findCheckoutByKey, listOrdersOfCheckout } from '../domains/orders/orders.service';
import { PaymentTimeout, PaymentTimeouts } from '../domains/orders/events';

export type QuickAddress = Awaited<ReturnType<typeof getAddressForQuickOrder>>;

export interface HeldOrderInput {
  userId: string;
  /** Checkout idempotency key derived from the hold (fs:<reservation>, gb:<seat>): one order per hold. */
  key: string;
  skuId: string;
  merchantId: string;
  quantity: number;
  /** fen per unit the shopper pays */
  unitPrice: number;
  discount: { source: string; sourceId: string; label: string };
  address: QuickAddress;
  buyerNote: string;
  expiresAt: number;
  promo: NonNullable<OrderDraft['promo']>;
  /** Fixed ids (derived from the hold), so the order is created once whoever creates it first. */
  ids?: { checkoutId: string; orderId: string };
  /** Written in the same batch as the order (e.g. the group-buy team's D1 row). */
  alsoWrite?: D1PreparedStatement[];
}

export interface HeldOrderSummary {
  orderId: string;
  orderNo: string;
  checkoutId: string;
  status: string;
  payableTotal: number;
  expiresAt: string | null;
}

export async function findHeldOrder(ctx: Ctx, userId: string, key: string): Promise<HeldOrderSummary | null> {
  const c = await findCheckoutByKey(ctx, userId, key);
  if (!c) return null;
  const [o] = await listOrdersOfCheckout(ctx, c.id);
  if (!o) return null;
  return { orderId: o.id, orderNo: o.orderNo, checkoutId: c.id, status: o.status, payableTotal: o.payableTotal, expiresAt: o.expiresAt };
}

/**
 * The pending order for units held by a SKU's Durable Object (flash-sale reservation, group-buy
 * seat), created once: the checkout's unique (user, key) makes a concurrent or repeated creation
 * find the first. The line is priced at the list price with a discount line down to the promo
 * price, so the breakdown explains itself; no normal stock moves (the units left it when the
 * promotion was created). A delayed queue message closes it if unpaid by `expiresAt`.
 */
export async function ensureHeldOrder(ctx: Ctx, i: HeldOrderInput): Promise<HeldOrderSummary> {
  const found = await findHeldOrder(ctx, i.userId, i.key);
  if (found) return found;
  const sku = (await getSkuSnapshots(ctx, [i.skuId])).get(i.skuId);
  if (!sku) throw new AppError('orders.sku_gone', 409, 'this product no longer exists');
  const quote = await shippingQuoter(ctx, [i.merchantId]);
  try {
    await ctx.env.DB.batch(await heldOrderStatements(ctx, i, sku, quote));
  } catch (e) {
    if (batchFailure(e) !== 'unique') throw e; // a concurrent retry created it first
  }
  const created = await findHeldOrder(ctx, i.userId, i.key);
  if (!created) throw new AppError('internal', 500, 'order vanished after creation');
  try {
    await emit(
      ctx,
      PaymentTimeout,
      { checkoutId: created.checkoutId },
      { id: `timeout:${created.checkoutId}`, delaySeconds: timeoutDelay(ctx, i) },
    );
  } catch (err) {
    ctx.log.error('payment timeout message not enqueued; the cron sweep will close it', {
      checkoutId: created.checkoutId,
      err: String(err),
    });
  }
  return created;
}

/**
 * ensureHeldOrder for a queue batch (flash-sale orders written off the hot path): the orders that
 * do not exist yet are written in ONE D1 batch and their payment timeouts in one delayed message, so a
 * batch of 20 costs a handful of round trips instead of nine per order. Every input needs fixed
 * `ids`. Returns the answer per input (in order): 'written', 'exists', or the AppError that makes
 * it impossible (the SKU is gone). If the shared batch hits a unique key (a poll wrote one of them
 * at the same moment), each order is written on its own instead — same result, slower.
 */
export async function ensureHeldOrders(ctx: Ctx, items: HeldOrderInput[]): Promise<('written' | 'exists' | AppError)[]> {
  const existing = await existingCheckoutKeys(
    ctx,
    items.map((i) => ({ userId: i.userId, key: i.key })),
  );
  const out: ('written' | 'exists' | AppError)[] = items.map((i) => (existing.has(checkoutKeyOf(i.userId, i.key)) ? 'exists' : 'written'));
  const todo = items.flatMap((i, n) => (out[n] === 'written' ? [{ i, n }] : []));
  if (!todo.length) return out;
  const [skus, quote] = await Promise.all([
    getSkuSnapshots(ctx, [...new Set(todo.map((t) => t.i.skuId))]),
    shippingQuoter(ctx, [...new Set(todo.map((t) => t.i.merchantId))]),
  ]);
  const writable: typeof todo = [];
  for (const t of todo) {
    if (skus.has(t.i.skuId)) writable.push(t);
    else out[t.n] = new AppError('orders.sku_gone', 409, 'this product no longer exists');
  }
  const built = await Promise.all(
    writable.map((t) =>
      heldOrderStatements(ctx, t.i, skus.get(t.i.skuId)!, quote).catch((err: unknown) => {
        // e.g. the address is in a region the merchant does not ship to: final for this order only
        if (err instanceof AppError && err.status < 500) return err;
        throw err;
      }),
    ),
  );
  const stmts: D1PreparedStatement[] = [];
  built.forEach((b, k) => {
    if (b instanceof AppError) out[writable[k]!.n] = b;
    else stmts.push(...b);
  });
  const written = writable.filter((t) => out[t.n] === 'written');
  try {
    if (stmts.length) await ctx.env.DB.batch(stmts);
  } catch (e) {
    if (batchFailure(e) !== 'unique') throw e;
    for (const t of written) {
      try {
        await ensureHeldOrder(ctx, t.i);
      } catch (err) {
        if (err instanceof AppError && err.status < 500) out[t.n] = err;
        else throw err;
      }
    }
    return out;
  }
  // One delayed message for the whole batch (per 100), due when the last of its windows ends.
  const timeouts = [];
  for (let k = 0; k < written.length; k += 100) {
    const part = written.slice(k, k + 100);
    const checkoutIds = part.map((t) => t.i.ids!.checkoutId);
    timeouts.push({
      body: envelope(PaymentTimeouts, { checkoutIds }, `timeouts:${checkoutIds[0]}:${checkoutIds.length}`, ctx.now),
      delaySeconds: Math.max(...part.map((t) => timeoutDelay(ctx, t.i))),
    });
  }
  try {
    if (timeouts.length) await ctx.env.SETTLEMENT.sendBatch(timeouts);
  } catch (err) {
    ctx.log.error('payment timeout messages not enqueued; the cron sweep will close them', { n: written.length, err: String(err) });
  }
  return out;
}

const timeoutDelay = (ctx: Ctx, i: HeldOrderInput) => Math.ceil(Math.max(1000, i.expiresAt - ctx.now) / 1000);

type SkuSnapshot = NonNullable<Awaited<ReturnType<typeof getSkuSnapshots>> extends Map<string, infer V> ? V : never>;

/** The statements that write one held order (checkout, order, line, event), for one D1 batch. */
async function heldOrderStatements(
  ctx: Ctx,
  i: HeldOrderInput,
  sku: SkuSnapshot,
  quote: Awaited<ReturnType<typeof shippingQuoter>>,
): Promise<D1PreparedStatement[]> {
  const listPrice = Math.max(sku.price, i.unitPrice);
  const lineTotal = listPrice * i.quantity;
  const payableGoods = i.unitPrice * i.quantity;
  const discount = lineTotal - payableGoods;
  const shipping = quote({
    merchantId: i.merchantId,
    province: i.address.province,
    goodsTotal: payableGoods,
    lines: [{ weightG: sku.weightG, quantity: i.quantity }],
  });
  const [requestHash, addressEnc] = await Promise.all([
    sha256Hex(i.key),
    encryptPii(requireSecret(ctx.env, 'PII_KEYS'), JSON.stringify(i.address)),
  ]);
  const { stmts } = createCheckoutStatements(ctx, {
    checkoutId: i.ids?.checkoutId ?? newId('chk'),
    userId: i.userId,
    idempotencyKey: i.key,
    requestHash,
    expiresAt: i.expiresAt,
    addressEnc,
    addressRegion: i.address.province,
    buyerNote: i.buyerNote,
    orders: [
      {
        merchantId: i.merchantId,
        goodsTotal: lineTotal,
        discountTotal: discount,
        shippingFee: shipping.fee,
        payableTotal: payableGoods + shipping.fee,
        discounts: discount > 0 ? [{ ...i.discount, amount: discount }] : [],
        lines: [
          {
            skuId: sku.skuId,
            productId: sku.productId,
            title: sku.title,
            specKey: sku.specKey,
            mediaKey: sku.mediaKey,
            unitPrice: listPrice,
            quantity: i.quantity,
            lineTotal,
            discountShare: discount,
            payable: payableGoods,
          },
        ],
        promo: i.promo,
        orderId: i.ids?.orderId,
      },
    ],
  });
  return [...stmts, ...(i.alsoWrite ?? [])];
}
