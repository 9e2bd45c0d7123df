import { env, evictDurableObject as evictRaw, runInDurableObject as runIn } from 'cloudflare:test';
import { afterAll, afterEach } from 'vitest';
import { skuStockStub, type SkuStock } from '../durable-objects/sku-stock';

/** runInDurableObject typed for SkuStock: the pool's overloads do not infer it from the stub. */
export const runInSkuStock = runIn as unknown as <R>(
  stub: DurableObjectStub<SkuStock>,
  fn: (instance: SkuStock, state: DurableObjectState) => R | Promise<R>,
) => Promise<R>;

/** Eviction needs a running instance: wake it first (an idle one may already have been unloaded). */
export async function evictSkuStock(stub: DurableObjectStub<SkuStock>): Promise<void> {
  await stub.ping();
  await evictRaw(stub);
}

const deleteAlarm = (stub: DurableObjectStub<SkuStock>) => runInSkuStock(stub, (_i, state) => state.storage.deleteAlarm());

/**
 * DO alarms are not reset between tests: a test file registers the SKUs it used here and their
 * objects' alarms (reservation and seat expiry) are deleted after the file.
 */
export function skusWithAlarms(): Set<string> {
  const used = new Set<string>();
  afterAll(async () => {
    for (const skuId of used) await deleteAlarm(skuStockStub(env, skuId));
  });
  return used;
}

/** A factory of fresh SkuStock objects (a new name each), whose alarms are deleted after each test. */
export function freshSkuStocks(): () => DurableObjectStub<SkuStock> {
  const used: DurableObjectStub<SkuStock>[] = [];
  afterEach(async () => {
    for (const stub of used.splice(0)) await deleteAlarm(stub);
  });
  return () => {
    const stub = skuStockStub(env, `test-${crypto.randomUUID()}`);
    used.push(stub);
    return stub;
  };
}
