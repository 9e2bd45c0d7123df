// 补签卡: grants (task rewards, staff, the points mall) and uses, on an append-only ledger.
import { eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, guard, stmt } from '../../../shared/db';
import { forbidden, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { getUserCreatedAt } from '../../users/users.service';
import { makeupCardLedger } from './schema';

/** Cards a shopper holds: the sum of their ledger entries. */
export async function makeupCardBalance(ctx: Ctx, userId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ n: sql<number>`coalesce(sum(${makeupCardLedger.delta}), 0)` })
    .from(makeupCardLedger)
    .where(eq(makeupCardLedger.userId, userId));
  return Number(row?.n ?? 0);
}

/**
 * Statements that give a shopper `n` make-up cards inside the caller's batch (a task reward, a
 * points-mall exchange, a staff grant). `ref` is unique over the card ledger: a retried batch
 * fails with a 'unique' batchFailure instead of granting twice; callers treat that as done.
 */
export function grantMakeupCards(ctx: Ctx, userId: string, n: number, ref: string, reason = 'grant'): D1PreparedStatement[] {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`grantMakeupCards: n must be a positive integer, got ${n}`);
  return [
    stmt(ctx.env.DB, ctx.db.insert(makeupCardLedger).values({ id: newId('mkc'), userId, delta: n, reason, ref, createdAt: ctx.now })),
  ];
}

/** Statements that use one card (guarded: a 'guard' failure when none is held), for a make-up's batch. */
export function useMakeupCardStatements(ctx: Ctx, userId: string, ref: string): D1PreparedStatement[] {
  return [
    guard(ctx.env.DB, 'SELECT coalesce(sum(delta), 0) >= 1 FROM makeup_card_ledger WHERE user_id = ?1', userId),
    stmt(
      ctx.env.DB,
      ctx.db.insert(makeupCardLedger).values({ id: newId('mkc'), userId, delta: -1, reason: 'makeup', ref, createdAt: ctx.now }),
    ),
  ];
}

/**
 * grantMakeupCards (staff, members.write): gives a shopper cards, once per ref (`admin:<userId>:<ref>`,
 * so staff refs never collide with the system's). A repeat answers `replayed` and changes nothing.
 */
export async function grantMakeupCardsByStaff(ctx: Ctx, userId: string, input: { count: number; reason: string; ref?: string }) {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  if ((await getUserCreatedAt(ctx, userId)) === null) throw notFound('members.user_not_found', `user ${userId}`);
  const ref = `admin:${userId}:${input.ref ?? newId('grant')}`;
  let replayed = false;
  try {
    await ctx.env.DB.batch(grantMakeupCards(ctx, userId, input.count, ref, 'admin'));
  } catch (e) {
    if (batchFailure(e) !== 'unique') throw e;
    replayed = true;
  }
  if (!replayed)
    ctx.log.info('makeup cards granted', { userId, count: input.count, ref, staffId: ctx.actor.staffId, reason: input.reason });
  return { userId, granted: replayed ? 0 : input.count, makeupCards: await makeupCardBalance(ctx, userId), replayed };
}
