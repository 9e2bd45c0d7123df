import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { newId } from '../shared/ids';
import { batchFailure } from '../shared/db';
import { encryptPii, sha256Hex } from '../shared/crypto';
import { requireSecret } from '../shared/env';
import { emit } from '../shared/events';
import { getSkuSnapshots } from '../domains/catalog/sku-snapshots.service';
import type { getAddressForQuickOrder } from '../domains/addresses/addresses.service';
import { quoteShipping } from '../domains/logistics/freight.service';
import { createCheckoutStatements, type OrderDraft } from '../domains/orders/order-create';
import { findCheckoutByKey, listOrdersOfCheckout } from '../domains/orders/orders.service';
import { PaymentTimeout } from '../domains/orders/events';

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
  const listPrice = Math.max(sku.price, i.unitPrice);
  const lineTotal = listPrice * i.quantity;
  const payableGoods = i.unitPrice * i.quantity;
  const discount = lineTotal - payableGoods;
  const shipping = await quoteShipping(ctx, {
    merchantId: i.merchantId,
    province: i.address.province,
    goodsTotal: payableGoods,
    lines: [{ weightG: sku.weightG, quantity: i.quantity }],
  });
  const { stmts } = createCheckoutStatements(ctx, {
    checkoutId: i.ids?.checkoutId ?? newId('chk'),
    userId: i.userId,
    idempotencyKey: i.key,
    requestHash: await sha256Hex(i.key),
    expiresAt: i.expiresAt,
    addressEnc: await encryptPii(requireSecret(ctx.env, 'PII_KEYS'), JSON.stringify(i.address)),
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
  try {
    await ctx.env.DB.batch([...stmts, ...(i.alsoWrite ?? [])]);
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
      { id: `timeout:${created.checkoutId}`, delaySeconds: Math.ceil(Math.max(1000, i.expiresAt - ctx.now) / 1000) },
    );
  } catch (err) {
    ctx.log.error('payment timeout message not enqueued; the cron sweep will close it', {
      checkoutId: created.checkoutId,
      err: String(err),
    });
  }
  return created;
}
