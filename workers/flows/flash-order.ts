import type { z } from '@hono/zod-openapi';
import { type Ctx, shopperId } from '../shared/context';
import { AppError, conflict, notFound } from '../shared/errors';
import { iso } from '../shared/db';
import { enforceRateLimit } from '../shared/rate-limit';
import type { FlashOrderData } from '../domains/flash-sales/events';
import { assertQuickOrderAddress, getAddressesForQuickOrders, getAddressForQuickOrder } from '../domains/addresses/addresses.service';
import { assertSaleToken, getSaleRow, precheck, reserveUnits } from '../domains/flash-sales/flash-sales.service';
import { releaseReservation, reservationOf, reservationsOf } from '../domains/flash-sales/buckets';
import type { Reservation } from '../domains/flash-sales/rules';
import type { ReserveFlashSaleInput } from '../domains/flash-sales/dto';
import {
  ensureHeldOrder,
  ensureHeldOrders,
  findHeldOrder,
  type HeldOrderInput,
  type HeldOrderSummary,
  type QuickAddress,
} from './held-order';

/** The order details the reservation carries in the DO (so any writer of the order uses the same). */
interface OrderMeta {
  a?: string;
  n?: string;
}
const readMeta = (m: string | null | undefined): OrderMeta => {
  try {
    return m ? (JSON.parse(m) as OrderMeta) : {};
  } catch {
    return {};
  }
};

type SaleRow = Awaited<ReturnType<typeof getSaleRow>>;

/** The order's ids follow from the reservation's, so whoever writes it first (queue, poll, reconciliation) writes the same order. */
export const heldOrderIds = (reservationId: string) => {
  const suffix = reservationId.slice(reservationId.indexOf('_') + 1);
  return { orderId: `ord_${suffix}`, checkoutId: `chk_${suffix}` };
};
const orderKey = (reservationId: string) => `fs:${reservationId}`;

type OrderRef = Pick<HeldOrderSummary, 'orderId' | 'checkoutId'> & {
  status: string;
  orderNo: string | null;
  payableTotal: number | null;
  expiresAt: string | null;
};

function dto(sale: SaleRow, r: Reservation, replayed: boolean, order: OrderRef) {
  return {
    reservationId: r.id,
    saleId: r.saleId,
    quantity: r.quantity,
    status: r.status,
    salePrice: sale.salePrice,
    expiresAt: order.expiresAt ?? iso(r.createdAt + sale.reservationTtlMs)!,
    replayed,
    order,
  };
}
const creating = (sale: SaleRow, r: Reservation): OrderRef => ({
  ...heldOrderIds(r.id),
  status: 'creating',
  orderNo: null,
  payableTotal: null,
  expiresAt: iso(r.createdAt + sale.reservationTtlMs),
});

/**
 * reserveFlashSale — the hot path, kept free of D1 writes: bot brakes (per-shopper and per-IP rate
 * limits, the sale token when the sale asks for one), cheap refusals from the isolate's cached
 * sale row, the delivery address checked (cached per isolate once seen), then the SKU's Durable
 * Object decides, makes the reservation durable and hands its order message to the settlement
 * queue itself (an outbox, one sendBatch per committed batch). The pending D1 order is always
 * written off the hot path — by the queue's consumer, or at once when the shopper polls
 * getFlashSaleReservation — so a crowd never pushes the path into a slower mode. Its ids are
 * fixed by the reservation, so the answer names the order before it exists. A retry with the
 * same Idempotency-Key returns the same reservation and order.
 */
export async function reserveFlashSale(
  ctx: Ctx,
  saleId: string,
  input: z.output<typeof ReserveFlashSaleInput>,
  opts: { idempotencyKey: string; token?: string; ip?: string },
) {
  const userId = shopperId(ctx, 'only shoppers can reserve flash-sale units');
  const key = opts.idempotencyKey;
  await enforceRateLimit(ctx.env.FLASH_SHOPPER_LIMITER, `u:${userId}`, 'flash_sales.rate_limited', 'too many attempts; wait a few seconds');
  if (opts.ip)
    await enforceRateLimit(
      ctx.env.FLASH_IP_LIMITER,
      `ip:${opts.ip}`,
      'flash_sales.rate_limited',
      'too many attempts from this network; wait a few seconds',
    );

  const sale = await getSaleRow(ctx, saleId);
  await assertSaleToken(ctx, sale, userId, opts.token);
  precheck(sale, ctx.now, userId);
  // Refuse before taking units when the order could never be written (no address, someone else's).
  await assertQuickOrderAddress(ctx, userId, input.addressId);
  const meta: OrderMeta = { ...(input.addressId ? { a: input.addressId } : {}), ...(input.buyerNote ? { n: input.buyerNote } : {}) };
  const out = await reserveUnits(ctx, sale, {
    shopperId: userId,
    quantity: input.quantity,
    idempotencyKey: key,
    meta: Object.keys(meta).length ? JSON.stringify(meta) : undefined,
    queueOrder: true,
  });
  const r = out.reservation;
  if (r.status === 'released' || r.status === 'expired')
    throw conflict(
      'flash_sales.reservation_lapsed',
      'the reservation made with this Idempotency-Key has lapsed; reserve again with a new key',
    );
  if (out.replayed) {
    const existing = await findHeldOrder(ctx, userId, orderKey(r.id));
    if (existing) return dto(sale, r, true, existing);
  }
  return dto(sale, r, out.replayed, creating(sale, r));
}

/**
 * Writes the pending D1 order for a durable reservation, once (fixed ids, unique checkout key).
 * Nothing is written for a reservation that already lapsed. A shopper whose address cannot be
 * used gets the units released and a 409 naming the problem.
 */
export async function materialiseFlashOrder(ctx: Ctx, d: FlashOrderData): Promise<HeldOrderSummary> {
  const existing = await findHeldOrder(ctx, d.shopperId, orderKey(d.reservationId));
  if (existing) return existing;
  const sale = await getSaleRow(ctx, d.saleId);
  const r = await reservationOf(ctx, d);
  if (!r || r.shopperId !== d.shopperId) throw notFound('flash_sales.reservation_not_found', `reservation ${d.reservationId}`);
  if (r.status !== 'pending' && r.status !== 'confirmed')
    throw conflict('flash_sales.reservation_lapsed', 'the reservation lapsed before its order was written');
  const meta = readMeta(r.meta);
  let address;
  try {
    address = await getAddressForQuickOrder(ctx, d.shopperId, meta.a);
  } catch (e) {
    if (e instanceof AppError && e.status < 500) await releaseReservation(ctx, d);
    throw e;
  }
  return ensureHeldOrder(ctx, heldOrderInput(sale, r, meta, address));
}

/**
 * materialiseFlashOrder for a whole queue batch: the sales from the isolate's cache, each object's
 * reservations (the SKU's, or each bucket's) in one DO call, every shopper's address in one query, and the orders in one D1
 * batch (ensureHeldOrders). Per message the answer is null (written, or it already was) or the
 * AppError that makes it final (lapsed, unknown, unusable address — whose units go back).
 */
export async function materialiseFlashOrders(ctx: Ctx, ds: FlashOrderData[]): Promise<(AppError | null)[]> {
  const out: (AppError | null)[] = ds.map(() => null);
  const final = (e: unknown) => {
    if (e instanceof AppError && e.status < 500) return e;
    throw e;
  };
  const sales = new Map<string, SaleRow | AppError>();
  for (const id of new Set(ds.map((d) => d.saleId))) sales.set(id, await getSaleRow(ctx, id).catch(final));
  const asked: FlashOrderData[] = [];
  ds.forEach((d, n) => {
    const sale = sales.get(d.saleId)!;
    if (sale instanceof AppError) out[n] = sale;
    else asked.push(d);
  });
  const reservations = new Map<string, Reservation>();
  for (const r of await reservationsOf(ctx, asked)) reservations.set(r.id, r);
  const live: { d: FlashOrderData; n: number; sale: SaleRow; r: Reservation; meta: OrderMeta }[] = [];
  ds.forEach((d, n) => {
    if (out[n]) return;
    const r = reservations.get(d.reservationId);
    if (!r || r.shopperId !== d.shopperId) out[n] = notFound('flash_sales.reservation_not_found', `reservation ${d.reservationId}`);
    else if (r.status !== 'pending' && r.status !== 'confirmed')
      out[n] = conflict('flash_sales.reservation_lapsed', 'the reservation lapsed before its order was written');
    else live.push({ d, n, sale: sales.get(d.saleId) as SaleRow, r, meta: readMeta(r.meta) });
  });
  const addresses = await getAddressesForQuickOrders(
    ctx,
    live.map((l) => ({ userId: l.r.shopperId, addressId: l.meta.a })),
  );
  const items: HeldOrderInput[] = [];
  const itemOf: number[] = [];
  for (const [k, l] of live.entries()) {
    const address = addresses[k]!;
    if (address instanceof AppError) {
      out[l.n] = address;
      await releaseReservation(ctx, l.d);
      continue;
    }
    items.push(heldOrderInput(l.sale, l.r, l.meta, address));
    itemOf.push(l.n);
  }
  const written = await ensureHeldOrders(ctx, items);
  written.forEach((w, k) => {
    if (w instanceof AppError) out[itemOf[k]!] = w;
  });
  return out;
}

/** The pending order a reservation turns into, whoever writes it (request, poll, queue, reconciliation). */
function heldOrderInput(sale: SaleRow, r: Reservation, meta: OrderMeta, address: QuickAddress): HeldOrderInput {
  return {
    userId: r.shopperId,
    key: orderKey(r.id),
    ids: heldOrderIds(r.id),
    skuId: sale.skuId,
    merchantId: sale.merchantId,
    quantity: r.quantity,
    unitPrice: sale.salePrice,
    discount: { source: 'flash_sale', sourceId: sale.id, label: sale.roundLabel ? `限时秒杀 ${sale.roundLabel}` : '限时秒杀' },
    address,
    buyerNote: meta.n ?? '',
    // The order may be paid within the sale's reservation window; the DO holds the units a little longer.
    expiresAt: r.createdAt + sale.reservationTtlMs,
    promo: { type: 'flash_sale', id: sale.id, holdId: r.id },
  };
}

/**
 * getFlashSaleReservation: what the shopper polls after reserving (抢购结果) — the reservation and
 * its order, writing the order now if the queue has not yet. Another shopper's reservation is 404.
 */
export async function getFlashSaleReservation(ctx: Ctx, saleId: string, reservationId: string) {
  const userId = shopperId(ctx, 'only shoppers have reservations');
  const sale = await getSaleRow(ctx, saleId);
  const hold = { saleId, shopperId: userId, reservationId };
  const r = await reservationOf(ctx, hold);
  if (!r || r.shopperId !== userId || r.saleId !== saleId)
    throw notFound('flash_sales.reservation_not_found', `reservation ${reservationId}`);
  const existing = await findHeldOrder(ctx, userId, orderKey(r.id));
  if (existing) return dto(sale, r, false, existing);
  if (r.status !== 'pending' && r.status !== 'confirmed')
    throw conflict('flash_sales.reservation_lapsed', 'this reservation lapsed before its order was written');
  const order = await materialiseFlashOrder(ctx, { saleId, reservationId, shopperId: userId });
  const now = await reservationOf(ctx, hold);
  return dto(sale, now ?? r, false, order);
}
