import { and, asc, count, desc, eq, gt, inArray, lt, lte, or, sql } from 'drizzle-orm';
import { type Ctx, shopperId, shopperIdOrNull } from '../../../shared/context';
import { batchFailure, D1_IN_CHUNK, inChunks, iso } from '../../../shared/db';
import { AppError, badRequest, conflict, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { decodeCursor, toPage, type Page } from '../../../shared/pagination';
import type { z } from '@hono/zod-openapi';
import { couponTemplates, userCoupons } from '../schema';
import { getUserCreatedAt } from '../../users/users.service';
import type { ClaimCouponInput, ClaimableCouponListSchema, ListMyCouponsQuery, NewUserPackDto, UserCouponDto } from './dto';
import { couponByGrant, couponFaceValue, issueCouponStatements } from './issue';
import { heldPackCoupons, NEW_USER_DAYS, newUserPackTemplates } from './new-user-pack';
import { templateRow } from './templates.service';
import { termsOf, toCouponWithTerms, toUserCouponDto, type CouponWithTerms, type TemplateRow } from './views';

export { createCouponTemplate, getCouponTemplate, listCouponTemplates, updateCouponTemplate } from './templates.service';
export { issueCouponsToSegment } from './segment-issue';
export type { CouponWithTerms } from './views';
export { grantNewUserPack } from './new-user-pack';

/** The coupon centre shows at most this many templates. */
const CENTRE_LIMIT = 100;

const hasChannel = (channel: string) => sql`exists (select 1 from json_each(${couponTemplates.channels}) where value = ${channel})`;

/** How many coupons of each template the shopper holds (used or not). */
async function heldCounts(ctx: Ctx, userId: string, templateIds: string[]): Promise<Map<string, number>> {
  const rows = await inChunks(templateIds, D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ templateId: userCoupons.templateId, n: count() })
      .from(userCoupons)
      .where(and(eq(userCoupons.userId, userId), inArray(userCoupons.templateId, part)))
      .groupBy(userCoupons.templateId),
  );
  return new Map(rows.map((r) => [r.templateId, r.n]));
}

/**
 * listClaimableCoupons (领券中心): active storefront coupons whose claim window is open and that
 * have some left; for a signed-in shopper, how many they hold and whether they can claim another.
 */
export async function listClaimableCoupons(ctx: Ctx): Promise<z.infer<typeof ClaimableCouponListSchema>> {
  const rows = await ctx.db
    .select()
    .from(couponTemplates)
    .where(
      and(
        eq(couponTemplates.status, 'active'),
        gt(couponTemplates.claimEndsAt, ctx.now),
        lte(couponTemplates.claimStartsAt, ctx.now),
        lt(couponTemplates.issuedCount, couponTemplates.totalQuantity),
        or(sql`${couponTemplates.validTo} is null`, gt(couponTemplates.validTo, ctx.now)),
        hasChannel('storefront'),
      ),
    )
    .orderBy(asc(couponTemplates.claimEndsAt), asc(couponTemplates.id))
    .limit(CENTRE_LIMIT);
  const me = shopperIdOrNull(ctx);
  const held = me
    ? await heldCounts(
        ctx,
        me,
        rows.map((t) => t.id),
      )
    : null;
  return {
    serverTime: iso(ctx.now)!,
    items: rows.map((t) => {
      const remaining = Math.max(0, t.totalQuantity - t.issuedCount);
      const mine = held ? (held.get(t.id) ?? 0) : null;
      return {
        templateId: t.id,
        ...termsOf(t),
        validFrom: iso(t.validFrom),
        validTo: iso(t.validTo),
        validDays: t.validDays,
        claimEndsAt: iso(t.claimEndsAt)!,
        perUserLimit: t.perUserLimit,
        remaining,
        claimedByMe: mine,
        canClaim: mine === null ? null : mine < t.perUserLimit && remaining > 0,
      };
    }),
  };
}

async function templateByCode(ctx: Ctx, code: string): Promise<TemplateRow> {
  const [t] = await ctx.db.select().from(couponTemplates).where(eq(couponTemplates.code, code.toUpperCase())).limit(1);
  if (!t) throw notFound('promotions.coupon_not_found', 'coupon code');
  return t;
}

async function replay(
  ctx: Ctx,
  userId: string,
  grantKey: string,
  t: TemplateRow,
): Promise<{ coupon: UserCouponDto; replayed: true } | null> {
  const prev = await couponByGrant(ctx, userId, grantKey);
  if (!prev) return null;
  if (prev.templateId !== t.id)
    throw conflict('promotions.idempotency_key_reused', 'this Idempotency-Key was already used to claim a different coupon', {
      couponId: prev.id,
    });
  return { coupon: toUserCouponDto(prev, t, ctx.now), replayed: true };
}

/**
 * claimCoupon: a storefront coupon by template id, or a redemption code. With an Idempotency-Key
 * a retry returns the coupon the first request got (replayed). The issue itself is one D1 batch
 * (see issueCouponStatements), so quantity, the per-shopper limit and the campaign budget hold
 * under any concurrency; a failed batch is explained by looking at why.
 */
export async function claimCoupon(
  ctx: Ctx,
  input: ClaimCouponInput,
  idempotencyKey?: string,
): Promise<{ coupon: UserCouponDto; replayed: boolean }> {
  const userId = shopperId(ctx);
  const t = input.code !== undefined ? await templateByCode(ctx, input.code) : await templateRow(ctx, input.templateId!);
  const grantKey = `claim:${idempotencyKey ?? newId('clm')}`;
  if (idempotencyKey) {
    const prev = await replay(ctx, userId, grantKey, t);
    if (prev) return prev;
  }
  if (input.code !== undefined && !t.channels.includes('code')) throw notFound('promotions.coupon_not_found', 'coupon code');
  if (input.templateId !== undefined && !t.channels.includes('storefront') && !t.channels.includes('campaign'))
    throw badRequest(
      'promotions.wrong_channel',
      t.channels.includes('code')
        ? 'this coupon is claimed with its redemption code, not its id'
        : 'this coupon cannot be claimed; it is given out in other ways',
    );
  assertClaimOpen(ctx, t);

  const { couponId, stmts } = issueCouponStatements(ctx, t, {
    userId,
    channel: input.code !== undefined ? 'code' : t.channels.includes('storefront') ? 'storefront' : 'campaign',
    grantKey,
    enforcePerUserLimit: true,
  });
  try {
    await ctx.env.DB.batch(stmts);
  } catch (e) {
    const kind = batchFailure(e);
    if (kind === null) throw e;
    // The same key racing itself: the other request won; answer with its coupon.
    const prev = await replay(ctx, userId, grantKey, t);
    if (prev) return prev;
    throw await claimRefusal(ctx, t, userId, kind);
  }
  const [c] = await ctx.db.select().from(userCoupons).where(eq(userCoupons.id, couponId)).limit(1);
  return { coupon: toUserCouponDto(c!, t, ctx.now), replayed: false };
}

function assertClaimOpen(ctx: Ctx, t: TemplateRow) {
  const at = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
  if (t.status !== 'active') throw conflict('promotions.claim_not_open', 'this coupon is no longer available');
  if (ctx.now < t.claimStartsAt)
    throw conflict('promotions.claim_not_open', `claiming opens at ${at(t.claimStartsAt)} (Beijing time)`, {
      claimStartsAt: iso(t.claimStartsAt),
    });
  if (ctx.now >= t.claimEndsAt || (t.validTo !== null && t.validTo <= ctx.now))
    throw conflict('promotions.claim_not_open', 'claiming this coupon has ended', { claimEndsAt: iso(t.claimEndsAt) });
}

/** Why an issue batch failed, as the shopper's error. */
async function claimRefusal(ctx: Ctx, t: TemplateRow, userId: string, kind: 'guard' | 'check' | 'unique'): Promise<AppError> {
  if (kind === 'check') return conflict('promotions.coupons_gone', 'all of these coupons have been claimed');
  const fresh = await templateRow(ctx, t.id);
  if (fresh.status !== 'active') return conflict('promotions.claim_not_open', 'this coupon is no longer available');
  const [mine] = await ctx.db
    .select({ n: count() })
    .from(userCoupons)
    .where(and(eq(userCoupons.templateId, t.id), eq(userCoupons.userId, userId)));
  if ((mine?.n ?? 0) >= t.perUserLimit)
    return conflict('promotions.claim_limit', `you can claim at most ${t.perUserLimit} of this coupon`, { perUserLimit: t.perUserLimit });
  if (t.campaignId) {
    const row = await ctx.env.DB.prepare('SELECT budget_used + ?1 > budget AS over FROM campaigns WHERE id = ?2')
      .bind(couponFaceValue(t), t.campaignId)
      .first<{ over: number }>();
    if (!row || row.over) return conflict('promotions.campaign_budget_exhausted', "this campaign's coupons have all been given out");
  }
  ctx.log.warn('coupon claim failed for no visible reason', { templateId: t.id, kind });
  return conflict('promotions.claim_failed', 'the coupon could not be claimed just now; try again');
}

/** listMyCoupons: the shopper's coupons by computed status, keyset-paged. */
export async function listMyCoupons(ctx: Ctx, q: ListMyCouponsQuery): Promise<Page<UserCouponDto>> {
  const userId = shopperId(ctx);
  const cur = decodeCursor(q.cursor);
  const cv = Number(cur?.v);
  const uc = userCoupons;
  let where;
  let order;
  let sortValue: (c: typeof uc.$inferSelect) => number;
  if (q.status === 'available') {
    // Expiring soonest first: what the shopper should use next.
    where = and(
      eq(uc.status, 'available'),
      gt(uc.validTo, ctx.now),
      cur ? or(gt(uc.validTo, cv), and(eq(uc.validTo, cv), gt(uc.id, cur.id))) : undefined,
    );
    order = [asc(uc.validTo), asc(uc.id)];
    sortValue = (c) => c.validTo;
  } else if (q.status === 'expired') {
    where = and(
      eq(uc.status, 'available'),
      lte(uc.validTo, ctx.now),
      cur ? or(lt(uc.validTo, cv), and(eq(uc.validTo, cv), lt(uc.id, cur.id))) : undefined,
    );
    order = [desc(uc.validTo), desc(uc.id)];
    sortValue = (c) => c.validTo;
  } else {
    where = and(eq(uc.status, 'used'), cur ? or(lt(uc.usedAt, cv), and(eq(uc.usedAt, cv), lt(uc.id, cur.id))) : undefined);
    order = [desc(uc.usedAt), desc(uc.id)];
    sortValue = (c) => c.usedAt ?? 0;
  }
  const rows = await ctx.db
    .select({ c: uc, t: couponTemplates })
    .from(uc)
    .innerJoin(couponTemplates, eq(couponTemplates.id, uc.templateId))
    .where(and(eq(uc.userId, userId), where))
    .orderBy(...order)
    .limit(q.limit + 1);
  const page = toPage(rows, q.limit, (r) => ({ v: sortValue(r.c), id: r.c.id }));
  return { items: page.items.map((r) => toUserCouponDto(r.c, r.t, ctx.now)), nextCursor: page.nextCursor };
}

/**
 * The shopper's unused, unexpired coupons with their template terms (expiring soonest first):
 * what the checkout may apply. Includes coupons whose validFrom is still ahead (the engine says
 * "not started" for those).
 */
export async function listUsableCouponRows(ctx: Ctx, userId: string): Promise<CouponWithTerms[]> {
  const rows = await ctx.db
    .select({ c: userCoupons, t: couponTemplates })
    .from(userCoupons)
    .innerJoin(couponTemplates, eq(couponTemplates.id, userCoupons.templateId))
    .where(and(eq(userCoupons.userId, userId), eq(userCoupons.status, 'available'), gt(userCoupons.validTo, ctx.now)))
    .orderBy(asc(userCoupons.validTo), asc(userCoupons.id))
    .limit(200);
  return rows.map(({ c, t }) => toCouponWithTerms(c, t, ctx.now));
}

/** getNewUserPack: the pack's tiers and, for a signed-in shopper, which they hold and whether they are new. */
export async function getNewUserPack(ctx: Ctx): Promise<NewUserPackDto> {
  const me = shopperIdOrNull(ctx);
  const [tiers, held, createdAt] = await Promise.all([
    newUserPackTemplates(ctx),
    me ? heldPackCoupons(ctx, me) : null,
    me ? getUserCreatedAt(ctx, me) : null,
  ]);
  return {
    eligible: me ? createdAt !== null && ctx.now - createdAt < NEW_USER_DAYS * 86_400_000 : null,
    tiers: tiers.map((t) => ({
      templateId: t.id,
      packOrder: t.packOrder,
      ...termsOf(t),
      validFrom: iso(t.validFrom),
      validTo: iso(t.validTo),
      validDays: t.validDays,
      held: held ? held.has(t.id) : null,
      couponId: held?.get(t.id) ?? null,
    })),
  };
}
