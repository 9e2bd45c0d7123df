// Reading the two ledgers (积分明细, 余额明细) and the staff's balance adjustment; the points
// adjustment lives in ../points.service.ts beside the ledger it writes.
import { and, desc, eq, gt, lt } from 'drizzle-orm';
import { type Ctx, shopperId } from '../../../shared/context';
import { batchFailure, iso } from '../../../shared/db';
import { conflict, forbidden, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { decodeCursor, olderThanCursor, toPage } from '../../../shared/pagination';
import { findUserByPhone, getUser, getUserCreatedAt } from '../../users/users.service';
import { pointsBalance } from '../points.service';
import { pointsLedger } from '../schema';
import { walletLedger } from '../wallet/schema';
import { spendWalletStatements, walletBalance, walletEntryStatement } from '../wallet/wallet.service';
import type { AdjustBalanceInput } from './dto';
import { nextExpiry } from './expiry.service';
import { getPointsRules } from './rules.service';

type LedgerTable = typeof pointsLedger | typeof walletLedger;
type LedgerQuery = { limit: number; cursor?: string; type?: 'all' | 'earn' | 'spend' };

const entryDto = (r: { id: string; delta: number; reason: string; note: string | null; ref: string; createdAt: number }) => ({
  id: r.id,
  delta: r.delta,
  reason: r.reason,
  note: r.note ?? null,
  ref: r.ref,
  createdAt: iso(r.createdAt)!,
});

/** The WHERE of one keyset page of a shopper's entries (either ledger): after the cursor, optionally earned (> 0) or spent (< 0) only. */
function ledgerWhere(t: LedgerTable, userId: string, q: LedgerQuery) {
  return and(
    eq(t.userId, userId),
    olderThanCursor({ createdAt: t.createdAt, id: t.id }, decodeCursor(q.cursor)),
    q.type === 'earn' ? gt(t.delta, 0) : undefined,
    q.type === 'spend' ? lt(t.delta, 0) : undefined,
  );
}

type EntryRow = { id: string; delta: number; reason: string; note: string | null; ref: string; createdAt: number };

function pageOf(rows: EntryRow[], q: LedgerQuery) {
  const page = toPage(rows, q.limit, (r) => ({ v: r.createdAt, id: r.id }));
  return { items: page.items.map(entryDto), nextCursor: page.nextCursor };
}

/** A page of a shopper's points entries, newest first. */
async function pointsEntriesOf(ctx: Ctx, userId: string, q: LedgerQuery) {
  const rows = await ctx.db
    .select()
    .from(pointsLedger)
    .where(ledgerWhere(pointsLedger, userId, q))
    .orderBy(desc(pointsLedger.createdAt), desc(pointsLedger.id))
    .limit(q.limit + 1);
  return pageOf(rows, q);
}

/** A page of a shopper's balance entries, newest first. */
async function walletEntriesOf(ctx: Ctx, userId: string, q: LedgerQuery) {
  const rows = await ctx.db
    .select()
    .from(walletLedger)
    .where(ledgerWhere(walletLedger, userId, q))
    .orderBy(desc(walletLedger.createdAt), desc(walletLedger.id))
    .limit(q.limit + 1);
  return pageOf(rows, q);
}

/** A shopper's points: balance, the next expiry, the rules they need to read it, and a page of entries. */
export async function pointsLedgerOf(ctx: Ctx, userId: string, q: LedgerQuery) {
  const rules = await getPointsRules(ctx);
  const [balance, expiring, page] = await Promise.all([
    pointsBalance(ctx, userId),
    nextExpiry(ctx, userId, rules.expiryMonths),
    pointsEntriesOf(ctx, userId, q),
  ]);
  return {
    balance,
    expiring,
    rules: { enabled: rules.enabled, pointsPerYuan: rules.pointsPerYuan, minPoints: rules.minPoints, expiryMonths: rules.expiryMonths },
    ...page,
  };
}

/** listPointsLedger: the signed-in shopper's points detail (积分明细). */
export const listPointsLedger = (ctx: Ctx, q: LedgerQuery) => pointsLedgerOf(ctx, shopperId(ctx, 'this is for shoppers'), q);

/** A shopper's stored balance (fen) and a page of its entries. */
export async function walletLedgerOf(ctx: Ctx, userId: string, q: LedgerQuery) {
  const [balance, page] = await Promise.all([walletBalance(ctx, userId), walletEntriesOf(ctx, userId, q)]);
  return { balance, ...page };
}

/** listWalletLedger: the signed-in shopper's balance detail (余额明细). */
export const listWalletLedger = (ctx: Ctx, q: LedgerQuery) => walletLedgerOf(ctx, shopperId(ctx, 'this is for shoppers'), q);

/** Staff lookup by phone number or user id: who it is, their points, balance and next expiry. */
export async function lookupMember(ctx: Ctx, q: string) {
  const user = /^1\d{10}$/.test(q)
    ? await findUserByPhone(ctx, q)
    : await getUser(ctx, q).catch((e: { code?: string }) => {
        if (e?.code === 'users.not_found') return null;
        throw e;
      });
  if (!user) throw notFound('members.user_not_found', `shopper ${q}`);
  const [points, balance, expiring] = await Promise.all([
    pointsBalance(ctx, user.id),
    walletBalance(ctx, user.id),
    nextExpiry(ctx, user.id),
  ]);
  return { userId: user.id, nickname: user.nickname, phoneMasked: user.phoneMasked, points, balance, expiring };
}

async function walletEntryByRef(ctx: Ctx, ref: string) {
  const [row] = await ctx.db.select().from(walletLedger).where(eq(walletLedger.ref, ref)).limit(1);
  return row ?? null;
}

/**
 * adjustBalance (staff, members.write): adds or takes away stored balance, like adjustPoints:
 * stored under `adjust:<ref>`, the same ref applies once (a repeat returns the first entry,
 * `replayed`; a different use is 409 members.ref_conflict), and a negative adjustment is guarded
 * in SQL so the balance never goes below 0 (409 members.not_enough_balance).
 */
export async function adjustBalance(ctx: Ctx, userId: string, input: AdjustBalanceInput) {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  if ((await getUserCreatedAt(ctx, userId)) === null) throw notFound('members.user_not_found', `user ${userId}`);
  const ref = `adjust:${input.ref ?? newId('adj')}`;
  const replay = async () => {
    const prior = await walletEntryByRef(ctx, ref);
    if (!prior) return null;
    if (prior.userId !== userId || prior.delta !== input.delta)
      throw conflict('members.ref_conflict', 'this ref was already used for a different adjustment', { ref: input.ref });
    return { entry: { ...entryDto(prior), userId }, balance: await walletBalance(ctx, userId), replayed: true };
  };
  const first = await replay();
  if (first) return first;
  const stmts =
    input.delta > 0
      ? [walletEntryStatement(ctx, { userId, delta: input.delta, reason: 'adjust', ref, note: input.reason })]
      : spendWalletStatements(ctx, { userId, amount: -input.delta, reason: 'adjust', ref, note: input.reason });
  try {
    await ctx.env.DB.batch(stmts);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === 'unique') {
      const again = await replay();
      if (again) return again;
    }
    if (kind === 'guard') {
      const balance = await walletBalance(ctx, userId);
      throw conflict('members.not_enough_balance', `the balance is ${balance} fen; cannot take away ${-input.delta}`, { balance });
    }
    throw e;
  }
  ctx.log.info('balance adjusted', { userId, delta: input.delta, ref, staffId: ctx.actor.staffId });
  return {
    entry: { ...entryDto((await walletEntryByRef(ctx, ref))!), userId },
    balance: await walletBalance(ctx, userId),
    replayed: false,
  };
}
