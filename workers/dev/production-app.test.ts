// A production-configured Worker has none of the development-only routes of workers/dev: they are
// not mounted at all (404 not_found like any unknown path, not the dev app's dev.disabled), and
// /openapi.json does not list them. Everything else is the same API.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../index';
import type { Env } from '../shared/env';
import { adminToken, env } from '../../test/helpers';

const DEV_OPERATIONS = ['seedDemoShop', 'sandboxPayTransaction', 'sandboxCompleteRefund', 'getDevClock', 'setDevClock', 'runDevCron'];
const DEV_PATHS = [
  '/admin/v1/dev/seed-demo',
  '/sandbox/wechatpay/transactions/{outTradeNo}/pay',
  '/sandbox/wechatpay/refunds/{outRefundNo}/complete',
];

/** The real secrets and bindings of the test Worker, with ENVIRONMENT=production (SANDBOX stays "true": it must not matter). */
const productionEnv = { ...env, ENVIRONMENT: 'production' } as Env;

/** Calls the Worker's own fetch handler (workers/index.ts) with the given env. */
async function call(e: Env, method: string, path: string, token?: string): Promise<{ status: number; body: any }> {
  const ec = createExecutionContext();
  const res = await worker.fetch!(
    new Request(`http://edgemall.test${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} }) as any,
    e,
    ec,
  );
  await waitOnExecutionContext(ec);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

type Spec = { paths: Record<string, Record<string, { operationId?: string; tags?: string[] }>> };
const operationsOf = (spec: Spec) =>
  Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method, id: op.operationId, tags: op.tags ?? [] })),
  );

describe('a production-configured app', () => {
  let admin: string;
  let devSpec: Spec;
  let prodSpec: Spec;

  beforeAll(async () => {
    admin = await adminToken();
    devSpec = (await call(env as Env, 'GET', '/openapi.json')).body;
    prodSpec = (await call(productionEnv, 'GET', '/openapi.json')).body;
  });

  it('the development app does mount the dev routes (so the checks below are not vacuous)', () => {
    const ids = operationsOf(devSpec).map((o) => o.id);
    for (const id of DEV_OPERATIONS) expect(ids).toContain(id);
    for (const p of DEV_PATHS) expect(Object.keys(devSpec.paths)).toContain(p);
  });

  it('/openapi.json lists no dev route, no Dev tag, no /sandbox or /dev path — and every other operation', () => {
    const ops = operationsOf(prodSpec);
    expect(ops.length).toBeGreaterThan(100);
    expect(
      ops.filter(
        (o) => DEV_OPERATIONS.includes(o.id ?? '') || o.tags.includes('Dev') || o.path.startsWith('/sandbox/') || o.path.includes('/dev/'),
      ),
    ).toEqual([]);
    const key = (o: { path: string; method: string }) => `${o.method} ${o.path}`;
    const expected = operationsOf(devSpec)
      .filter((o) => !DEV_OPERATIONS.includes(o.id ?? ''))
      .map(key)
      .sort();
    expect(ops.map(key).sort()).toEqual(expected);
  });

  it('answers 404 not_found on the demo seed and the sandbox controls, even to the admin', async () => {
    for (const path of [
      '/admin/v1/dev/seed-demo',
      '/sandbox/wechatpay/transactions/chk_abcdef12/pay',
      '/sandbox/wechatpay/refunds/rf_abcdef12/complete',
    ]) {
      for (const token of [undefined, admin]) {
        const r = await call(productionEnv, 'POST', path, token);
        expect({ path, status: r.status, code: r.body?.error?.code }).toEqual({ path, status: 404, code: 'not_found' });
      }
      // not even a CORS preflight answer: nothing at all is mounted under /sandbox
      if (path.startsWith('/sandbox/')) expect((await call(productionEnv, 'OPTIONS', path)).status).toBe(404);
    }
  });

  it('still serves the rest of the API with the same secrets (the 404s are not an auth or config artefact)', async () => {
    expect((await call(productionEnv, 'GET', '/store/v1/categories')).status).toBe(200);
    const dash = await call(productionEnv, 'GET', '/admin/v1/dashboard', admin);
    expect(dash.status, JSON.stringify(dash.body)).toBe(200);
  });
});
