import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { guard, stmt } from '../../shared/db';
import { returnPromotionUnits } from '../catalog/stock.service';
import { groupBuyDeals } from './schema';
import { configOf, type DealRow } from './group-buys.service';
import { skuStockStub } from '../../../durable-objects/sku-stock';
import type { CloseDealOutcome } from '../../../durable-objects/group-buy-book';

/** Deals wound up per cron run. */
const BATCH = 20;

export type WindUpOutcome =
  | { dealId: string; returned: true; /** units kept by paid seats of succeeded teams */ paid: number; returnedUnits: number }
  | {
      dealId: string;
      returned: false;
      reason: 'not_ended' | 'busy';
      /** teams still forming or open */ teams?: number;
      /** seats still unpaid */ pending?: number;
    };

/**
 * Winds one group-buy deal up: once it has ended and every team in its SKU's Durable Object is final
 * (teams opened before the end may still fill until their own expiry), closes the deal there — so
 * no seat can take a unit any more — and puts the unsold units (allocated − paid seats of succeeded
 * teams) back into the SKU's normal stock. The D1 write is guarded on returned_at and keyed by the
 * ledger ref gb-ret:<dealId>, so the units come back once however often, or concurrently, this runs.
 */
export async function windUpGroupBuy(ctx: Ctx, dealId: string): Promise<WindUpOutcome> {
  const [deal] = await ctx.db.select().from(groupBuyDeals).where(eq(groupBuyDeals.id, dealId)).limit(1);
  if (!deal) throw notFound('group_buys.deal_not_found', `group buy ${dealId}`);
  return windUp(ctx, deal);
}

async function windUp(ctx: Ctx, deal: DealRow): Promise<WindUpOutcome> {
  if (deal.returnedAt != null && deal.returnedUnits != null)
    return { dealId: deal.id, returned: true, paid: deal.allocated - deal.returnedUnits, returnedUnits: deal.returnedUnits };
  if (ctx.now < deal.endsAt) return { dealId: deal.id, returned: false, reason: 'not_ended' };
  const stub = skuStockStub(ctx.env, deal.skuId);
  let closed: CloseDealOutcome = await stub.closeGroupBuy(deal.id, ctx.now);
  if (!closed.ok && closed.reason === 'unknown_deal') {
    // Its registration with the DO failed and nobody used the deal since: nothing was ever taken.
    await stub.configureGroupBuy(configOf(deal));
    closed = await stub.closeGroupBuy(deal.id, ctx.now);
  }
  if (!closed.ok) {
    if (closed.reason === 'unknown_deal') throw new Error(`group buy ${deal.id} is unknown to its SKU's stock object`);
    return { dealId: deal.id, returned: false, reason: closed.reason, teams: closed.teams, pending: closed.pending };
  }
  const d1 = ctx.env.DB;
  await returnPromotionUnits(ctx, {
    skuId: deal.skuId,
    productId: deal.productId,
    units: closed.unsold,
    ref: `gb-ret:${deal.id}`,
    note: `group buy ${deal.id} ended: ${closed.unsold} unsold units returned`,
    markReturned: [
      guard(d1, 'SELECT returned_at IS NULL FROM group_buy_deals WHERE id = ?1', deal.id),
      stmt(
        d1,
        ctx.db
          .update(groupBuyDeals)
          .set({ returnedUnits: closed.unsold, returnedAt: ctx.now })
          .where(and(eq(groupBuyDeals.id, deal.id), isNull(groupBuyDeals.returnedAt))),
      ),
    ],
  });
  return { dealId: deal.id, returned: true, paid: closed.paid, returnedUnits: closed.unsold };
}

/**
 * Cron: winds up ended deals whose unsold units have not come back yet, oldest end first. A deal
 * with a team still running stays in the list and is retried every run until that team is final.
 */
export async function windUpGroupBuys(ctx: Ctx): Promise<{ checked: number; returned: number; waiting: number }> {
  const due = await ctx.db
    .select()
    .from(groupBuyDeals)
    .where(and(isNull(groupBuyDeals.returnedAt), lte(groupBuyDeals.endsAt, ctx.now)))
    .orderBy(asc(groupBuyDeals.endsAt), asc(groupBuyDeals.id))
    .limit(BATCH);
  let returned = 0;
  let waiting = 0;
  for (const deal of due) {
    try {
      const r = await windUp(ctx, deal);
      if (r.returned) returned++;
      else waiting++;
    } catch (e) {
      ctx.log.error('group-buy wind-up failed', { dealId: deal.id, err: String(e) });
    }
  }
  return { checked: due.length, returned, waiting };
}
