import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import { type Ctx, shopperId } from '../../shared/context';
import { batchFailure, guard, iso, stmt } from '../../shared/db';
import { conflict, forbidden, notFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { decodeCursor, toPage } from '../../shared/pagination';
import { getUserCreatedAt } from '../users/users.service';
import type { AdjustPointsInput, PointsEntryDto } from './dto';
import { pointsLedger } from './schema';

type EntryRow = typeof pointsLedger.$inferSelect;

export interface PointsEntry {
  userId: string;
  /** points added (> 0) or spent (< 0) */
  delta: number;
  /** short machine word shown to the shopper's client, e.g. 'lottery_draw', 'lottery_prize', 'adjust' */
  reason: string;
  /** unique over the whole ledger: the same ref is written once, ever */
  ref: string;
  /** optional human words shown beside the reason (a staff member's reason, an order number) */
  note?: string | null;
}

const toDto = (r: EntryRow): PointsEntryDto => ({
  id: r.id,
  delta: r.delta,
  reason: r.reason,
  note: r.note ?? null,
  ref: r.ref,
  createdAt: iso(r.createdAt)!,
});

/** A shopper's points balance: the sum of their ledger entries (0 with none). */
export async function pointsBalance(ctx: Ctx, userId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ balance: sql<number>`coalesce(sum(${pointsLedger.delta}), 0)` })
    .from(pointsLedger)
    .where(eq(pointsLedger.userId, userId));
  return Number(row?.balance ?? 0);
}

/**
 * One ledger INSERT for the caller's D1 batch. `ref` is unique, so a retried batch that already
 * landed fails with a 'unique' batchFailure instead of writing twice; callers treat that as "done".
 */
export function pointsEntryStatement(ctx: Ctx, e: PointsEntry): D1PreparedStatement {
  return stmt(
    ctx.env.DB,
    ctx.db.insert(pointsLedger).values({
      id: newId('pts'),
      userId: e.userId,
      delta: e.delta,
      reason: e.reason,
      ref: e.ref,
      note: e.note ?? null,
      createdAt: ctx.now,
    }),
  );
}

/**
 * Statements that spend `amount` points inside the caller's batch: a guard that the balance
 * covers it (a 'guard' batchFailure otherwise) followed by the negative entry. The batch runs as
 * one transaction, so two concurrent spends cannot both pass the guard on the same points.
 */
export function spendPointsStatements(
  ctx: Ctx,
  s: { userId: string; amount: number; reason: string; ref: string; note?: string | null },
): D1PreparedStatement[] {
  if (!Number.isInteger(s.amount) || s.amount <= 0)
    throw new Error(`spendPointsStatements: amount must be a positive integer, got ${s.amount}`);
  return [
    guard(ctx.env.DB, 'SELECT coalesce(sum(delta), 0) >= ?1 FROM points_ledger WHERE user_id = ?2', s.amount, s.userId),
    pointsEntryStatement(ctx, { userId: s.userId, delta: -s.amount, reason: s.reason, ref: s.ref, note: s.note }),
  ];
}

/** The entry written under `ref`, if any. */
export async function pointsEntryByRef(ctx: Ctx, ref: string): Promise<EntryRow | null> {
  const [row] = await ctx.db.select().from(pointsLedger).where(eq(pointsLedger.ref, ref)).limit(1);
  return row ?? null;
}

/** A shopper's balance and entries, newest first (keyset pages on createdAt, id). */
export async function pointsOf(ctx: Ctx, userId: string, q: { limit: number; cursor?: string }) {
  const cur = decodeCursor(q.cursor);
  const conds = [eq(pointsLedger.userId, userId)];
  if (cur) {
    const at = Number(cur.v);
    conds.push(or(lt(pointsLedger.createdAt, at), and(eq(pointsLedger.createdAt, at), lt(pointsLedger.id, cur.id)))!);
  }
  const [balance, rows] = await Promise.all([
    pointsBalance(ctx, userId),
    ctx.db
      .select()
      .from(pointsLedger)
      .where(and(...conds))
      .orderBy(desc(pointsLedger.createdAt), desc(pointsLedger.id))
      .limit(q.limit + 1),
  ]);
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { balance, items: page.items.map(toDto), nextCursor: page.nextCursor };
}

/** getMyPoints: the signed-in shopper's balance and recent entries. */
export function getMyPoints(ctx: Ctx, q: { limit: number; cursor?: string }) {
  return pointsOf(ctx, shopperId(ctx, 'this is for shoppers'), q);
}

/**
 * adjustPoints (staff with members.write): adds or takes away points, reason 'adjust' with the
 * staff's words as the note (the admin router's audit middleware logs who did it). Staff refs are stored as
 * `adjust:<ref>` so they can never collide with the system's own refs ("draw:…", "prize:…"). The
 * same ref applies once: a repeat with the same user and delta returns the first entry
 * (`replayed`), a different one is 409 members.ref_conflict. A negative adjustment is guarded
 * in SQL so the balance never goes below 0 (409 members.not_enough_points).
 */
export async function adjustPoints(ctx: Ctx, userId: string, input: AdjustPointsInput) {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  if ((await getUserCreatedAt(ctx, userId)) === null) throw notFound('members.user_not_found', `user ${userId}`);
  const ref = `adjust:${input.ref ?? newId('adj')}`;

  const replay = async () => {
    const prior = await pointsEntryByRef(ctx, ref);
    if (!prior) return null;
    if (prior.userId !== userId || prior.delta !== input.delta)
      throw conflict('members.ref_conflict', 'this ref was already used for a different adjustment', { ref: input.ref });
    return { entry: { ...toDto(prior), userId }, balance: await pointsBalance(ctx, userId), replayed: true };
  };
  const first = await replay();
  if (first) return first;

  const reason = 'adjust';
  const note = input.reason;
  const stmts =
    input.delta > 0
      ? [pointsEntryStatement(ctx, { userId, delta: input.delta, reason, ref, note })]
      : spendPointsStatements(ctx, { userId, amount: -input.delta, reason, ref, note });
  try {
    await ctx.env.DB.batch(stmts);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'unique') {
      // The same ref landed concurrently: answer like a repeat.
      const again = await replay();
      if (again) return again;
    }
    if (kind === 'guard') {
      const balance = await pointsBalance(ctx, userId);
      throw conflict('members.not_enough_points', `the balance is ${balance} points; cannot take away ${-input.delta}`, { balance });
    }
    throw e;
  }
  const entry = (await pointsEntryByRef(ctx, ref))!;
  ctx.log.info('points adjusted', { userId, delta: input.delta, ref, staffId: ctx.actor.staffId });
  return { entry: { ...toDto(entry), userId }, balance: await pointsBalance(ctx, userId), replayed: false };
}
