// Tier configuration (会员等级与权益) and what a shopper's tier gives: the perks checkout, the order
// hook, the cron and the support domain read.
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { batchFailure, guard, iso, stmt } from '../../../shared/db';
import { AppError, badRequest, conflict, notFound } from '../../../shared/errors';
import { newId } from '../../../shared/ids';
import { fenToYuan } from '../../../shared/money';
import { mediaUrl, assertMediaKeys } from '../../media/media.service';
import { templateRow } from '../../promotions/coupons/templates.service';
import type { CreateMemberTierInput, MemberTierDto, TierPerks, UpdateMemberTierInput } from './dto';
import { memberStates, memberTiers } from './schema';
import { addMonths } from './period';
import { getGrowthSettings } from './settings.service';

export type TierRow = typeof memberTiers.$inferSelect;

/** Active tiers, lowest rank first. */
export async function activeTiers(ctx: Ctx): Promise<TierRow[]> {
  return ctx.db.select().from(memberTiers).where(eq(memberTiers.status, 'active')).orderBy(asc(memberTiers.rank));
}

/** The highest active tier `growth` reaches (the lowest tier whatever it is), or null with no tiers. */
export function tierForGrowth(tiers: TierRow[], growth: number): TierRow | null {
  let best: TierRow | null = tiers[0] ?? null;
  for (const t of tiers) if (t.threshold <= growth) best = t;
  return best;
}

/** The shopper's tier now: their state row's tier, or the lowest active tier; null while no tiers exist. */
export async function currentTierOf(
  ctx: Ctx,
  userId: string,
): Promise<{ tier: TierRow | null; state: typeof memberStates.$inferSelect | null }> {
  const [row] = await ctx.db
    .select({ state: memberStates, tier: memberTiers })
    .from(memberStates)
    .innerJoin(memberTiers, eq(memberTiers.id, memberStates.tierId))
    .where(eq(memberStates.userId, userId))
    .limit(1);
  if (row) return row;
  const [lowest] = await ctx.db.select().from(memberTiers).where(eq(memberTiers.status, 'active')).orderBy(asc(memberTiers.rank)).limit(1);
  return { tier: lowest ?? null, state: null };
}

export const perksOf = (t: TierRow): TierPerks => ({
  memberPrice: t.memberPrice,
  discountRate: t.discountRate,
  freeShippingThreshold: t.freeShippingThreshold,
  pointsMultiplier: t.pointsMultiplier,
  birthdayGift:
    t.birthdayGiftKind === 'coupon'
      ? { kind: 'coupon', couponTemplateId: t.birthdayCouponTemplateId! }
      : t.birthdayGiftKind === 'points'
        ? { kind: 'points', points: t.birthdayPoints! }
        : { kind: 'none' },
  supportPriority: t.supportPriority,
});

/** "50" for 5000 fen, "59.90" for 5990: thresholds read better without ".00". */
export const yuanShort = (fen: number) => fenToYuan(fen).replace(/\.00$/, '');

/** 98 → "9.8", 90 → "9": how a Chinese shop writes a discount (折). */
export const zhe = (rate: number) => String(rate / 10);

/** The tier's perks in words (Chinese), for the member centre and the console. */
export function perkLines(t: TierRow, couponNames: ReadonlyMap<string, string> = new Map()): MemberTierDto['perkLines'] {
  const out: MemberTierDto['perkLines'] = [];
  if (t.memberPrice) out.push({ key: 'member_price', title: '会员价', description: '标有会员价的商品按会员价购买' });
  if (t.discountRate != null)
    out.push({
      key: 'discount',
      title: `${zhe(t.discountRate)}折`,
      description: `全场商品${zhe(t.discountRate)}折${t.memberPrice ? '（与会员价取更优）' : ''}`,
    });
  if (t.freeShippingThreshold != null)
    out.push({
      key: 'free_shipping',
      title: t.freeShippingThreshold === 0 ? '会员包邮' : `满${yuanShort(t.freeShippingThreshold)}元包邮`,
      description: t.freeShippingThreshold === 0 ? '每个包裹免运费' : `每个包裹商品满¥${yuanShort(t.freeShippingThreshold)}免运费`,
    });
  if (t.pointsMultiplier > 100)
    out.push({
      key: 'points',
      title: `${t.pointsMultiplier / 100}倍积分`,
      description: `订单完成后按${t.pointsMultiplier / 100}倍发放积分`,
    });
  if (t.birthdayGiftKind === 'coupon')
    out.push({
      key: 'birthday',
      title: '生日礼券',
      description: `生日当天送「${couponNames.get(t.birthdayCouponTemplateId ?? '') ?? '生日优惠券'}」`,
    });
  if (t.birthdayGiftKind === 'points') out.push({ key: 'birthday', title: '生日积分', description: `生日当天送${t.birthdayPoints}积分` });
  if (t.supportPriority > 0) out.push({ key: 'support', title: '专属客服', description: `客服优先接待（优先级${t.supportPriority}）` });
  return out;
}

/** template id → name for the birthday coupons the tiers name (missing templates are left out). */
export async function couponNamesOf(ctx: Ctx, tiers: TierRow[]): Promise<Map<string, string>> {
  const ids = [
    ...new Set(tiers.flatMap((t) => (t.birthdayGiftKind === 'coupon' && t.birthdayCouponTemplateId ? [t.birthdayCouponTemplateId] : []))),
  ];
  const names = new Map<string, string>();
  await Promise.all(
    ids.map(async (id) => {
      const t = await templateRow(ctx, id).catch(() => null);
      if (t) names.set(id, t.name);
    }),
  );
  return names;
}

export const tierIcon = (ctx: Ctx, t: TierRow) => ({
  name: t.iconName,
  color: t.iconColor,
  url: t.iconMediaKey ? mediaUrl(ctx.env, t.iconMediaKey) : null,
});

export const tierBrief = (ctx: Ctx, t: TierRow) => ({
  id: t.id,
  name: t.name,
  rank: t.rank,
  threshold: t.threshold,
  icon: tierIcon(ctx, t),
});

export function toTierDto(ctx: Ctx, t: TierRow, couponNames?: ReadonlyMap<string, string>): MemberTierDto {
  return {
    ...tierBrief(ctx, t),
    perks: perksOf(t),
    perkLines: perkLines(t, couponNames),
    status: t.status,
    createdAt: iso(t.createdAt)!,
    updatedAt: iso(t.updatedAt)!,
  };
}

async function tierRow(ctx: Ctx, tierId: string): Promise<TierRow> {
  const [t] = await ctx.db.select().from(memberTiers).where(eq(memberTiers.id, tierId)).limit(1);
  if (!t) throw notFound('members.tier_not_found', `member tier ${tierId}`);
  return t;
}

/** Columns of a perks input (only what it names). */
function perkColumns(p: Partial<TierPerks>): Partial<typeof memberTiers.$inferInsert> {
  const set: Partial<typeof memberTiers.$inferInsert> = {};
  if (p.memberPrice !== undefined) set.memberPrice = p.memberPrice;
  if (p.discountRate !== undefined) set.discountRate = p.discountRate;
  if (p.freeShippingThreshold !== undefined) set.freeShippingThreshold = p.freeShippingThreshold;
  if (p.pointsMultiplier !== undefined) set.pointsMultiplier = p.pointsMultiplier;
  if (p.supportPriority !== undefined) set.supportPriority = p.supportPriority;
  if (p.birthdayGift !== undefined) {
    set.birthdayGiftKind = p.birthdayGift.kind;
    set.birthdayCouponTemplateId = p.birthdayGift.kind === 'coupon' ? p.birthdayGift.couponTemplateId : null;
    set.birthdayPoints = p.birthdayGift.kind === 'points' ? p.birthdayGift.points : null;
  }
  return set;
}

/** What zod cannot check: the birthday coupon template exists and is active, the icon was uploaded. */
async function checkReferences(ctx: Ctx, p: Partial<TierPerks> | undefined, iconMediaKey: string | null | undefined) {
  if (p?.birthdayGift?.kind === 'coupon') {
    const t = await templateRow(ctx, p.birthdayGift.couponTemplateId).catch((e: AppError) => {
      if (e.code === 'promotions.coupon_not_found') return null;
      throw e;
    });
    if (!t || t.status !== 'active')
      throw badRequest('members.coupon_template_not_found', '生日礼券的券模板不存在或已停用', {
        path: 'perks.birthdayGift.couponTemplateId',
      });
  }
  if (iconMediaKey) await assertMediaKeys(ctx, [iconMediaKey]);
}

/**
 * Guards that keep the ladder consistent once the batch lands: among active tiers, a higher rank
 * needs a higher threshold, and the lowest tier starts at 0 (a shopper with no growth is in it).
 */
function ladderGuards(ctx: Ctx): D1PreparedStatement[] {
  const d1 = ctx.env.DB;
  return [
    guard(
      d1,
      `NOT EXISTS (SELECT 1 FROM member_tiers a JOIN member_tiers b ON a.status = 'active' AND b.status = 'active'
         AND a.rank < b.rank AND a.threshold >= b.threshold)`,
    ),
    guard(d1, `coalesce((SELECT threshold FROM member_tiers WHERE status = 'active' ORDER BY rank LIMIT 1), 0) = 0`),
  ];
}

function ladderError(e: unknown): never {
  const kind = batchFailure(e);
  if (kind === 'unique') throw conflict('members.rank_taken', '已有启用中的等级使用这个排序值');
  if (kind === 'guard') throw conflict('members.tier_order', '等级越高，成长值门槛必须越高；最低的等级门槛须为0');
  throw e;
}

/** createMemberTier (members.write). */
export async function createMemberTier(ctx: Ctx, input: CreateMemberTierInput): Promise<MemberTierDto> {
  await checkReferences(ctx, input.perks, input.iconMediaKey);
  const id = newId('tir');
  const p = input.perks;
  const row: typeof memberTiers.$inferInsert = {
    id,
    name: input.name,
    rank: input.rank,
    threshold: input.threshold,
    iconName: input.iconName,
    iconColor: input.iconColor.toLowerCase(),
    iconMediaKey: input.iconMediaKey ?? null,
    memberPrice: false,
    pointsMultiplier: 100,
    supportPriority: 0,
    ...perkColumns(p),
    status: 'active',
    createdAt: ctx.now,
    updatedAt: ctx.now,
  };
  try {
    await ctx.env.DB.batch([stmt(ctx.env.DB, ctx.db.insert(memberTiers).values(row)), ...ladderGuards(ctx)]);
  } catch (e) {
    ladderError(e);
  }
  ctx.log.info('member tier created', { tierId: id, name: input.name });
  return getMemberTier(ctx, id);
}

export async function getMemberTier(ctx: Ctx, tierId: string): Promise<MemberTierDto> {
  const t = await tierRow(ctx, tierId);
  return toTierDto(ctx, t, await couponNamesOf(ctx, [t]));
}

/** updateMemberTier (members.write): members keep their tier; new thresholds act from the next growth or review. */
export async function updateMemberTier(ctx: Ctx, tierId: string, input: UpdateMemberTierInput): Promise<MemberTierDto> {
  const t = await tierRow(ctx, tierId);
  await checkReferences(ctx, input.perks, input.iconMediaKey);
  const set: Partial<typeof memberTiers.$inferInsert> = { ...perkColumns(input.perks ?? {}), updatedAt: ctx.now };
  if (input.name !== undefined) set.name = input.name;
  if (input.rank !== undefined) set.rank = input.rank;
  if (input.threshold !== undefined) set.threshold = input.threshold;
  if (input.iconName !== undefined) set.iconName = input.iconName;
  if (input.iconColor !== undefined) set.iconColor = input.iconColor.toLowerCase();
  if (input.iconMediaKey !== undefined) set.iconMediaKey = input.iconMediaKey;
  try {
    await ctx.env.DB.batch([stmt(ctx.env.DB, ctx.db.update(memberTiers).set(set).where(eq(memberTiers.id, t.id))), ...ladderGuards(ctx)]);
  } catch (e) {
    ladderError(e);
  }
  return getMemberTier(ctx, tierId);
}

/**
 * disableMemberTier (members.write): the tier stops being offered and its members move, in the
 * same batch, to the next lower active tier (or the next higher one when it was the lowest), each
 * move recorded as an 'admin' change. The last active tier cannot be disabled.
 */
export async function disableMemberTier(ctx: Ctx, tierId: string): Promise<MemberTierDto> {
  const t = await tierRow(ctx, tierId);
  if (t.status === 'disabled') return getMemberTier(ctx, tierId);
  const others = (await activeTiers(ctx)).filter((x) => x.id !== t.id);
  if (others.length === 0) throw conflict('members.last_tier', '至少要保留一个启用中的等级');
  const target = [...others].reverse().find((x) => x.rank < t.rank) ?? others[0]!;
  const targetIsLowest = target.id === others[0]!.id;
  const d1 = ctx.env.DB;
  const note = `等级「${t.name}」停用`;
  const reviewAt = targetIsLowest ? null : addMonths(ctx.now, (await getGrowthSettings(ctx)).reviewMonths);
  try {
    await d1.batch([
      d1
        .prepare(
          `INSERT INTO member_tier_changes (id, user_id, from_tier_id, from_name, to_tier_id, to_name, reason, growth, ref, note, staff_id, created_at)
           SELECT 'tch_' || lower(hex(randomblob(8))), user_id, ?1, ?2, ?3, ?4, 'admin', 0, 'disable:' || ?1 || ':' || user_id || ':' || ?5, ?6, ?7, ?5
           FROM member_states WHERE tier_id = ?1`,
        )
        .bind(t.id, t.name, target.id, target.name, ctx.now, note, ctx.actor.kind === 'staff' ? ctx.actor.staffId : null),
      stmt(
        d1,
        ctx.db
          .update(memberStates)
          .set({ tierId: target.id, tierSince: ctx.now, reviewAt, updatedAt: ctx.now })
          .where(eq(memberStates.tierId, t.id)),
      ),
      stmt(d1, ctx.db.update(memberTiers).set({ status: 'disabled', updatedAt: ctx.now }).where(eq(memberTiers.id, t.id))),
      ...ladderGuards(ctx),
    ]);
  } catch (e) {
    ladderError(e);
  }
  ctx.log.info('member tier disabled', { tierId, movedTo: target.id });
  return getMemberTier(ctx, tierId);
}

/** enableMemberTier (members.write): offers a disabled tier again (its rank must be free). */
export async function enableMemberTier(ctx: Ctx, tierId: string): Promise<MemberTierDto> {
  const t = await tierRow(ctx, tierId);
  if (t.status === 'active') return getMemberTier(ctx, tierId);
  try {
    await ctx.env.DB.batch([
      stmt(ctx.env.DB, ctx.db.update(memberTiers).set({ status: 'active', updatedAt: ctx.now }).where(eq(memberTiers.id, t.id))),
      ...ladderGuards(ctx),
    ]);
  } catch (e) {
    ladderError(e);
  }
  return getMemberTier(ctx, tierId);
}

/** listMemberTiers (members.read): by rank, with how many shoppers are in each now. */
export async function listMemberTiers(ctx: Ctx, status: 'active' | 'disabled' | 'all') {
  const rows = await ctx.db
    .select()
    .from(memberTiers)
    .where(status === 'all' ? undefined : eq(memberTiers.status, status))
    .orderBy(asc(memberTiers.rank), asc(memberTiers.createdAt));
  const counts = new Map(
    (
      await ctx.db
        .select({ tierId: memberStates.tierId, n: sql<number>`count(*)` })
        .from(memberStates)
        .groupBy(memberStates.tierId)
    ).map((r) => [r.tierId, Number(r.n)]),
  );
  const names = await couponNamesOf(ctx, rows);
  return { items: rows.map((t) => ({ ...toTierDto(ctx, t, names), memberCount: counts.get(t.id) ?? 0 })) };
}

/** What checkout needs of the shopper's tier: member price, tier discount, free-shipping threshold. */
export interface MemberPricing {
  tierId: string;
  tierName: string;
  memberPrice: boolean;
  discountRate: number | null;
  freeShippingThreshold: number | null;
}

/** The pricing perks of the shopper's tier, or null (no tiers configured). */
export async function memberPricingOf(ctx: Ctx, userId: string): Promise<MemberPricing | null> {
  const { tier } = await currentTierOf(ctx, userId);
  if (!tier) return null;
  return {
    tierId: tier.id,
    tierName: tier.name,
    memberPrice: tier.memberPrice,
    discountRate: tier.discountRate,
    freeShippingThreshold: tier.freeShippingThreshold,
  };
}

/**
 * The shopper's customer-service priority (0 = normal, higher first): the support domain orders
 * its queue by it.
 */
export async function supportPriorityOf(ctx: Ctx, userId: string): Promise<number> {
  return (await currentTierOf(ctx, userId)).tier?.supportPriority ?? 0;
}

/** Tier rows by id (any status): names for history rows. */
export async function tiersById(ctx: Ctx, ids: string[]): Promise<Map<string, TierRow>> {
  if (ids.length === 0) return new Map();
  const rows = await ctx.db
    .select()
    .from(memberTiers)
    .where(inArray(memberTiers.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Whether the shopper's tier ranks at or above tier `minTierId` (a points-mall item for 金卡 and
 * up). An unknown tier id, or a shop without tiers, answers false: a tier-only item is never given
 * away by mistake.
 */
export async function holdsTierAtLeast(ctx: Ctx, userId: string, minTierId: string): Promise<boolean> {
  const [{ tier }, [min]] = await Promise.all([
    currentTierOf(ctx, userId),
    ctx.db.select({ rank: memberTiers.rank }).from(memberTiers).where(eq(memberTiers.id, minTierId)).limit(1),
  ]);
  return !!tier && !!min && tier.rank >= min.rank;
}
