// 新人礼包: the coupons a shopper gets once, right after registering. Imported by the login path,
// so this module must not import the users domain (it would be a cycle) and must stay cheap.
import { and, asc, eq, gt, like, lte, or, sql } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure } from '../../../shared/db';
import { couponTemplates, userCoupons } from '../schema';
import { couponByGrant, issueCouponStatements } from './issue';
import type { TemplateRow } from './views';

const DAY_MS = 86_400_000;
/** A shopper counts as new (and gets the pack at login) for this many days after registering. */
export const NEW_USER_DAYS = 7;

export const packGrantKey = (templateId: string) => `pack:${templateId}`;

export interface PackCoupon {
  templateId: string;
  couponId: string;
}

/** The pack's tiers on offer now: active new_user_pack templates in their window, by packOrder. */
export async function newUserPackTemplates(ctx: Ctx): Promise<TemplateRow[]> {
  return ctx.db
    .select()
    .from(couponTemplates)
    .where(
      and(
        eq(couponTemplates.status, 'active'),
        lte(couponTemplates.claimStartsAt, ctx.now),
        gt(couponTemplates.claimEndsAt, ctx.now),
        or(sql`${couponTemplates.validTo} is null`, gt(couponTemplates.validTo, ctx.now)),
        sql`exists (select 1 from json_each(${couponTemplates.channels}) where value = 'new_user_pack')`,
      ),
    )
    .orderBy(
      sql`${couponTemplates.packOrder} is null`,
      asc(couponTemplates.packOrder),
      asc(couponTemplates.createdAt),
      asc(couponTemplates.id),
    )
    .limit(50);
}

/** templateId → couponId of the pack coupons the shopper holds (used or not). */
export async function heldPackCoupons(ctx: Ctx, userId: string): Promise<Map<string, string>> {
  const rows = await ctx.db
    .select({ id: userCoupons.id, templateId: userCoupons.templateId })
    .from(userCoupons)
    .where(and(eq(userCoupons.userId, userId), like(userCoupons.grantKey, 'pack:%')));
  return new Map(rows.map((r) => [r.templateId, r.id]));
}

/**
 * Gives the shopper every tier of the pack they do not hold yet, each tier once ever (grantKey
 * `pack:<templateId>`): one batch per tier, so a sold-out or over-budget tier does not block the
 * others, and concurrent logins cannot double it (the unique grant key stops the second).
 */
export async function grantNewUserPack(ctx: Ctx, userId: string): Promise<{ granted: PackCoupon[]; alreadyHeld: PackCoupon[] }> {
  const tiers = await newUserPackTemplates(ctx);
  const granted: PackCoupon[] = [];
  const alreadyHeld: PackCoupon[] = [];
  if (tiers.length === 0) return { granted, alreadyHeld };
  const held = await heldPackCoupons(ctx, userId);
  await Promise.all(
    tiers.map(async (t) => {
      const have = held.get(t.id);
      if (have) {
        alreadyHeld.push({ templateId: t.id, couponId: have });
        return;
      }
      const grantKey = packGrantKey(t.id);
      const { couponId, stmts } = issueCouponStatements(ctx, t, { userId, channel: 'new_user_pack', grantKey, enforcePerUserLimit: false });
      try {
        await ctx.env.DB.batch(stmts);
        granted.push({ templateId: t.id, couponId });
      } catch (e) {
        const kind = batchFailure(e);
        if (kind === null) throw e;
        // Whatever failed, a concurrent login may have granted it meanwhile.
        const prev = await couponByGrant(ctx, userId, grantKey);
        if (prev) alreadyHeld.push({ templateId: t.id, couponId: prev.id });
        else
          ctx.log.warn('new-user pack tier not granted', {
            templateId: t.id,
            reason: kind === 'check' ? 'sold_out' : 'disabled_or_budget',
          });
      }
    }),
  );
  const order = new Map(tiers.map((t, i) => [t.id, i]));
  const byTier = (a: PackCoupon, b: PackCoupon) => order.get(a.templateId)! - order.get(b.templateId)!;
  return { granted: granted.sort(byTier), alreadyHeld: alreadyHeld.sort(byTier) };
}

/**
 * The login hook: grants the pack to a shopper registered in the last NEW_USER_DAYS days (their
 * first login, or a later one retrying a grant that failed). Costs nothing for older shoppers
 * and never fails the login: errors are logged and swallowed.
 */
export async function grantNewUserPackOnLogin(ctx: Ctx, user: { id: string; createdAt: number }): Promise<void> {
  if (ctx.now - user.createdAt >= NEW_USER_DAYS * DAY_MS) return;
  try {
    const r = await grantNewUserPack(ctx, user.id);
    if (r.granted.length) ctx.log.info('new-user pack granted', { userId: user.id, couponIds: r.granted.map((g) => g.couponId) });
  } catch (e) {
    ctx.log.error('new-user pack grant failed', { userId: user.id, err: e instanceof Error ? e.message : String(e) });
  }
}
