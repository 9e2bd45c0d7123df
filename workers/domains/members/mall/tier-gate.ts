import type { Ctx } from '../../../shared/context';
import { holdsTierAtLeast } from '../tiers/tiers.service';

/**
 * Whether a shopper may exchange an item restricted to member tier `minTierId` or above: their
 * current tier ranks at or above it. Fails closed (no tiers, unknown tier → false). Unrestricted
 * items never call this.
 */
export function meetsMinTier(ctx: Ctx, userId: string, minTierId: string): Promise<boolean> {
  return holdsTierAtLeast(ctx, userId, minTierId);
}
