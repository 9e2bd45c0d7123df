import type { z } from '@hono/zod-openapi';
import type { Ctx } from '../shared/context';
import { AppError, badRequest, conflict, forbidden } from '../shared/errors';
import { newId } from '../shared/ids';
import { batchFailure, iso } from '../shared/db';
import { encryptPii, sha256Hex } from '../shared/crypto';
import { requireSecret } from '../shared/env';
import { emit } from '../shared/events';
import { enforceRateLimit } from '../shared/rate-limit';
import { getSkuSnapshots } from '../domains/catalog/sku-snapshots.service';
import { getAddressForQuickOrder } from '../domains/addresses/addresses.service';
import { quoteShipping } from '../domains/logistics/freight.service';
import { createCheckoutStatements } from '../domains/orders/order-create';
import { findCheckoutByKey, listOrdersOfCheckout } from '../domains/orders/orders.service';
import { assertSaleToken, getSaleRow, precheck, releaseReservation, reserveUnits } from '../domains/flash-sales/flash-sales.service';
import type { Reservation } from '../domains/flash-sales/rules';
import type { ReserveFlashSaleInput } from '../domains/flash-sales/dto';
import { PAYMENT_TIMEOUT_EVENT } from './checkout';

type FlashSaleRow = Awaited<ReturnType<typeof getSaleRow>>;

/**
 * reserveFlashSale: bot brakes (per-shopper and per-IP rate limits, the sale token when the sale
 * asks for one) and cheap refusals in the Worker; the SKU's Durable Object decides; then a pending
 * order holds the reservation until it is paid (SkuStock.confirm) or closed (release). The order
 * is keyed by the reservation, so a retry with the same Idempotency-Key returns the same
 * reservation and the same order, and a retry after a half-finished first attempt completes it.
 */
export async function reserveFlashSale(
  ctx: Ctx,
  saleId: string,
  input: z.output<typeof ReserveFlashSaleInput>,
  opts: { idempotencyKey?: string; token?: string; ip?: string },
) {
  if (ctx.actor.kind !== 'user') throw forbidden('only shoppers can reserve flash-sale units');
  const userId = ctx.actor.userId;
  const key = opts.idempotencyKey;
  if (!key || !/^[\w.:-]{8,100}$/.test(key))
    throw badRequest('flash_sales.idempotency_key_required', 'send an Idempotency-Key header (8–100 letters, digits, ._:-) so a retry cannot reserve twice');
  await enforceRateLimit(ctx.env.FLASH_SHOPPER_LIMITER, `u:${userId}`, 'flash_sales.rate_limited', 'too many attempts; wait a few seconds');
  if (opts.ip) await enforceRateLimit(ctx.env.FLASH_IP_LIMITER, `ip:${opts.ip}`, 'flash_sales.rate_limited', 'too many attempts from this network; wait a few seconds');

  const sale = await getSaleRow(ctx, saleId);
  await assertSaleToken(ctx, sale, userId, opts.token);
  precheck(sale, ctx.now);
  // Resolve the address before taking units: a shopper without one should not hold stock.
  const address = await getAddressForQuickOrder(ctx, userId, input.addressId);

  const out = await reserveUnits(ctx, sale, { shopperId: userId, quantity: input.quantity, idempotencyKey: key });
  const r = out.reservation;
  if (r.status === 'released' || r.status === 'expired')
    throw conflict('flash_sales.reservation_lapsed', 'the reservation made with this Idempotency-Key has lapsed; reserve again with a new key');
  let order;
  try {
    order = await ensureOrder(ctx, sale, r, address, input.buyerNote);
  } catch (e) {
    // No order, no hold: give the units back at once rather than at the reservation's expiry.
    if (!out.replayed) await releaseReservation(ctx, sale.skuId, r.id).catch((err) => ctx.log.error('release after failed order', { reservationId: r.id, err: String(err) }));
    throw e;
  }
  return {
    reservationId: r.id,
    saleId: r.saleId,
    quantity: r.quantity,
    status: r.status,
    salePrice: sale.salePrice,
    expiresAt: order.expiresAt ?? iso(r.expiresAt)!,
    replayed: out.replayed,
    order,
  };
}

const orderKey = (reservationId: string) => `fs:${reservationId}`;

async function existingOrder(ctx: Ctx, userId: string, reservationId: string) {
  const c = await findCheckoutByKey(ctx, userId, orderKey(reservationId));
  if (!c) return null;
  const [o] = await listOrdersOfCheckout(ctx, c.id);
  if (!o) return null;
  return { orderId: o.id, orderNo: o.orderNo, checkoutId: c.id, status: o.status, payableTotal: o.payableTotal, expiresAt: o.expiresAt };
}

/**
 * The pending order for a reservation, created once: the checkout's unique (user, key) makes a
 * concurrent or repeated creation find the first one. The line is priced at the list price with a
 * 限时秒杀 discount line down to the sale price, so the breakdown explains itself; no stock moves
 * (the units left normal stock when the sale was created).
 */
async function ensureOrder(ctx: Ctx, sale: FlashSaleRow, r: Reservation, address: Awaited<ReturnType<typeof getAddressForQuickOrder>>, buyerNote: string) {
  const userId = r.shopperId;
  const found = await existingOrder(ctx, userId, r.id);
  if (found) return found;
  const sku = (await getSkuSnapshots(ctx, [sale.skuId])).get(sale.skuId);
  if (!sku) throw new AppError('flash_sales.sku_gone', 409, 'the product of this sale no longer exists');
  const listPrice = Math.max(sku.price, sale.salePrice);
  const lineTotal = listPrice * r.quantity;
  const payableGoods = sale.salePrice * r.quantity;
  const discount = lineTotal - payableGoods;
  const shipping = await quoteShipping(ctx, { merchantId: sale.merchantId, province: address.province, goodsTotal: payableGoods, lines: [{ weightG: sku.weightG, quantity: r.quantity }] });
  const checkoutId = newId('chk');
  // The order may be paid for the sale's reservation window; the DO holds the units a little longer.
  const expiresAt = r.createdAt + sale.reservationTtlMs;
  const { stmts } = createCheckoutStatements(ctx, {
    checkoutId,
    userId,
    idempotencyKey: orderKey(r.id),
    requestHash: await sha256Hex(orderKey(r.id)),
    expiresAt,
    addressEnc: await encryptPii(requireSecret(ctx.env, 'PII_KEYS'), JSON.stringify(address)),
    addressRegion: address.province,
    buyerNote,
    orders: [
      {
        merchantId: sale.merchantId,
        goodsTotal: lineTotal,
        discountTotal: discount,
        shippingFee: shipping.fee,
        payableTotal: payableGoods + shipping.fee,
        discounts: discount > 0 ? [{ source: 'flash_sale', sourceId: sale.id, label: sale.roundLabel ? `限时秒杀 ${sale.roundLabel}` : '限时秒杀', amount: discount }] : [],
        lines: [
          { skuId: sku.skuId, productId: sku.productId, title: sku.title, specKey: sku.specKey, mediaKey: sku.mediaKey, unitPrice: listPrice, quantity: r.quantity, lineTotal, discountShare: discount, payable: payableGoods },
        ],
        promo: { type: 'flash_sale', id: sale.id, holdId: r.id },
      },
    ],
  });
  try {
    await ctx.env.DB.batch(stmts);
  } catch (e) {
    if (batchFailure(e) !== 'unique') throw e; // a concurrent retry created it first
  }
  const created = await existingOrder(ctx, userId, r.id);
  if (!created) throw new AppError('internal', 500, 'flash-sale order vanished after creation');
  try {
    await emit(ctx, 'SETTLEMENT', PAYMENT_TIMEOUT_EVENT, { checkoutId: created.checkoutId }, { id: `timeout:${created.checkoutId}`, delaySeconds: Math.ceil(Math.max(1000, expiresAt - ctx.now) / 1000) });
  } catch (err) {
    ctx.log.error('payment timeout message not enqueued; the cron sweep will close it', { checkoutId: created.checkoutId, err: String(err) });
  }
  return created;
}
