// What a shopper (getMembership) and staff (member look-up) see of a membership.
import { desc, eq, inArray, sql } from 'drizzle-orm';
import { type Ctx, shopperId } from '../../../shared/context';
import { iso } from '../../../shared/db';
import { getUser, searchUsers } from '../../users/users.service';
import { pointsBalance } from '../points.service';
import { walletBalance } from '../wallet/wallet.service';
import type { MembershipDto, TierChangeDto } from './dto';
import { memberStates, memberTierChanges, memberTiers, type TierChangeReason } from './schema';
import { getGrowthSettings } from './settings.service';
import { activeTiers, couponNamesOf, currentTierOf, perkLines, tierBrief } from './tiers.service';
import { growthBetween, growthWindowStart, recentGrowthEntries, totalGrowth } from './growth.service';
import { birthdayGiftsOf } from './cron.service';

type ChangeRow = typeof memberTierChanges.$inferSelect;

const REASON_TEXT: Record<TierChangeReason, (c: ChangeRow) => string> = {
  upgrade: (c) => `成长值达到${c.toName}`,
  review_downgrade: (c) => `保级未达标，降为${c.toName}`,
  review_keep: (c) => `保级成功，继续享受${c.toName}权益`,
  admin: (c) => `客服调整为${c.toName}`,
};

export const toChangeDto = (c: ChangeRow): TierChangeDto => ({
  id: c.id,
  fromTier: c.fromTierId ? { id: c.fromTierId, name: c.fromName ?? '' } : null,
  toTier: { id: c.toTierId, name: c.toName },
  reason: c.reason,
  reasonText: REASON_TEXT[c.reason](c),
  growth: c.growth,
  note: c.note,
  createdAt: iso(c.createdAt)!,
});

/** Latest tier changes of a shopper, newest first. */
export async function tierChangesOf(ctx: Ctx, userId: string, limit = 10): Promise<TierChangeDto[]> {
  const rows = await ctx.db
    .select()
    .from(memberTierChanges)
    .where(eq(memberTierChanges.userId, userId))
    .orderBy(desc(memberTierChanges.createdAt), desc(sql`rowid`))
    .limit(limit);
  return rows.map(toChangeDto);
}

/** A shopper's membership: tier, growth and what is next, perks, points and balance, review date, history. */
export async function membershipOf(ctx: Ctx, userId: string): Promise<MembershipDto> {
  const s = await getGrowthSettings(ctx);
  const [{ tier, state }, tiers, growth, total, points, balance, recentChanges] = await Promise.all([
    currentTierOf(ctx, userId),
    activeTiers(ctx),
    growthBetween(ctx, userId, growthWindowStart(ctx.now, s)),
    totalGrowth(ctx, userId),
    pointsBalance(ctx, userId),
    walletBalance(ctx, userId),
    tierChangesOf(ctx, userId),
  ]);
  const names = await couponNamesOf(ctx, tier ? [...tiers, tier] : tiers);
  const next = tier ? (tiers.find((t) => t.rank > tier.rank) ?? null) : null;
  return {
    tier: tier ? tierBrief(ctx, tier) : null,
    growth,
    totalGrowth: total,
    growthWindowMonths: s.reviewMonths,
    nextTier: next ? tierBrief(ctx, next) : null,
    growthToNext: next ? Math.max(0, next.threshold - growth) : null,
    perks: tier ? perkLines(tier, names) : [],
    points,
    balance,
    tierSince: iso(state?.tierSince),
    reviewAt: iso(state?.reviewAt),
    tiers: tiers.map((t) => ({ ...tierBrief(ctx, t), perks: perkLines(t, names) })),
    recentChanges,
  };
}

/** getMembership: the signed-in shopper's. */
export function getMembership(ctx: Ctx): Promise<MembershipDto> {
  return membershipOf(ctx, shopperId(ctx, 'this is for shoppers'));
}

/** getMemberDetail (members.read): the membership plus profile, growth entries and birthday gifts. */
export async function getMemberDetail(ctx: Ctx, userId: string) {
  const user = await getUser(ctx, userId);
  const [m, entries, gifts, { tier }] = await Promise.all([
    membershipOf(ctx, userId),
    recentGrowthEntries(ctx, userId),
    birthdayGiftsOf(ctx, userId),
    currentTierOf(ctx, userId),
  ]);
  return {
    ...m,
    recentChanges: await tierChangesOf(ctx, userId, 50),
    user: {
      id: user.id,
      nickname: user.nickname,
      phoneMasked: user.phoneMasked,
      birthday: user.birthday,
      gender: user.gender,
      createdAt: user.createdAt,
    },
    supportPriority: tier?.supportPriority ?? 0,
    growthEntries: entries.map((e) => ({
      id: e.id,
      delta: e.delta,
      reason: e.reason,
      ref: e.ref,
      note: e.note,
      createdAt: iso(e.createdAt)!,
    })),
    birthdayGifts: gifts.map((g) => ({
      year: g.year,
      kind: g.kind,
      couponId: g.couponId,
      points: g.points,
      status: g.status,
      note: g.note,
      createdAt: iso(g.createdAt)!,
    })),
  };
}

/** searchMembers (members.read): shoppers by id, phone or nickname, with their tier and growth. */
export async function searchMembers(ctx: Ctx, q: string) {
  const found = await searchUsers(ctx, q);
  if (found.length === 0) return { items: [] };
  const s = await getGrowthSettings(ctx);
  const ids = found.map((u) => u.id);
  const states = await ctx.db
    .select({ userId: memberStates.userId, tierName: memberTiers.name })
    .from(memberStates)
    .innerJoin(memberTiers, eq(memberTiers.id, memberStates.tierId))
    .where(inArray(memberStates.userId, ids));
  const tierOf = new Map(states.map((r) => [r.userId, r.tierName]));
  const lowest = (await activeTiers(ctx))[0]?.name ?? null;
  const from = growthWindowStart(ctx.now, s);
  return {
    items: await Promise.all(
      found.map(async (u) => ({
        id: u.id,
        nickname: u.nickname,
        phoneMasked: u.phoneMasked,
        tierName: tierOf.get(u.id) ?? lowest,
        growth: await growthBetween(ctx, u.id, from),
        createdAt: u.createdAt,
      })),
    ),
  };
}
