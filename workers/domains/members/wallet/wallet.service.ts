import { eq, sql } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { guard, stmt } from '../../../shared/db';
import { newId } from '../../../shared/ids';
import { walletLedger } from './schema';

export interface WalletEntry {
  userId: string;
  /** fen added (> 0) or spent (< 0) */
  delta: number;
  reason: string;
  /** unique over the whole ledger: the same ref is written once, ever */
  ref: string;
  /** optional human words shown beside the reason */
  note?: string | null;
}

/** A shopper's stored balance in fen: the sum of their wallet entries (0 with none). */
export async function walletBalance(ctx: Ctx, userId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ balance: sql<number>`coalesce(sum(${walletLedger.delta}), 0)` })
    .from(walletLedger)
    .where(eq(walletLedger.userId, userId));
  return Number(row?.balance ?? 0);
}

/**
 * One wallet INSERT for the caller's D1 batch. `ref` is unique, so a retried batch that already
 * landed fails with a 'unique' batchFailure instead of crediting twice; callers treat that as done.
 */
export function walletEntryStatement(ctx: Ctx, e: WalletEntry): D1PreparedStatement {
  if (!Number.isInteger(e.delta) || e.delta === 0)
    throw new Error(`walletEntryStatement: delta must be a non-zero integer, got ${e.delta}`);
  return stmt(
    ctx.env.DB,
    ctx.db.insert(walletLedger).values({
      id: newId('wal'),
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
 * Statements that spend `amount` fen of balance inside the caller's batch: a guard that the
 * balance covers it (a 'guard' batchFailure otherwise), then the negative entry. The batch is one
 * transaction, so concurrent spends cannot both pass the guard on the same money.
 */
export function spendWalletStatements(
  ctx: Ctx,
  s: { userId: string; amount: number; reason: string; ref: string; note?: string | null },
): D1PreparedStatement[] {
  if (!Number.isInteger(s.amount) || s.amount <= 0)
    throw new Error(`spendWalletStatements: amount must be a positive integer, got ${s.amount}`);
  return [
    guard(ctx.env.DB, 'SELECT coalesce(sum(delta), 0) >= ?1 FROM wallet_ledger WHERE user_id = ?2', s.amount, s.userId),
    walletEntryStatement(ctx, { userId: s.userId, delta: -s.amount, reason: s.reason, ref: s.ref, note: s.note }),
  ];
}
