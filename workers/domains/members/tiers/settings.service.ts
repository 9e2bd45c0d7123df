import { eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { iso } from '../../../shared/db';
import type { GrowthSettings } from './dto';
import { memberGrowthSettings } from './schema';

/** Until staff save the rules: 1 成长值 per ¥1 + 10 per order, 1 积分 per ¥1, a 12-month 保级 period. */
export const DEFAULT_GROWTH_SETTINGS: GrowthSettings = { growthPerYuan: 1, growthPerOrder: 10, pointsPerYuan: 1, reviewMonths: 12 };

const ROW_ID = 'default';

/** The earn rules and 保级 period in force. */
export async function getGrowthSettings(ctx: Ctx): Promise<GrowthSettings> {
  const [r] = await ctx.db.select().from(memberGrowthSettings).where(eq(memberGrowthSettings.id, ROW_ID)).limit(1);
  return r
    ? { growthPerYuan: r.growthPerYuan, growthPerOrder: r.growthPerOrder, pointsPerYuan: r.pointsPerYuan, reviewMonths: r.reviewMonths }
    : DEFAULT_GROWTH_SETTINGS;
}

/** getMemberGrowthSettings (members.read): the rules and who last saved them. */
export async function getGrowthSettingsView(ctx: Ctx) {
  const [r] = await ctx.db.select().from(memberGrowthSettings).where(eq(memberGrowthSettings.id, ROW_ID)).limit(1);
  return { ...(await getGrowthSettings(ctx)), updatedAt: iso(r?.updatedAt), updatedBy: r?.updatedBy ?? null };
}

/**
 * updateMemberGrowthSettings (members.write). New rules apply to orders that become final from
 * now on; a changed 保级 period applies from each shopper's next review.
 */
export async function updateGrowthSettings(ctx: Ctx, input: GrowthSettings) {
  const updatedBy = ctx.actor.kind === 'staff' ? ctx.actor.staffId : null;
  const row = { ...input, updatedAt: ctx.now, updatedBy };
  await ctx.db
    .insert(memberGrowthSettings)
    .values({ id: ROW_ID, ...row })
    .onConflictDoUpdate({ target: memberGrowthSettings.id, set: row });
  return getGrowthSettingsView(ctx);
}
