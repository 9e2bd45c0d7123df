import type { z } from '@hono/zod-openapi';
import type { Ctx } from '../shared/context';
import { badRequest, conflict, forbidden } from '../shared/errors';
import { iso } from '../shared/db';
import { enforceRateLimit } from '../shared/rate-limit';
import { getAddressForQuickOrder } from '../domains/addresses/addresses.service';
import { assertSaleToken, getSaleRow, precheck, releaseReservation, reserveUnits } from '../domains/flash-sales/flash-sales.service';
import type { Reservation } from '../domains/flash-sales/rules';
import type { ReserveFlashSaleInput } from '../domains/flash-sales/dto';
import { ensureHeldOrder, type QuickAddress } from './held-order';

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

function ensureOrder(ctx: Ctx, sale: FlashSaleRow, r: Reservation, address: QuickAddress, buyerNote: string) {
  return ensureHeldOrder(ctx, {
    userId: r.shopperId,
    key: orderKey(r.id),
    skuId: sale.skuId,
    merchantId: sale.merchantId,
    quantity: r.quantity,
    unitPrice: sale.salePrice,
    discount: { source: 'flash_sale', sourceId: sale.id, label: sale.roundLabel ? `限时秒杀 ${sale.roundLabel}` : '限时秒杀' },
    address,
    buyerNote,
    // The order may be paid within the sale's reservation window; the DO holds the units a little longer.
    expiresAt: r.createdAt + sale.reservationTtlMs,
    promo: { type: 'flash_sale', id: sale.id, holdId: r.id },
  });
}
