import { env } from 'cloudflare:test';
import { getDb } from '../workers/shared/db';
import { createLogger } from '../workers/shared/log';
import type { Ctx } from '../workers/shared/context';
import type { Env } from '../workers/shared/env';

/** A system-actor context over the test bindings, with a chosen clock (cron and queue work). */
export function systemCtx(now = Date.now(), over: Partial<Env> = {}): Ctx {
  return {
    db: getDb(env.DB),
    env: { ...env, ...over } as Env,
    actor: { kind: 'system', name: 'test' },
    now,
    requestId: 'test',
    log: createLogger(),
  };
}
