import type { Ctx } from '../../shared/context';
import type { SkuStock } from '../../../durable-objects/sku-stock';

export interface Check {
  ok: boolean;
  ms: number;
  detail?: string;
}

async function timed(fn: () => Promise<string | void>): Promise<Check> {
  const t0 = Date.now();
  try {
    const detail = await fn();
    return detail ? { ok: true, ms: Date.now() - t0, detail } : { ok: true, ms: Date.now() - t0 };
  } catch (e) {
    return { ok: false, ms: Date.now() - t0, detail: e instanceof Error ? e.message : String(e) };
  }
}

/** Probes every binding the product depends on; used by GET /health and monitoring. */
export async function checkHealth(ctx: Ctx) {
  const { env } = ctx;
  const [d1, durableObject, r2] = await Promise.all([
    timed(async () => {
      const r = await env.DB.prepare('SELECT count(*) AS n FROM d1_migrations').first<{ n: number }>();
      return `${r?.n ?? 0} migrations applied`;
    }),
    timed(async () => {
      const stub = env.SKU_STOCK.get(env.SKU_STOCK.idFromName('__health')) as unknown as DurableObjectStub<SkuStock>;
      const pong = await stub.ping();
      return `storage ${pong.storage}`;
    }),
    timed(async () => {
      await env.MEDIA.head('__health');
    }),
  ]);
  const queues = {
    ok:
      typeof env.NOTIFICATIONS?.send === 'function' &&
      typeof env.SETTLEMENT?.send === 'function' &&
      typeof env.MARKETING?.send === 'function',
    ms: 0,
    detail: 'producers NOTIFICATIONS, SETTLEMENT, MARKETING',
  };
  const checks = { d1, durableObject, r2, queues };
  const ok = Object.values(checks).every((c) => c.ok);
  return {
    status: ok ? ('ok' as const) : ('degraded' as const),
    environment: env.ENVIRONMENT,
    time: new Date(ctx.now).toISOString(),
    checks,
  };
}
