import type { Env } from './shared/env';
import { getDb } from './shared/db';
import { createLogger } from './shared/log';
import type { Ctx } from './shared/context';

/** Cron trigger (every minute): time-based work of every domain. */
export async function runScheduled(scheduledTime: number, env: Env): Promise<void> {
  const log = createLogger({ service: 'edgemall', cron: new Date(scheduledTime).toISOString() });
  const ctx: Ctx = { db: getDb(env.DB), env, actor: { kind: 'system', name: 'cron' }, now: scheduledTime, requestId: `cron-${scheduledTime}`, log };
}
