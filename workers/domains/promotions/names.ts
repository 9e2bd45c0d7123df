import { eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { campaigns, couponTemplates, lotteries, promotionRules } from './schema';

/**
 * Id of the first promotion of a kind created with this exact name, or null. Names are not unique —
 * operators reuse them — so this is for seeds and scripts that create each thing once by name.
 */
export async function promotionIdByName(
  ctx: Ctx,
  kind: 'rule' | 'coupon_template' | 'lottery' | 'campaign',
  name: string,
): Promise<string | null> {
  const t = { rule: promotionRules, coupon_template: couponTemplates, lottery: lotteries, campaign: campaigns }[kind];
  const [row] = await ctx.db.select({ id: t.id, createdAt: t.createdAt }).from(t).where(eq(t.name, name)).orderBy(t.createdAt).limit(1);
  return row?.id ?? null;
}
