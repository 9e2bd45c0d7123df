import type { Ctx } from '../../../shared/context';
import { tierIdsOf } from '../tiers/lookup';

/**
 * Where segmentation reads shoppers' tiers (会员等级) from: userId → tier id for the given
 * shoppers (absent = no tier). A parameter, so a test can pin the tiers it needs.
 */
export type TierLookup = (ctx: Ctx, userIds: string[]) => Promise<Map<string, string>>;

/** The shoppers' current tiers (members/tiers): their tier state, or the shop's lowest tier. */
export const currentTiers: TierLookup = tierIdsOf;
