/// <reference types="vite/client" />
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { env } from '../test/helpers';
import { handleQueueBatch, handledTypes } from './queue';
import type { MessageDef } from './shared/events';

/** Every message contract declared in a domain's events.ts, with the folder that declares it. */
const modules = import.meta.glob<Record<string, unknown>>('./domains/**/events.ts', { eager: true });
const isDef = (v: unknown): v is MessageDef<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as MessageDef<unknown>).type === 'string' && 'schema' in v && 'queue' in v;
const contracts = Object.entries(modules).flatMap(([file, mod]) => {
  const domain = file.match(/^\.\/domains\/([^/]+)\//)![1]!;
  return [...new Set(Object.values(mod).filter(isDef))].map((def) => ({ file, domain, def }));
});

async function deliver(queue: string, body: unknown) {
  const batch = createMessageBatch(queue, [{ id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body }]);
  const ec = createExecutionContext();
  await handleQueueBatch(batch, env, ec);
  return getQueueResult(batch, ec);
}

describe('the message catalogue', () => {
  it('finds the contracts (the glob still matches the layout)', () => {
    expect(contracts.length).toBeGreaterThanOrEqual(9);
  });

  it('each type is named after the domain whose events.ts declares it, and is declared once', () => {
    for (const { domain, def } of contracts) expect(def.type.split('.')[0], def.type).toBe(domain.replace(/-/g, '_'));
    const types = contracts.map((c) => c.def.type);
    expect(new Set(types).size).toBe(types.length);
  });

  it('every declared message has a consumer, and every consumer handles a declared message', () => {
    const declared = contracts.map((c) => c.def.type).sort();
    expect([...handledTypes()].sort()).toEqual(declared);
  });

  it('a payload that breaks its contract is rejected on receipt and not retried', async () => {
    const r = await deliver('edgemall-settlement', {
      type: 'orders.payment_timeout',
      id: 'timeout:bad',
      at: Date.now(),
      data: { checkoutId: 42 },
    });
    expect(r.explicitAcks).toEqual([expect.any(String)]);
    expect(r.retryMessages).toEqual([]);
  });

  it('an unknown type is dropped, not retried forever', async () => {
    const r = await deliver('edgemall-settlement', { type: 'nobody.handles_this', id: 'x', at: Date.now(), data: {} });
    expect(r.explicitAcks.length).toBe(1);
    expect(r.retryMessages).toEqual([]);
  });
});
