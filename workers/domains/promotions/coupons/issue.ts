import { and, eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { guard, stmt } from '../../../shared/db';
import { newId } from '../../../shared/ids';
import { couponTemplates, userCoupons, type CouponChannel } from '../schema';
import { campaignSpendStatements } from '../campaigns/budget';

export type CouponTemplateRow = typeof couponTemplates.$inferSelect;

const DAY_MS = 86_400_000;

/** The most a coupon of this template can take off: what it reserves of a campaign budget. */
export function couponFaceValue(t: Pick<CouponTemplateRow, 'kind' | 'amountOff' | 'maxOff'>): number {
  if (t.kind === 'amount_off') return t.amountOff ?? 0;
  if (t.kind === 'percent_off') return t.maxOff ?? 0;
  return t.amountOff ?? 0;
}

/** A coupon's validity window when issued at `now`: the template's fixed window or N days from now. */
export function couponValidity(
  t: Pick<CouponTemplateRow, 'validFrom' | 'validTo' | 'validDays'>,
  now: number,
): { validFrom: number; validTo: number } {
  if (t.validDays != null) return { validFrom: now, validTo: now + t.validDays * DAY_MS };
  return { validFrom: t.validFrom ?? now, validTo: t.validTo ?? now + DAY_MS };
}

export interface IssueOptions {
  userId: string;
  channel: CouponChannel;
  /** Idempotency: one coupon per (user, grantKey), ever. */
  grantKey: string;
  /** Claims respect the template's per-shopper limit; packs, prizes and staff issues may skip it. */
  enforcePerUserLimit?: boolean;
}

/**
 * Statements that issue one coupon of `t` to a shopper, for the caller's D1 batch. In one
 * transaction: the template's issued count goes up (CHECK issued ≤ total → 'check' failure when
 * none are left), the per-shopper limit is guarded ('guard'), the campaign budget is reserved
 * ('guard'), and the coupon row is inserted (unique (user, grantKey) → 'unique' on a repeat).
 */
export function issueCouponStatements(ctx: Ctx, t: CouponTemplateRow, o: IssueOptions): { couponId: string; stmts: D1PreparedStatement[] } {
  const d1 = ctx.env.DB;
  const couponId = newId('cpn');
  const { validFrom, validTo } = couponValidity(t, ctx.now);
  const stmts: D1PreparedStatement[] = [
    guard(d1, "SELECT count(*) = 1 FROM coupon_templates WHERE id = ?1 AND status = 'active'", t.id),
    d1.prepare('UPDATE coupon_templates SET issued_count = issued_count + 1 WHERE id = ?1').bind(t.id),
  ];
  if (o.enforcePerUserLimit !== false)
    stmts.push(guard(d1, 'SELECT count(*) < ?1 FROM user_coupons WHERE template_id = ?2 AND user_id = ?3', t.perUserLimit, t.id, o.userId));
  stmts.push(...campaignSpendStatements(ctx, t.campaignId, couponFaceValue(t)));
  stmts.push(
    stmt(
      d1,
      ctx.db.insert(userCoupons).values({
        id: couponId,
        templateId: t.id,
        userId: o.userId,
        merchantId: t.merchantId,
        channel: o.channel,
        grantKey: o.grantKey,
        validFrom,
        validTo,
        createdAt: ctx.now,
      }),
    ),
  );
  return { couponId, stmts };
}

/** The coupon a (user, grantKey) already received, if any: the answer to a repeated issue. */
export async function couponByGrant(ctx: Ctx, userId: string, grantKey: string) {
  const [row] = await ctx.db
    .select()
    .from(userCoupons)
    .where(and(eq(userCoupons.userId, userId), eq(userCoupons.grantKey, grantKey)))
    .limit(1);
  return row ?? null;
}

/**
 * Statements that withdraw an issued coupon the shopper has not used (a clawed-back referral
 * reward), for the caller's batch: a guard that it is still available and in no checkout ('guard'
 * failure otherwise — it was just used), then it expires now, so it shows as 已过期 and no
 * checkout can take it.
 */
export function revokeCouponStatements(ctx: Ctx, couponId: string): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return [
    guard(d1, "SELECT count(*) = 1 FROM user_coupons WHERE id = ?1 AND status = 'available' AND checkout_id IS NULL", couponId),
    d1.prepare('UPDATE user_coupons SET valid_to = min(valid_to, max(valid_from + 1, ?2)) WHERE id = ?1').bind(couponId, ctx.now),
  ];
}
