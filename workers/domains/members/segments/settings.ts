// The segment settings as the nightly run and membership read them (no promotions imports here:
// promotions reaches membership, and settings.service.ts checks coupon templates with promotions).
import { eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { segmentSettings } from './schema';

export type SegmentSettings = Omit<typeof segmentSettings.$inferSelect, 'id' | 'updatedBy'>;

/** The one settings row's id. */
export const ROW_ID = 'default';

/** What a shop segments by before an operator saves anything: 30 / 60 / 180 days, no pack. */
export const DEFAULT_SEGMENT_SETTINGS: SegmentSettings = {
  newDays: 30,
  dormantDays: 60,
  lostDays: 180,
  winBackEnabled: false,
  winBackTemplateIds: [],
  winBackCooldownDays: 90,
  winBackReturnDays: 30,
  updatedAt: 0,
};

/** The settings row, or the defaults. */
export async function segmentSettingsOf(ctx: Ctx): Promise<SegmentSettings> {
  const [row] = await ctx.db.select().from(segmentSettings).where(eq(segmentSettings.id, ROW_ID)).limit(1);
  return row ?? DEFAULT_SEGMENT_SETTINGS;
}
