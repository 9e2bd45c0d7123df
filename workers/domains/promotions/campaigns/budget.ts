import type { Ctx } from '../../../shared/context';
import { guard } from '../../../shared/db';

/**
 * Statements that add `amount` fen to a campaign's spend inside the caller's batch and abort the
 * batch (a guard failure) if that would pass the budget. With no campaign, nothing.
 */
export function campaignSpendStatements(ctx: Ctx, campaignId: string | null | undefined, amount: number): D1PreparedStatement[] {
  if (!campaignId || amount <= 0) return [];
  const d1 = ctx.env.DB;
  return [
    d1.prepare('UPDATE campaigns SET budget_used = budget_used + ?1 WHERE id = ?2').bind(amount, campaignId),
    guard(d1, 'SELECT budget_used <= budget FROM campaigns WHERE id = ?1', campaignId),
  ];
}
