// Shoppers' current tiers in bulk, for member segments. Apart from tiers.service so segments
// (which promotions import) do not pull in the tier admin and its coupon-template checks.
import { asc, eq, inArray } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { D1_IN_CHUNK, inChunks } from '../../../shared/db';
import { memberStates, memberTiers } from './schema';

/**
 * The tier each of `userIds` is in now (userId → tier id): their tier state, or the lowest active
 * tier for shoppers without one. Empty while the shop has no tiers. Member segments filter on it.
 */
export async function tierIdsOf(ctx: Ctx, userIds: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (userIds.length === 0) return out;
  const [lowest] = await ctx.db
    .select({ id: memberTiers.id })
    .from(memberTiers)
    .where(eq(memberTiers.status, 'active'))
    .orderBy(asc(memberTiers.rank))
    .limit(1);
  if (!lowest) return out;
  const rows = await inChunks([...new Set(userIds)], D1_IN_CHUNK, (part) =>
    ctx.db
      .select({ userId: memberStates.userId, tierId: memberStates.tierId })
      .from(memberStates)
      .where(inArray(memberStates.userId, part)),
  );
  for (const u of userIds) out.set(u, lowest.id);
  for (const r of rows) out.set(r.userId, r.tierId);
  return out;
}
