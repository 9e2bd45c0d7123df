import { eq } from 'drizzle-orm';
import type { Ctx } from '../../../shared/context';
import { iso } from '../../../shared/db';
import { forbidden } from '../../../shared/errors';
import type { PointsRulesDto, UpdatePointsRulesInput } from './dto';
import { pointsRules } from './schema';

export interface PointsRules {
  enabled: boolean;
  pointsPerYuan: number;
  maxSharePercent: number;
  minPoints: number;
  expiryMonths: number;
  updatedAt: number | null;
}

/** What a shop runs with until an operator saves its own rules: 100 积分 = ¥1, ≤ 50%, from 100, 12 months. */
export const DEFAULT_POINTS_RULES: PointsRules = {
  enabled: true,
  pointsPerYuan: 100,
  maxSharePercent: 50,
  minPoints: 100,
  expiryMonths: 12,
  updatedAt: null,
};

const RULES_ID = 'default';

/** The points rules in force (the saved row, or the defaults). */
export async function getPointsRules(ctx: Ctx): Promise<PointsRules> {
  const [row] = await ctx.db.select().from(pointsRules).where(eq(pointsRules.id, RULES_ID)).limit(1);
  if (!row) return DEFAULT_POINTS_RULES;
  return {
    enabled: row.enabled,
    pointsPerYuan: row.pointsPerYuan,
    maxSharePercent: row.maxSharePercent,
    minPoints: row.minPoints,
    expiryMonths: row.expiryMonths,
    updatedAt: row.updatedAt,
  };
}

export const rulesDto = (r: PointsRules): PointsRulesDto => ({
  enabled: r.enabled,
  pointsPerYuan: r.pointsPerYuan,
  maxSharePercent: r.maxSharePercent,
  minPoints: r.minPoints,
  expiryMonths: r.expiryMonths,
  updatedAt: iso(r.updatedAt),
});

/**
 * updatePointsRules (staff, members.write): replaces the rules. The next quote uses them; points
 * already spent keep the rate they were spent at (the order's deduction rows hold points and fen).
 */
export async function updatePointsRules(ctx: Ctx, input: UpdatePointsRulesInput): Promise<PointsRulesDto> {
  if (ctx.actor.kind !== 'staff') throw forbidden('this is for staff');
  const row = { ...input, updatedAt: ctx.now, updatedBy: ctx.actor.staffId };
  await ctx.db
    .insert(pointsRules)
    .values({ id: RULES_ID, ...row })
    .onConflictDoUpdate({ target: pointsRules.id, set: row });
  ctx.log.info('points rules updated', { ...input, staffId: ctx.actor.staffId });
  return rulesDto(await getPointsRules(ctx));
}
