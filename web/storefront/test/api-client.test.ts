// The operationId client every storefront page uses (web/client/operation-client.ts), over a
// recording transport: URLs, params, bodies, tokens, the shared refresh on 401 and error bodies.
import { describe, expect, it } from 'vitest';
import { createOperationClient, queryString, type HttpRequest, type HttpResponse } from '@edgemall/client/operation-client';
import { ApiError } from '@edgemall/client/errors';

function setup(
  answers: Array<HttpResponse | ((req: HttpRequest) => HttpResponse)>,
  opts: { token?: () => string | null; refresh?: () => Promise<boolean> } = {},
) {
  const sent: HttpRequest[] = [];
  const client = createOperationClient({
    baseUrl: 'https://api.test/',
    getToken: opts.token ?? (() => 'tok1'),
    onUnauthorized: opts.refresh,
    send: async (req) => {
      sent.push(req);
      const a = answers.shift();
      if (!a) throw new Error('no answer left');
      return typeof a === 'function' ? a(req) : a;
    },
  });
  return { client, sent };
}

describe('operation client', () => {
  it('fills path params, encodes the query and parses the JSON answer', async () => {
    const { client, sent } = setup([{ status: 200, text: '{"id":"prd_1","title":"保温杯"}' }]);
    const p = await client.call('getProduct', { path: { productId: 'prd 1/x' } });
    expect(p.title).toBe('保温杯');
    expect(sent[0]).toMatchObject({
      method: 'GET',
      url: 'https://api.test/store/v1/products/prd%201%2Fx',
      headers: { authorization: 'Bearer tok1' },
    });
    expect(sent[0]!.body).toBeUndefined();
  });

  it('sends JSON bodies and extra headers (Idempotency-Key)', async () => {
    const { client, sent } = setup([{ status: 201, text: '{"orders":[]}' }]);
    await client.call('createOrder', { body: { addressId: 'adr_1234', buyerNote: '' }, headers: { 'Idempotency-Key': 'k-1' } });
    expect(sent[0]).toMatchObject({ method: 'POST', url: 'https://api.test/store/v1/orders' });
    expect(sent[0]!.headers['content-type']).toBe('application/json');
    expect(sent[0]!.headers['Idempotency-Key']).toBe('k-1');
    expect(JSON.parse(sent[0]!.body!)).toEqual({ addressId: 'adr_1234', buyerNote: '' });
  });

  it('never sends the access token with login or refresh', async () => {
    const { client, sent } = setup([{ status: 200, text: '{}' }]);
    await client.call('userLogin', { body: { code: 'x' } });
    expect(sent[0]!.headers.authorization).toBeUndefined();
  });

  it('throws the API error body as ApiError with code, message and status', async () => {
    const { client } = setup([{ status: 409, text: '{"error":{"code":"flash_sales.sold_out","message":"已抢光"}}' }]);
    const e = await client.call('listCategories').catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status: 409, code: 'flash_sales.sold_out', message: '已抢光' });
  });

  it('a transport failure is a network ApiError', async () => {
    const { client } = setup([]);
    const e = await client.call('listCategories').catch((x) => x);
    expect(e).toMatchObject({ code: 'network' });
  });

  it('on 401 refreshes once for concurrent requests and retries each with the new token', async () => {
    let token = 'old';
    let refreshes = 0;
    const answer = (req: HttpRequest): HttpResponse =>
      req.headers.authorization === 'Bearer new'
        ? { status: 200, text: '{"items":[]}' }
        : { status: 401, text: '{"error":{"code":"auth.expired","message":"expired"}}' };
    const { client, sent } = setup([answer, answer, answer, answer], {
      token: () => token,
      refresh: async () => {
        refreshes++;
        await new Promise((r) => setTimeout(r, 5));
        token = 'new';
        return true;
      },
    });
    await Promise.all([client.call('getCart'), client.call('listMyCoupons')]);
    expect(refreshes).toBe(1);
    expect(sent.map((r) => r.headers.authorization)).toEqual(['Bearer old', 'Bearer old', 'Bearer new', 'Bearer new']);
  });

  it('gives the 401 back when the refresh fails', async () => {
    const { client, sent } = setup([{ status: 401, text: '{"error":{"code":"auth.unauthorized","message":"sign in"}}' }], {
      refresh: async () => false,
    });
    await expect(client.call('getCart')).rejects.toMatchObject({ status: 401, code: 'auth.unauthorized' });
    expect(sent).toHaveLength(1);
  });

  it('builds query strings without URLSearchParams, leaving empty values out', () => {
    expect(queryString({ q: '保温杯', limit: 20, cursor: undefined, empty: '', tags: ['a', 'b'] })).toBe(
      '?q=%E4%BF%9D%E6%B8%A9%E6%9D%AF&limit=20&tags=a&tags=b',
    );
    expect(queryString({})).toBe('');
  });

  it('refuses a call with a missing path parameter before sending', async () => {
    const { client, sent } = setup([]);
    // @ts-expect-error productId is required
    await expect(client.call('getProduct', { path: {} })).rejects.toMatchObject({ code: 'client.missing_path_param' });
    expect(sent).toHaveLength(0);
  });
});
