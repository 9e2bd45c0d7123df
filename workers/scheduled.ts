import type { Env } from './shared/env';
import { getDb } from './shared/db';
import { createLogger } from './shared/log';
import type { Ctx } from './shared/context';
import { applyDuePriceChanges } from './domains/catalog/pricing.service';

/** Cron trigger (every minute): time-based work of every domain. */
export async function runScheduled(scheduledTime: number, env: Env): Promise<void> {
  const log = createLogger({ service: 'edgemall', cron: new Date(scheduledTime).toISOString() });
  const ctx: Ctx = { db: getDb(env.DB), env, actor: { kind: 'system', name: 'cron' }, now: scheduledTime, requestId: `cron-${scheduledTime}`, log };
  const applied = await applyDuePriceChanges(ctx);
  if (applied > 0) log.info('scheduled price changes applied', { applied });
}
