// A shopper's RFM profile, gathered from the domains that own the facts: registration (users),
// paid orders (orders), city (addresses), tier (the tiers feature, through a TierLookup).
import { inArray } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { D1_IN_CHUNK, inChunks } from '../../../shared/db';
import { shanghaiDay } from '../../../shared/calendar';
import { defaultCitiesOf } from '../../addresses/addresses.service';
import { orderFiguresOf } from '../../orders/member-stats';
import { layerOf, type LayerThresholds } from './layers';
import { memberProfiles } from './schema';
import type { TierLookup } from './tier-source';

export type ProfileRow = typeof memberProfiles.$inferSelect;

/**
 * Fresh profiles of the given shoppers at ctx.now (orders paid after ctx.now do not count, so a
 * run can be replayed as of an earlier instant). `prior` keeps `layerSince` when the layer holds.
 */
export async function buildProfiles(
  ctx: Ctx,
  users: { id: string; createdAt: number }[],
  t: LayerThresholds,
  tiers: TierLookup,
  prior: Map<string, ProfileRow>,
): Promise<ProfileRow[]> {
  const ids = users.map((u) => u.id);
  const [figures, cities, tierOf] = await Promise.all([orderFiguresOf(ctx, ids, ctx.now), defaultCitiesOf(ctx, ids), tiers(ctx, ids)]);
  const day = shanghaiDay(ctx.now);
  return users.map((u) => {
    const f = figures.get(u.id);
    const orderCount = f?.orders ?? 0;
    const lastOrderAt = f?.lastPaidAt ?? null;
    const layer = layerOf({ registeredAt: u.createdAt, orderCount, lastOrderAt }, t, ctx.now);
    const before = prior.get(u.id);
    return {
      userId: u.id,
      layer,
      layerSince: before && before.layer === layer ? before.layerSince : ctx.now,
      registeredAt: u.createdAt,
      orderCount,
      spend: f?.spend ?? 0,
      lastOrderAt,
      city: cities.get(u.id) ?? null,
      tierId: tierOf.get(u.id) ?? null,
      day,
      updatedAt: ctx.now,
    };
  });
}

/** The stored profiles of the given shoppers. */
export async function storedProfiles(ctx: Ctx, userIds: string[]): Promise<Map<string, ProfileRow>> {
  const rows = await inChunks(userIds, D1_IN_CHUNK, (part) =>
    ctx.db.select().from(memberProfiles).where(inArray(memberProfiles.userId, part)),
  );
  return new Map(rows.map((r) => [r.userId, r]));
}
