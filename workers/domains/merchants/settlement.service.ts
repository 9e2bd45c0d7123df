import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { forbidden, notFound } from '../../shared/errors';
import { iso, stmt } from '../../shared/db';
import { newId } from '../../shared/ids';
import { decodeCursor, toPage } from '../../shared/pagination';
import { getMerchant } from './merchants.service';
import { merchantLedger } from './schema';
import type { MerchantLedgerDto } from './dto';

/**
 * Platform commission on a sale, in integer fen: sale × bps / 10000 rounded half up (x.5 fen
 * goes to the platform), computed in integers so no float error creeps in. 4990 fen at 250 bps is
 * 124.75 → 125; 1000 fen at 5 bps is 0.5 → 1; 1010 fen at 50 bps is 5.05 → 5.
 */
export function commissionFor(sale: number, commissionBps: number): number {
  if (!Number.isSafeInteger(sale) || sale < 0) throw new RangeError(`sale must be non-negative integer fen, got ${sale}`);
  if (!Number.isInteger(commissionBps) || commissionBps < 0 || commissionBps > 10_000)
    throw new RangeError(`commission must be 0..10000 bps, got ${commissionBps}`);
  return Math.floor((sale * commissionBps + 5_000) / 10_000);
}

export interface SettlementCredit {
  merchantId: string;
  orderId: string;
  /** paidTotal − refundedTotal of the order, integer fen. */
  sale: number;
  commissionBps: number;
}

/**
 * Ledger statements for settling one order: `sale` (+) and `commission` (−). The unique
 * (order_id, type) index fails the batch if the order was credited before, so the caller's batch
 * credits at most once however often it runs. Zero amounts are still written: they record that
 * a fully refunded order was settled.
 */
export function settlementLedgerStatements(ctx: Ctx, c: SettlementCredit): D1PreparedStatement[] {
  const commission = commissionFor(c.sale, c.commissionBps);
  const d1 = ctx.env.DB;
  return [
    stmt(
      d1,
      ctx.db
        .insert(merchantLedger)
        .values({ id: newId('mlg'), merchantId: c.merchantId, orderId: c.orderId, type: 'sale', amount: c.sale, createdAt: ctx.now }),
    ),
    stmt(
      d1,
      ctx.db.insert(merchantLedger).values({
        id: newId('mlg'),
        merchantId: c.merchantId,
        orderId: c.orderId,
        type: 'commission',
        amount: commission === 0 ? 0 : -commission,
        createdAt: ctx.now,
      }),
    ),
  ];
}

/**
 * getMerchantLedger: entries newest first (keyset pages) and the balance over all entries.
 * Platform staff see any merchant; merchant staff only their own — another merchant is "not
 * found", like other merchants' orders.
 */
export async function getMerchantLedger(ctx: Ctx, merchantId: string, q: { limit: number; cursor?: string }): Promise<MerchantLedgerDto> {
  const a = ctx.actor;
  if (a.kind !== 'staff' && a.kind !== 'system') throw forbidden();
  if (a.kind === 'staff' && a.role === 'merchant' && a.merchantId !== merchantId)
    throw notFound('merchants.not_found', `merchant ${merchantId}`);
  await getMerchant(ctx, merchantId);
  const cur = decodeCursor(q.cursor);
  const rows = await ctx.db
    .select()
    .from(merchantLedger)
    .where(
      and(
        eq(merchantLedger.merchantId, merchantId),
        cur
          ? or(lt(merchantLedger.createdAt, Number(cur.v)), and(eq(merchantLedger.createdAt, Number(cur.v)), lt(merchantLedger.id, cur.id)))
          : undefined,
      ),
    )
    .orderBy(desc(merchantLedger.createdAt), desc(merchantLedger.id))
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  const [sum] = await ctx.db
    .select({ balance: sql<number>`coalesce(sum(${merchantLedger.amount}), 0)` })
    .from(merchantLedger)
    .where(eq(merchantLedger.merchantId, merchantId));
  return {
    merchantId,
    balance: Number(sum?.balance ?? 0),
    items: page.items.map((r) => ({ id: r.id, orderId: r.orderId, type: r.type, amount: r.amount, createdAt: iso(r.createdAt)! })),
    nextCursor: page.nextCursor,
  };
}
