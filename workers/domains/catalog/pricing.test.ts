import { createScheduledController, createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, adminToken, env } from '../../../test/helpers';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';
import worker from '../../index';

async function runCron(at: number) {
  const ec = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: at, cron: '* * * * *' }), env, ec);
  await waitOnExecutionContext(ec);
}

async function product(over: Record<string, unknown> = {}) {
  const token = await adminToken();
  const { l3 } = await makeCategoryTree(token);
  const p = await makeProduct(token, l3, {
    specDims: [],
    skuDefaults: undefined,
    skus: [{ specValues: [], price: 9900, originalPrice: 12900, cost: 5000, stock: 100 }],
    ...over,
  });
  return { token, p, skuId: p.skus[0].id as string };
}

describe('pricing', () => {
  it('applies a scheduled price when due, exactly once, and the storefront shows it', async () => {
    const { token, p, skuId } = await product();
    const at = Date.now() + 60_000;
    const s = await api('POST', `/admin/v1/skus/${skuId}/price-schedules`, {
      token,
      body: { price: 7900, effectiveAt: new Date(at).toISOString() },
    });
    expect(s.status).toBe(201);
    await api('GET', `/store/v1/products/${p.id}`); // warm the cache
    await runCron(at - 1000);
    expect((await api('GET', `/store/v1/products/${p.id}`)).body.skus[0].price).toBe(9900);
    await Promise.all([runCron(at + 1000), runCron(at + 1000)]);
    const after = await api('GET', `/store/v1/products/${p.id}`);
    expect(after.body.skus[0].price).toBe(7900);
    expect(after.body.minPrice).toBe(7900);
    const list = await api('GET', `/admin/v1/skus/${skuId}/price-schedules`, { token });
    expect(list.body.items).toMatchObject([{ status: 'applied', price: 7900 }]);
    const version = (await api('GET', `/admin/v1/products/${p.id}`, { token })).body.version;
    expect(version).toBe(p.version + 1); // applied once, not twice
  });

  it('refuses a schedule in the past and can cancel a pending one', async () => {
    const { token, skuId } = await product();
    const past = await api('POST', `/admin/v1/skus/${skuId}/price-schedules`, {
      token,
      body: { price: 100, effectiveAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
    const s = await api('POST', `/admin/v1/skus/${skuId}/price-schedules`, {
      token,
      body: { price: 100, effectiveAt: new Date(Date.now() + 3600_000).toISOString() },
    });
    expect((await api('DELETE', `/admin/v1/price-schedules/${s.body.id}`, { token })).body.status).toBe('cancelled');
    expect((await api('DELETE', `/admin/v1/price-schedules/${s.body.id}`, { token })).status).toBe(409);
    await runCron(Date.now() + 7200_000);
    const row = await env.DB.prepare('SELECT price FROM skus WHERE id = ?').bind(skuId).first<{ price: number }>();
    expect(row!.price).toBe(9900);
  });

  it('suggests a price from cost and margin, explaining each step', async () => {
    const { token, skuId } = await product();
    const r = await api('GET', `/admin/v1/skus/${skuId}/suggested-price?targetMarginBps=3000`, { token });
    expect(r.status).toBe(200);
    // floor = ceil(5000 / 0.7) = 7143; no sales with stock on hand → 95% of 9900 = 9405 → charm 9490
    expect(r.body.floorPrice).toBe(7143);
    expect(r.body.suggestedPrice).toBe(9490);
    expect(r.body.reasons.length).toBeGreaterThanOrEqual(2);
    const high = await api('GET', `/admin/v1/skus/${skuId}/suggested-price?targetMarginBps=6000`, { token });
    expect(high.body.floorPrice).toBe(12500);
    expect(high.body.suggestedPrice).toBeGreaterThanOrEqual(12500);
  });
});
