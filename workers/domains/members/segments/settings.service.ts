import type { Ctx } from '../../../shared/context';
import { iso } from '../../../shared/db';
import { checkPackTemplates } from '../../promotions/coupons/targeted-pack';
import type { SegmentSettingsDto, UpdateSegmentSettingsInput } from './dto';
import { segmentSettings } from './schema';
import { segmentSettingsOf, ROW_ID, type SegmentSettings } from './settings';

export { segmentSettingsOf, DEFAULT_SEGMENT_SETTINGS, type SegmentSettings } from './settings';

const toDto = (s: SegmentSettings): SegmentSettingsDto => ({
  newDays: s.newDays,
  dormantDays: s.dormantDays,
  lostDays: s.lostDays,
  winBack: {
    enabled: s.winBackEnabled,
    templateIds: s.winBackTemplateIds,
    cooldownDays: s.winBackCooldownDays,
    returnDays: s.winBackReturnDays,
  },
  updatedAt: s.updatedAt ? iso(s.updatedAt) : null,
});

/** getSegmentSettings: thresholds and the win-back pack. */
export async function getSegmentSettings(ctx: Ctx): Promise<SegmentSettingsDto> {
  return toDto(await segmentSettingsOf(ctx));
}

/**
 * updateSegmentSettings: replaces the settings. The pack's templates must be issuable by staff
 * (active, not expired, channel 定向发放). New thresholds apply from the next nightly run.
 */
export async function updateSegmentSettings(ctx: Ctx, input: UpdateSegmentSettingsInput): Promise<SegmentSettingsDto> {
  const templateIds = [...new Set(input.winBack.templateIds)];
  if (templateIds.length) await checkPackTemplates(ctx, templateIds);
  const row = {
    newDays: input.newDays,
    dormantDays: input.dormantDays,
    lostDays: input.lostDays,
    winBackEnabled: input.winBack.enabled,
    winBackTemplateIds: templateIds,
    winBackCooldownDays: input.winBack.cooldownDays,
    winBackReturnDays: input.winBack.returnDays,
    updatedBy: ctx.actor.kind === 'staff' ? ctx.actor.staffId : 'system',
    updatedAt: ctx.now,
  };
  await ctx.db
    .insert(segmentSettings)
    .values({ id: ROW_ID, ...row })
    .onConflictDoUpdate({ target: segmentSettings.id, set: row });
  return toDto(row);
}
