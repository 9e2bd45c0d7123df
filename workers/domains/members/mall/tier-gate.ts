import type { Ctx } from '../../../shared/context';

/**
 * Whether a shopper may exchange an item restricted to member tier `minTierId` or above.
 *
 * The tiers live in the tiers feature (members/tiers), built beside this one; at merge this is
 * the one place to wire it: answer `true` when the shopper's current tier ranks at or above
 * `minTierId` (by threshold), e.g. `(await tierRankOf(ctx, userId)) >= (await tierRank(ctx, minTierId))`.
 * Until then no shopper holds a tier, so a restricted item is refused to everyone (fail closed:
 * never give a tier-only item away by mistake). Unrestricted items never call this.
 */
export async function meetsMinTier(ctx: Ctx, userId: string, minTierId: string): Promise<boolean> {
  void ctx;
  void userId;
  void minTierId;
  return false;
}
