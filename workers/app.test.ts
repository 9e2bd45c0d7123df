import { describe, expect, it } from 'vitest';
import { api } from '../test/helpers';
import committedSpec from '../web/client/openapi.json';
import { OPERATIONS } from '../web/client/operations';

describe('platform', () => {
  it('GET /health reports every binding ok', async () => {
    const r = await api('GET', '/health');
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('ok');
    for (const k of ['d1', 'durableObject', 'r2', 'queues']) expect(r.body.checks[k].ok, k).toBe(true);
    expect(r.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it('echoes a caller-supplied request id', async () => {
    const r = await api('GET', '/health', { headers: { 'x-request-id': 'abc-123' } });
    expect(r.headers.get('x-request-id')).toBe('abc-123');
  });

  it('unknown routes are 404 JSON in the error shape', async () => {
    const r = await api('GET', '/store/v1/nope');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { code: 'not_found', message: 'no route for GET /store/v1/nope' } });
  });

  it('serves an OpenAPI 3.1 document with the contract operationIds', async () => {
    const r = await api('GET', '/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    const ids = Object.values(r.body.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((ops) =>
      Object.values(ops).map((o) => o.operationId),
    );
    // the contract operationIds this foundation serves (ARCHITECTURE.md)
    const contract = [
      'userLogin',
      'listCategories',
      'listProducts',
      'getProduct',
      'getCart',
      'addCartItem',
      'quoteCheckout',
      'createOrder',
      'getOrder',
      'listOrders',
      'cancelOrder',
      'confirmReceipt',
      'payOrder',
      'wechatPayNotify',
      'applyAfterSale',
      'listFlashSales',
      'reserveFlashSale',
      'openGroupBuyTeam',
      'joinGroupBuyTeam',
      'getGroupBuyTeam',
      'adminLogin',
      'createCategory',
      'createProduct',
      'updateProduct',
      'adjustStock',
      'shipOrder',
      'reviewAfterSale',
      'createFlashSale',
      'createGroupBuy',
    ];
    for (const id of contract) expect(ids).toContain(id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves interactive docs at /docs', async () => {
    const r = await api('GET', '/docs');
    expect(r.status).toBe(200);
    expect(String(r.body)).toContain('/openapi.json');
  });

  it('validation errors are 400 with field paths', async () => {
    const r = await api('POST', '/admin/v1/auth/login', { body: { email: 'not-an-email', password: '' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('validation.failed');
    const paths = r.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['email', 'password']));
  });

  it('malformed JSON is a 400, not a 500', async () => {
    const r = await api('POST', '/admin/v1/auth/login', { raw: '{"email":', headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toMatch(/^validation\./);
  });

  it('the typed client in web/client was generated from this API (else: npm run dev, then npm run client:generate)', async () => {
    const r = await api('GET', '/openapi.json');
    const { servers: _host, ...live } = r.body;
    expect(live).toEqual(committedSpec);
  });

  it("the storefront's operation map (web/client/operations.ts) names every operation at its method and path", async () => {
    const r = await api('GET', '/openapi.json');
    const live: Record<string, [string, string]> = {};
    for (const [p, ops] of Object.entries(r.body.paths as Record<string, Record<string, { operationId?: string }>>))
      for (const [method, op] of Object.entries(ops)) if (op.operationId) live[op.operationId] = [method, p];
    expect(Object.fromEntries(Object.entries(OPERATIONS).map(([k, v]) => [k, [...v]]))).toEqual(live);
  });
});
