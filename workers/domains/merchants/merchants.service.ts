import { eq } from 'drizzle-orm';
import type { Ctx } from '../../shared/context';
import { notFound } from '../../shared/errors';
import { merchants } from './schema';

export type Merchant = typeof merchants.$inferSelect;

export async function getMerchant(ctx: Ctx, id: string): Promise<Merchant> {
  const [m] = await ctx.db.select().from(merchants).where(eq(merchants.id, id)).limit(1);
  if (!m) throw notFound('merchants.not_found', `merchant ${id}`);
  return m;
}

/** Creates a merchant (used by onboarding and the demo seed); idempotent on id. */
export async function ensureMerchant(ctx: Ctx, m: { id: string; name: string; commissionBps?: number }): Promise<void> {
  await ctx.db
    .insert(merchants)
    .values({ id: m.id, name: m.name, commissionBps: m.commissionBps ?? 0, createdAt: ctx.now })
    .onConflictDoNothing();
}
