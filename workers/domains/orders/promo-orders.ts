// Orders whose units are held by a promotion's Durable Object (flash-sale reservations,
// group-buy seats). The reconciliation, wind-up and team-outcome flows ask these questions of
// the orders domain instead of querying its tables themselves.
import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { D1_IN_CHUNK, guard, inChunks, stmt } from '../../shared/db';
import { orderLines, orders } from './schema';
import { orderEventStatement } from './order-events';
import type { OrderRow } from './orders.service';

/** The orders written for these holds (reservation or seat ids), in any state. */
export function ordersByHoldIds(ctx: Ctx, holdIds: string[]): Promise<OrderRow[]> {
  return inChunks(holdIds, D1_IN_CHUNK, (part) => ctx.db.select().from(orders).where(inArray(orders.holdId, part)));
}

/** Orders of a promotion (flash sale or group-buy deal) that were ever paid, oldest id first. */
export function paidOrdersOfPromo(ctx: Ctx, promoId: string): Promise<OrderRow[]> {
  return ctx.db
    .select()
    .from(orders)
    .where(and(eq(orders.promoId, promoId), sql`${orders.paidAt} IS NOT NULL`))
    .orderBy(asc(orders.id));
}

/**
 * Units of a promotion as D1 sees them: pending = in unpaid open orders; sold = in orders that
 * were paid (a later refund does not unsell), except orders closed with `unsoldCloseReason`
 * (paid after their hold was lost, so refunded without a unit).
 */
export async function promoUnitsInOrders(ctx: Ctx, promoId: string, unsoldCloseReason: string): Promise<{ pending: number; sold: number }> {
  const row = await ctx.db
    .select({
      pending: sql<number>`coalesce(sum(CASE WHEN ${orders.status} = 'pending_payment' THEN ${orderLines.quantity} END), 0)`,
      sold: sql<number>`coalesce(sum(CASE WHEN ${orders.paidAt} IS NOT NULL AND coalesce(${orders.closeReason}, '') != ${unsoldCloseReason} THEN ${orderLines.quantity} END), 0)`,
    })
    .from(orders)
    .innerJoin(orderLines, eq(orderLines.orderId, orders.id))
    .where(eq(orders.promoId, promoId));
  return { pending: Number(row[0]?.pending ?? 0), sold: Number(row[0]?.sold ?? 0) };
}

/** Ids of a group-buy team's paid orders still held back from shipping until the team is full. */
export async function heldOrderIdsOfTeam(ctx: Ctx, teamId: string): Promise<string[]> {
  const rows = await ctx.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.teamId, teamId), isNotNull(orders.fulfilmentHold), eq(orders.status, 'paid')));
  return rows.map((r) => r.id);
}

/**
 * Statements that let a held order ship, with a timeline entry — guarded on the hold still being
 * there, so a second caller (payment path and outbox message both report the team's success)
 * fails the guard and records nothing twice.
 */
export function releaseFulfilmentHoldStatements(ctx: Ctx, orderId: string, note: string): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return [
    guard(d1, 'SELECT fulfilment_hold IS NOT NULL FROM orders WHERE id = ?1', orderId),
    stmt(d1, ctx.db.update(orders).set({ fulfilmentHold: null }).where(eq(orders.id, orderId))),
    orderEventStatement(ctx, orderId, { type: 'group_formed', note }),
  ];
}

/** A guard for a batch that must only run while the order has no fulfilment hold (e.g. shipping). */
export function noFulfilmentHoldGuard(ctx: Ctx, orderId: string): D1PreparedStatement {
  return guard(ctx.env.DB, 'SELECT fulfilment_hold IS NULL FROM orders WHERE id = ?1', orderId);
}
