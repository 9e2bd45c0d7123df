import { createMessageBatch, getQueueResult, createExecutionContext } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { api, adminToken, env, staffToken } from '../../../test/helpers';
import { makeCategoryTree, makeProduct } from '../../../test/catalog';
import { getDb } from '../../shared/db';
import { createLogger } from '../../shared/log';
import type { Ctx } from '../../shared/context';
import type { Env } from '../../shared/env';
import { adjustStock } from './stock.service';
import { LowStock } from './events';
import { handleQueueBatch } from '../../queue';

const single = (stock: number, lowStockThreshold: number) => ({
  specDims: [],
  skuDefaults: undefined,
  skus: [{ specValues: [], price: 1000, stock, lowStockThreshold }],
});

async function oneSku(stock = 20, threshold = 5) {
  const token = await adminToken();
  const { l3 } = await makeCategoryTree(token);
  const p = await makeProduct(token, l3, { title: `库存测试 ${crypto.randomUUID().slice(0, 4)}`, ...single(stock, threshold) });
  return { token, product: p, skuId: p.skus[0].id as string };
}

const adjust = (token: string, skuId: string, body: unknown, key?: string) =>
  api('POST', `/admin/v1/skus/${skuId}/stock-adjustments`, { token, body, headers: key ? { 'idempotency-key': key } : {} });

const openAlerts = async (skuId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM inventory_alerts WHERE sku_id = ? AND status = 'open'")
    .bind(skuId)
    .first<{ n: number }>())!.n;

describe('stock adjustments and the ledger', () => {
  it('records each change with its reason; the ledger sums to the stock', async () => {
    const { token, skuId } = await oneSku(20);
    expect((await adjust(token, skuId, { delta: 30, reason: 'restock', note: '到货' })).body.stock).toBe(50);
    expect((await adjust(token, skuId, { delta: -2, reason: 'damage' })).body.stock).toBe(48);
    const take = await adjust(token, skuId, { setTo: 45, reason: 'stocktake' });
    expect(take.body.entry).toMatchObject({ delta: -3, stockAfter: 45, reason: 'stocktake' });
    const ledger = await api('GET', `/admin/v1/skus/${skuId}/stock-ledger`, { token });
    expect(ledger.body.items.map((e: any) => e.reason)).toEqual(['stocktake', 'damage', 'restock', 'initial']);
    expect(ledger.body.items.reduce((a: number, e: any) => a + e.delta, 0)).toBe(45);
  });

  it('never goes below zero: a too-large decrement is 409 and changes nothing', async () => {
    const { token, skuId, product } = await oneSku(3);
    const r = await adjust(token, skuId, { delta: -4, reason: 'damage' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('catalog.insufficient_stock');
    const p = await api('GET', `/store/v1/products/${product.id}`);
    expect(p.body.skus[0].stock).toBe(3);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM stock_ledger WHERE sku_id = ?').bind(skuId).first<{ n: number }>();
    expect(n!.n).toBe(1);
  });

  it('is idempotent with an Idempotency-Key: a retry changes stock once', async () => {
    const { token, skuId } = await oneSku(10);
    const first = await adjust(token, skuId, { delta: 5, reason: 'restock' }, 'restock-2026-11-25-a');
    const again = await adjust(token, skuId, { delta: 5, reason: 'restock' }, 'restock-2026-11-25-a');
    const [c1, c2] = await Promise.all([
      adjust(token, skuId, { delta: 7, reason: 'restock' }, 'restock-2026-11-25-b'),
      adjust(token, skuId, { delta: 7, reason: 'restock' }, 'restock-2026-11-25-b'),
    ]);
    expect(first.body.replayed).toBe(false);
    expect(again.body.replayed).toBe(true);
    expect(again.body.entry.id).toBe(first.body.entry.id);
    expect(c1.body.entry.id).toBe(c2.body.entry.id);
    const row = await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>();
    expect(row!.stock).toBe(22);
  });

  it('concurrent decrements never oversell', async () => {
    const { token, skuId } = await oneSku(10, 0);
    const rs = await Promise.all(Array.from({ length: 15 }, () => adjust(token, skuId, { delta: -1, reason: 'adjust' })));
    expect(rs.filter((r) => r.status === 200)).toHaveLength(10);
    expect(rs.filter((r) => r.status === 409)).toHaveLength(5);
    const row = await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>();
    expect(row!.stock).toBe(0);
  });

  it('crossing the low-stock threshold raises exactly one alert, resolved on restock', async () => {
    const { token, skuId } = await oneSku(20, 5);
    expect((await adjust(token, skuId, { delta: -10, reason: 'adjust' })).body.alertRaised).toBe(false);
    const cross = await adjust(token, skuId, { delta: -6, reason: 'adjust' });
    expect(cross.body.alertRaised).toBe(true);
    const more = await Promise.all([
      adjust(token, skuId, { delta: -1, reason: 'adjust' }),
      adjust(token, skuId, { delta: -1, reason: 'adjust' }),
    ]);
    expect(more.map((r) => r.body.alertRaised)).toEqual([false, false]);
    expect(await openAlerts(skuId)).toBe(1);
    const list = await api('GET', '/admin/v1/inventory-alerts?status=open', { token });
    expect(list.body.items.filter((a: any) => a.skuId === skuId)).toMatchObject([{ stockAtAlert: 4, threshold: 5, currentStock: 2 }]);
    await adjust(token, skuId, { delta: 10, reason: 'restock' });
    expect(await openAlerts(skuId)).toBe(0);
    // crossing again after recovery is a new alert
    expect((await adjust(token, skuId, { delta: -10, reason: 'adjust' })).body.alertRaised).toBe(true);
  });

  it('puts one low-stock message on the notifications queue, which the consumer acks', async () => {
    const { skuId, product } = await oneSku(6, 5);
    const sent: unknown[] = [];
    const spyEnv = {
      ...env,
      NOTIFICATIONS: { send: vi.fn(async (m: unknown) => void sent.push(m)), sendBatch: vi.fn() },
    } as unknown as Env;
    const ctx: Ctx = {
      db: getDb(env.DB),
      env: spyEnv,
      now: Date.now(),
      requestId: 't',
      log: createLogger(),
      actor: { kind: 'staff', staffId: 'stf_test', role: 'operator', merchantId: null, sessionId: 's' },
    };
    await adjustStock(ctx, skuId, { delta: -1, reason: 'adjust', note: '' });
    await adjustStock(ctx, skuId, { delta: -1, reason: 'adjust', note: '' });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: LowStock.type, data: { skuId, productId: product.id, stock: 5, threshold: 5 } });

    const batch = createMessageBatch('edgemall-notifications', [{ id: 'm1', timestamp: new Date(), attempts: 1, body: sent[0] }]);
    const ec = createExecutionContext();
    await handleQueueBatch(batch, env, ec);
    const result = await getQueueResult(batch, ec);
    expect(result.explicitAcks).toEqual(['m1']);
    expect(result.retryMessages).toEqual([]);
  });

  it("a merchant cannot adjust another merchant's stock; support cannot adjust at all", async () => {
    const { token, skuId } = await oneSku(10);
    await env.DB.prepare(
      "INSERT OR IGNORE INTO merchants (id, name, status, commission_bps, created_at) VALUES ('mch_other001', 'o', 'active', 0, 0)",
    ).run();
    const m = await staffToken('merchant', 'mch_other001');
    expect((await adjust(m, skuId, { delta: 1, reason: 'restock' })).status).toBe(403);
    const support = await staffToken('support');
    expect((await adjust(support, skuId, { delta: 1, reason: 'restock' })).status).toBe(403);
    const bad = await adjust(token, skuId, { delta: 1, setTo: 3, reason: 'restock' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.issues[0].path).toBe('delta');
  });
});
