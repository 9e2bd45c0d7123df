import type { Ctx } from '../../../shared/context';

/**
 * Where segmentation reads shoppers' tiers (会员等级) from: userId → tier id for the given
 * shoppers (absent = no tier). The tiers feature lives in its own folder and branch; until it is
 * wired in here, the nightly run is given this as a parameter and defaults to "no tiers", so
 * tier rules match nobody rather than guessing.
 */
export type TierLookup = (ctx: Ctx, userIds: string[]) => Promise<Map<string, string>>;

/** The default lookup: nobody has a tier yet. */
export const noTiers: TierLookup = async () => new Map();
