import type { Ctx } from '../../shared/context';
import { newId } from '../../shared/ids';
import { stmt } from '../../shared/db';
import { checkouts, orderLines, orders } from './schema';
import { orderEventStatement } from './order-events';

export interface OrderDraft {
  merchantId: string;
  goodsTotal: number;
  discountTotal: number;
  shippingFee: number;
  payableTotal: number;
  discounts: { source: string; sourceId: string | null; label: string; amount: number }[];
  lines: {
    skuId: string;
    productId: string;
    title: string;
    specKey: string;
    mediaKey: string | null;
    unitPrice: number;
    quantity: number;
    lineTotal: number;
    discountShare: number;
    payable: number;
  }[];
  /** Fixed id when the order is created from a durable hold, so re-creating it is a no-op. */
  orderId?: string;
  /** Units held by the SKU's Durable Object instead of normal stock (flash sale / group buy). */
  promo?: { type: 'flash_sale' | 'group_buy'; id: string; holdId: string; teamId?: string; fulfilmentHold?: string };
}

export interface CheckoutDraft {
  checkoutId: string;
  userId: string;
  idempotencyKey: string;
  requestHash: string;
  expiresAt: number;
  addressEnc: string;
  addressRegion: string;
  buyerNote: string;
  orders: OrderDraft[];
}

/** Human-facing order number: UTC date + 10 random digits (not sequential, not guessable). */
export function newOrderNo(now: number): string {
  const d = new Date(now);
  const date = `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(10)), (b) => b % 10).join('');
  return `${date}${digits}`;
}

/**
 * Insert statements for a checkout and its per-merchant orders, lines and first timeline entry.
 * The checkout row goes first: its unique (user, idempotency key) makes a concurrent duplicate
 * createOrder fail the whole batch before anything else is written.
 * Returns the statements and, per order, the generated ids (orders and their lines).
 */
export function createCheckoutStatements(ctx: Ctx, c: CheckoutDraft) {
  const d1 = ctx.env.DB;
  const stmts: D1PreparedStatement[] = [
    stmt(
      d1,
      ctx.db.insert(checkouts).values({
        id: c.checkoutId,
        userId: c.userId,
        idempotencyKey: c.idempotencyKey,
        requestHash: c.requestHash,
        payableTotal: c.orders.reduce((a, o) => a + o.payableTotal, 0),
        expiresAt: c.expiresAt,
        createdAt: ctx.now,
      }),
    ),
  ];
  const created: { orderId: string; lines: { lineId: string; skuId: string; productId: string; quantity: number }[] }[] = [];
  for (const o of c.orders) {
    const orderId = o.orderId ?? newId('ord');
    stmts.push(
      stmt(
        d1,
        ctx.db.insert(orders).values({
          id: orderId,
          orderNo: newOrderNo(ctx.now),
          checkoutId: c.checkoutId,
          userId: c.userId,
          merchantId: o.merchantId,
          status: 'pending_payment',
          goodsTotal: o.goodsTotal,
          discountTotal: o.discountTotal,
          shippingFee: o.shippingFee,
          payableTotal: o.payableTotal,
          discounts: o.discounts,
          addressEnc: c.addressEnc,
          addressRegion: c.addressRegion,
          buyerNote: c.buyerNote,
          createdAt: ctx.now,
          expiresAt: c.expiresAt,
          promoType: o.promo?.type ?? null,
          promoId: o.promo?.id ?? null,
          holdId: o.promo?.holdId ?? null,
          teamId: o.promo?.teamId ?? null,
          fulfilmentHold: o.promo?.fulfilmentHold ?? null,
        }),
      ),
    );
    const lines = o.lines.map((l) => ({ lineId: newId('oln'), ...l }));
    for (const l of lines) {
      const { lineId, ...rest } = l;
      stmts.push(stmt(d1, ctx.db.insert(orderLines).values({ id: lineId, orderId, ...rest })));
    }
    stmts.push(orderEventStatement(ctx, orderId, { type: 'created', to: 'pending_payment' }));
    created.push({
      orderId,
      lines: lines.map((l) => ({ lineId: l.lineId, skuId: l.skuId, productId: l.productId, quantity: l.quantity })),
    });
  }
  return { stmts, created };
}
