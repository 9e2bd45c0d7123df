// Who is in a segment: the four layers ('layer:dormant') and operator segments ('seg_…'),
// evaluated over the nightly profiles. Campaigns and 定向发放 reach these through
// userInMemberSegment / usersInMemberSegment; nothing here imports promotions.
import { eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { getUserCreatedAt } from '../../users/users.service';
import { layerRules, rulesWhere } from './rules';
import { LAYERS, memberSegments, type Layer, type SegmentRules } from './schema';
import { buildProfiles, storedProfiles } from './profiles';
import { segmentSettingsOf } from './settings';
import { currentTiers, type TierLookup } from './tier-source';

export interface ResolvedSegment {
  id: string;
  kind: 'layer' | 'custom';
  name: string;
  rules: SegmentRules;
}

const LAYER_ID = /^layer:(new|active|dormant|lost)$/;

/** A segment id's rules, or null when there is no such segment (a deleted one, a typo). */
export async function resolveSegment(ctx: Ctx, segmentId: string): Promise<ResolvedSegment | null> {
  const m = LAYER_ID.exec(segmentId);
  if (m) {
    const layer = m[1] as Layer;
    return { id: segmentId, kind: 'layer', name: layer, rules: layerRules(layer) };
  }
  const [row] = await ctx.db.select().from(memberSegments).where(eq(memberSegments.id, segmentId)).limit(1);
  return row ? { id: row.id, kind: 'custom', name: row.name, rules: row.rules } : null;
}

/** Whether a segment id names a layer or an existing operator segment (campaigns check it when created). */
export async function memberSegmentExists(ctx: Ctx, segmentId: string): Promise<boolean> {
  return (await resolveSegment(ctx, segmentId)) !== null;
}

/** Shoppers matching the rules now (as of the last nightly run). */
export async function countInRules(ctx: Ctx, rules: SegmentRules): Promise<number> {
  const w = rulesWhere(rules);
  const row = await ctx.env.DB.prepare(`SELECT count(*) AS n FROM member_profiles p WHERE ${w.sql}`)
    .bind(...w.params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** Sizes of the four layers now. */
export async function layerSizes(ctx: Ctx): Promise<Record<Layer, number>> {
  const { results } = await ctx.env.DB.prepare('SELECT layer, count(*) AS n FROM member_profiles GROUP BY layer').all<{
    layer: Layer;
    n: number;
  }>();
  const out = Object.fromEntries(LAYERS.map((l) => [l, 0])) as Record<Layer, number>;
  for (const r of results) out[r.layer] = r.n;
  return out;
}

/**
 * Whether the shopper is in the segment. A shopper registered since the last nightly run has no
 * profile yet: theirs is computed on the spot (and not stored — the nightly run owns the rows),
 * and the same SQL is run over it, so a new shopper is in 'layer:new' from their first visit.
 */
export async function userInMemberSegment(ctx: Ctx, segmentId: string, userId: string, tiers: TierLookup = currentTiers): Promise<boolean> {
  const seg = await resolveSegment(ctx, segmentId);
  if (!seg) return false;
  const w = rulesWhere(seg.rules);
  const stored = (await storedProfiles(ctx, [userId])).get(userId);
  if (stored) {
    const row = await ctx.env.DB.prepare(`SELECT 1 AS ok FROM member_profiles p WHERE p.user_id = ? AND ${w.sql}`)
      .bind(userId, ...w.params)
      .first<{ ok: number }>();
    return !!row;
  }
  const createdAt = await getUserCreatedAt(ctx, userId);
  if (createdAt === null) return false;
  const [p] = await buildProfiles(ctx, [{ id: userId, createdAt }], await segmentSettingsOf(ctx), tiers, new Map());
  const row = await ctx.env.DB.prepare(
    `SELECT 1 AS ok FROM (SELECT ? AS user_id, ? AS layer, ? AS order_count, ? AS spend, ? AS last_order_at, ? AS city, ? AS tier_id) p WHERE ${w.sql}`,
  )
    .bind(p!.userId, p!.layer, p!.orderCount, p!.spend, p!.lastOrderAt, p!.city, p!.tierId, ...w.params)
    .first<{ ok: number }>();
  return !!row;
}

/**
 * One page of the segment's shoppers in id order after `afterId` (as of the last nightly run);
 * `next` is the cursor for the following page, null at the end. An unknown segment is empty.
 */
export async function usersInMemberSegment(
  ctx: Ctx,
  segmentId: string,
  afterId: string | null,
  limit: number,
): Promise<{ userIds: string[]; next: string | null }> {
  const seg = await resolveSegment(ctx, segmentId);
  if (!seg) return { userIds: [], next: null };
  const w = rulesWhere(seg.rules);
  const { results } = await ctx.env.DB.prepare(
    `SELECT p.user_id AS id FROM member_profiles p WHERE p.user_id > ? AND ${w.sql} ORDER BY p.user_id LIMIT ?`,
  )
    .bind(afterId ?? '', ...w.params, limit)
    .all<{ id: string }>();
  const userIds = results.map((r) => r.id);
  return { userIds, next: userIds.length === limit ? userIds[userIds.length - 1]! : null };
}
