/// <reference types="vite/client" />
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { env } from '../test/helpers';
import { handleQueueBatch, handledTypes } from './queue';
import type { MessageDef, MessageHandler } from './shared/events';

/** Every message contract declared in a domain's events.ts, with the folder that declares it. */
const modules = import.meta.glob<Record<string, unknown>>('./domains/**/events.ts', { eager: true });
const isDef = (v: unknown): v is MessageDef<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as MessageDef<unknown>).type === 'string' && 'schema' in v && 'queue' in v;
const contracts = Object.entries(modules).flatMap(([file, mod]) => {
  const domain = file.match(/^\.\/domains\/([^/]+)\//)![1]!;
  return [...new Set(Object.values(mod).filter(isDef))].map((def) => ({ file, domain, def }));
});

/** Every consumer file's handlers, with the file's base name (`orders` for flows/orders.consumer.ts). */
const consumerModules = import.meta.glob<Record<string, unknown>>('./**/*.consumer.ts', { eager: true });
const isHandler = (v: unknown): v is MessageHandler =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as MessageHandler).type === 'string' &&
  typeof (v as MessageHandler).handle === 'function';
const consumers = Object.entries(consumerModules).flatMap(([file, mod]) => {
  const base = file.match(/([^/]+)\.consumer\.ts$/)![1]!;
  return Object.values(mod)
    .filter(Array.isArray)
    .flatMap((list: unknown[]) => list.filter(isHandler))
    .map((h) => ({ file, base, type: h.type }));
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

  it('the handler of <d>.<event> is found by name: domains/<d>/<d>.consumer.ts or flows/<d>.consumer.ts', () => {
    expect(consumers.length).toBe(handledTypes().length);
    for (const c of consumers) {
      expect(c.type.split('.')[0], `${c.type} in ${c.file}`).toBe(c.base.replace(/-/g, '_'));
      expect(c.file, c.type).toMatch(new RegExp(`^\\./(domains/${c.base}|flows)/${c.base}\\.consumer\\.ts$`));
    }
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
