import { and, eq } from 'drizzle-orm';
import { type Ctx, shopperId } from '../../../shared/context';
import { batchFailure, guard, iso, stmt } from '../../../shared/db';
import { conflict, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { scheduleState } from '../../../shared/schedule';
import { pointsEntryStatement, spendPointsStatements } from '../../members/points.service';
import { campaignSpendStatements } from '../campaigns/budget';
import { issueCouponStatements } from '../coupons/issue';
import { lotteryDraws, lotteryPrizes } from '../schema';
import type { DrawResultDto } from './dto';
import {
  NOTHING_PRIZE_NAME,
  allowance,
  campaignCharge,
  loadPool,
  lotteryRow,
  prizeAvailable,
  shanghaiDay,
  type DrawRow,
  type LotteryRow,
  type PrizeRow,
} from './lottery.service';

// ---------------------------------------------------------------- fair randomness (pure)

const TWO_32 = 2 ** 32;

/** One uniformly random 32-bit unsigned integer from the platform CSPRNG. */
export const cryptoUint32 = (): number => crypto.getRandomValues(new Uint32Array(1))[0]!;

/**
 * A uniform integer in [0, n), without modulo bias: 32-bit values at or above the largest multiple
 * of n that fits are thrown away and drawn again (at most half of them, so the loop ends fast).
 */
export function randomBelow(n: number, source: () => number = cryptoUint32): number {
  if (!Number.isInteger(n) || n <= 0 || n > TWO_32) throw new RangeError(`randomBelow: n must be an integer in 1..2^32, got ${n}`);
  const limit = TWO_32 - (TWO_32 % n);
  for (;;) {
    const x = source();
    if (x < limit) return x % n;
  }
}

/**
 * Picks an index with probability weight / total (weights are non-negative integers), or -1 when
 * every weight is 0. `randomInt(total)` must return a uniform integer in [0, total); tests inject
 * one that walks every value to prove each index gets exactly `weight` of them.
 */
export function pickWeighted(weights: readonly number[], randomInt: (n: number) => number = (n) => randomBelow(n)): number {
  let total = 0;
  for (const w of weights) {
    if (!Number.isInteger(w) || w < 0) throw new RangeError(`pickWeighted: weights must be non-negative integers, got ${w}`);
    total += w;
  }
  if (total === 0) return -1;
  let r = randomInt(total);
  for (let i = 0; i < weights.length; i++) {
    if (r < weights[i]!) return i;
    r -= weights[i]!;
  }
  throw new RangeError(`pickWeighted: randomInt(${total}) returned a value out of range`);
}

// ---------------------------------------------------------------- drawLottery

/** A lost race (prize or budget gone between read and write) is redrawn this many times in all. */
const MAX_ATTEMPTS = 5;

async function drawByKey(ctx: Ctx, lotteryId: string, userId: string, key: string): Promise<DrawRow | null> {
  const [d] = await ctx.db
    .select()
    .from(lotteryDraws)
    .where(and(eq(lotteryDraws.userId, userId), eq(lotteryDraws.lotteryId, lotteryId), eq(lotteryDraws.idempotencyKey, key)))
    .limit(1);
  return d ?? null;
}

async function resultOf(ctx: Ctx, d: DrawRow, replayed: boolean, drawsLeftToday?: number): Promise<DrawResultDto> {
  let imageUrl: string | null = null;
  if (d.prizeId) {
    const [p] = await ctx.db
      .select({ imageUrl: lotteryPrizes.imageUrl })
      .from(lotteryPrizes)
      .where(eq(lotteryPrizes.id, d.prizeId))
      .limit(1);
    imageUrl = p?.imageUrl ?? null;
  }
  if (drawsLeftToday === undefined) {
    const l = await lotteryRow(ctx, d.lotteryId);
    drawsLeftToday = l ? (await allowance(ctx, l, d.userId)).drawsLeftToday : 0;
  }
  return {
    drawId: d.id,
    lotteryId: d.lotteryId,
    prize: { id: d.prizeId, name: d.prizeName, kind: d.prizeKind, imageUrl },
    coupon: d.couponId ? { id: d.couponId } : null,
    points: d.points,
    pointsSpent: d.pointsSpent,
    fulfilment: d.fulfilment,
    drawsLeftToday,
    replayed,
    createdAt: iso(d.createdAt)!,
  };
}

function assertOpen(l: LotteryRow | null, lotteryId: string, now: number): asserts l is LotteryRow {
  if (!l) throw notFound('promotions.lottery_not_found', `lottery ${lotteryId}`);
  const state = scheduleState(l, now);
  if (state !== 'live')
    throw conflict('promotions.lottery_not_open', state === 'upcoming' ? 'the lottery has not started yet' : 'the lottery is not open', {
      state,
      startsAt: iso(l.startsAt),
      endsAt: iso(l.endsAt),
    });
}

/**
 * drawLottery (shopper). Requires an Idempotency-Key: a repeat returns the first draw (`replayed`).
 *
 * Each attempt reads the lottery, the shopper's allowance and the prize pool, picks a prize
 * fairly (crypto randomness, rejection sampling) among the prizes that still have stock and fit
 * the budgets, and writes everything in ONE D1 batch:
 *   the draw row (unique per user+lottery+key — first, so a concurrent repeat fails on it before
 *   anything else) · the lottery still open · the free-draw count for today or the points spend ·
 *   the total limit · the prize's awarded+1 (CHECK awarded ≤ stock) · the lottery's budget_used
 *   (CHECK ≤ budget) · the campaign budget · the prize itself (coupon, points entry, goods to ship).
 * If another draw took the last of a prize or of a budget meanwhile, the batch aborts as a whole
 * and the draw is redrawn from fresh state; the last attempt draws 'none' (谢谢参与), which always
 * fits. 'none' prizes never consume stock: their awarded column is not written.
 */
export async function drawLottery(ctx: Ctx, lotteryId: string, idempotencyKey: string): Promise<DrawResultDto> {
  const userId = shopperId(ctx, 'only shoppers can draw');
  const key = idempotencyKey;
  const d1 = ctx.env.DB;
  const day = shanghaiDay(ctx.now);

  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const prior = await drawByKey(ctx, lotteryId, userId, key);
    if (prior) return resultOf(ctx, prior, true);

    const l = await lotteryRow(ctx, lotteryId);
    assertOpen(l, lotteryId, ctx.now);
    const allow = await allowance(ctx, l, userId);
    if (allow.nextDrawCost === null) throw allow.refusal!;
    const cost = allow.nextDrawCost;
    const pool = await loadPool(ctx, l);

    // Nothing else can be won (or this is the last attempt): the lottery's own 'none' prize, or 谢谢参与.
    let won: PrizeRow | null = pool.prizes.find((p) => p.kind === 'none') ?? null;
    if (attempt < MAX_ATTEMPTS) {
      const candidates = pool.prizes.filter((p) => p.weight > 0 && prizeAvailable(p, pool, ctx.now));
      const i = pickWeighted(candidates.map((p) => p.weight));
      if (i >= 0) won = candidates[i]!;
    }

    const drawId = newId('drw');
    const row: DrawRow = {
      id: drawId,
      lotteryId,
      userId,
      idempotencyKey: key,
      day,
      prizeId: won?.id ?? null,
      prizeKind: won?.kind ?? 'none',
      prizeName: won?.name ?? NOTHING_PRIZE_NAME,
      couponId: null,
      points: null,
      fulfilment: 'none',
      shippedAt: null,
      shippedBy: null,
      shipNote: null,
      pointsSpent: cost,
      bonus: allow.useChance,
      createdAt: ctx.now,
    };
    // The prize's effect, decided before the draw row is bound (the row records the coupon id,
    // points and fulfilment).
    const effects: D1PreparedStatement[] = [];
    if (won && won.kind !== 'none') {
      const p = won;
      effects.push(d1.prepare('UPDATE lottery_prizes SET awarded = awarded + 1 WHERE id = ?1 AND lottery_id = ?2').bind(p.id, lotteryId));
      if (p.value > 0)
        effects.push(d1.prepare('UPDATE lotteries SET budget_used = budget_used + ?1 WHERE id = ?2').bind(p.value, lotteryId));
      effects.push(...campaignSpendStatements(ctx, l.campaignId, campaignCharge(p, pool)));
      if (p.kind === 'coupon') {
        const issued = issueCouponStatements(ctx, pool.templates.get(p.couponTemplateId!)!, {
          userId,
          channel: 'lottery',
          grantKey: `draw:${drawId}`,
          enforcePerUserLimit: false,
        });
        row.couponId = issued.couponId;
        effects.push(...issued.stmts);
      } else if (p.kind === 'points') {
        row.points = p.points;
        effects.push(pointsEntryStatement(ctx, { userId, delta: p.points!, reason: 'lottery_prize', ref: `prize:${drawId}` }));
      } else if (p.kind === 'goods') {
        row.fulfilment = 'to_ship';
      }
    }

    // The draw row goes first: a concurrent repeat of this key fails on its unique index before
    // any guard runs. The guards after it therefore count this draw too (hence `<=`).
    const stmts: D1PreparedStatement[] = [
      stmt(d1, ctx.db.insert(lotteryDraws).values(row)),
      guard(
        d1,
        "SELECT count(*) = 1 FROM lotteries WHERE id = ?1 AND status = 'active' AND starts_at <= ?2 AND ends_at > ?2",
        lotteryId,
        ctx.now,
      ),
    ];
    if (allow.useChance)
      // Extra chances granted (points mall, …) cover every draw made with one, this one included.
      stmts.push(
        guard(
          d1,
          `SELECT (SELECT coalesce(sum(chances), 0) FROM lottery_chances WHERE lottery_id = ?1 AND user_id = ?2)
             >= (SELECT count(*) FROM lottery_draws WHERE lottery_id = ?1 AND user_id = ?2 AND bonus = 1)`,
          lotteryId,
          userId,
        ),
      );
    else if (cost === 0)
      stmts.push(
        guard(
          d1,
          'SELECT count(*) <= ?1 FROM lottery_draws WHERE lottery_id = ?2 AND user_id = ?3 AND day = ?4 AND points_spent = 0 AND bonus = 0',
          l.freeDrawsPerDay,
          lotteryId,
          userId,
          day,
        ),
      );
    else stmts.push(...spendPointsStatements(ctx, { userId, amount: cost, reason: 'lottery_draw', ref: `draw:${drawId}` }));
    if (l.maxDrawsPerUser != null)
      stmts.push(
        guard(
          d1,
          'SELECT count(*) <= ?1 FROM lottery_draws WHERE lottery_id = ?2 AND user_id = ?3 AND bonus = 0',
          l.maxDrawsPerUser,
          lotteryId,
          userId,
        ),
      );
    stmts.push(...effects);

    try {
      await d1.batch(stmts);
    } catch (e) {
      const failure = batchFailure(e);
      if (failure === 'unique') {
        const first = await drawByKey(ctx, lotteryId, userId, key);
        if (first) return resultOf(ctx, first, true);
      }
      if (failure === 'check' || failure === 'guard') {
        ctx.log.info('lottery draw lost a race; redrawing', { lotteryId, attempt, failure, prizeId: row.prizeId });
        continue;
      }
      throw e;
    }
    const left = Math.max(0, allow.drawsLeftToday - (cost === 0 && !allow.useChance ? 1 : 0));
    const totalLeft = allow.totalDrawsLeft == null ? null : allow.totalDrawsLeft - 1;
    return resultOf(ctx, row, false, totalLeft == null ? left : Math.min(left, totalLeft));
  }

  // Even the 'none' draw failed: most likely the shopper's own allowance changed (another draw of
  // theirs used the last free one, or spent the points). Say so if it did.
  const prior = await drawByKey(ctx, lotteryId, userId, key);
  if (prior) return resultOf(ctx, prior, true);
  const l = await lotteryRow(ctx, lotteryId);
  assertOpen(l, lotteryId, ctx.now);
  const allow = await allowance(ctx, l, userId);
  if (allow.refusal) throw allow.refusal;
  throw conflict('promotions.draw_busy', 'too many draws at once; try again in a moment');
}
