import { createSign } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { env } from '../../test/helpers';
import { AppError, errorBody } from '../shared/errors';
import type { Env } from '../shared/env';
import { createRouter } from '../shared/http';
import { WechatPayClient, createWechatPayClient, wechatPayConfig, type WechatPayTransport } from '../domains/payments/wechatpay/client';
import { verifyNotification, wechatErrorReply, wechatReply, type VerifiedNotification } from '../domains/payments/wechatpay/notification';
import { buildSignedNotification, notificationRequest, sandboxCompleteRefund, sandboxPay, wxpaySandboxApp } from './wechatpay-sandbox';
import { createWxpaySandboxRoutes } from './wechatpay-sandbox.routes';
import { buildAuthorization } from '../domains/payments/wechatpay/v3-crypto';

const NOTIFY_URL = 'http://localhost:8787/store/v1/payments/wechat/notify';
const APPID = 'wx_sandbox_appid';
let seq = 0;
/** Storage is shared by the tests of one file: every test uses its own out_trade_no. */
const tradeNo = () => `chk_test${Date.now().toString(36)}${++seq}`;

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

async function expectWechatError(p: Promise<unknown>, status: number, code: string) {
  const err = await rejection(p);
  expect({ appCode: err.code, status: (err.details as any)?.status, code: (err.details as any)?.code }).toEqual({
    appCode: 'payments.wechat_error',
    status,
    code,
  });
  return err;
}

/** Our notify endpoint in miniature: verify, record, reply the way WeChat expects. */
function verifyingEndpoint() {
  const received: VerifiedNotification[] = [];
  const requests: Request[] = [];
  const deliver = async (req: Request) => {
    requests.push(req.clone());
    try {
      received.push(await verifyNotification(env, req.headers, await req.text(), Date.now()));
      return wechatReply(true);
    } catch (err) {
      return wechatErrorReply(err);
    }
  };
  return { received, requests, deliver };
}

async function prepay(client: WechatPayClient, outTradeNo: string, amountTotal = 12900, payerOpenid = 'o_shopper_1') {
  return client.prepayJsapi({ appid: APPID, description: 'edgemall 订单', outTradeNo, notifyUrl: NOTIFY_URL, amountTotal, payerOpenid });
}

/** The in-process sandbox transport with a hook to alter requests or responses on the wire. */
function wiredClient(hooks: {
  request?: (r: Request) => Request | Promise<Request>;
  response?: (r: Response) => Response | Promise<Response>;
}) {
  const transport: WechatPayTransport = async (req) => {
    const sent = hooks.request ? await hooks.request(req) : req;
    const res = await wxpaySandboxApp.fetch(sent, env);
    return hooks.response ? hooks.response(res) : res;
  };
  return new WechatPayClient(wechatPayConfig(env), transport);
}

const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === '1' ? '2' : '1') + s.slice(i + 1);

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('client ↔ sandbox round trip', () => {
  it('prepay, query NOTPAY, pay with a verified notification, query SUCCESS, refund, over-refund refused, close', async () => {
    const client = createWechatPayClient(env);
    const outTradeNo = tradeNo();

    const { prepayId } = await prepay(client, outTradeNo);
    expect(prepayId).toMatch(/^wx\d{14}[0-9a-f]{20}$/);
    // the same order again is idempotent; another amount under the same number is refused
    expect((await prepay(client, outTradeNo)).prepayId).toBe(prepayId);
    await expectWechatError(prepay(client, outTradeNo, 100), 400, 'INVALID_REQUEST');

    expect(await client.queryByOutTradeNo(outTradeNo)).toMatchObject({
      outTradeNo,
      tradeState: 'NOTPAY',
      amountTotal: 12900,
      transactionId: undefined,
    });

    const endpoint = verifyingEndpoint();
    const paid = await sandboxPay(env, outTradeNo, endpoint.deliver);
    expect(paid.status).toBe(204);
    expect(paid.url).toBe(NOTIFY_URL);
    expect(endpoint.requests).toHaveLength(1);
    expect(endpoint.requests[0]!.method).toBe('POST');
    expect(endpoint.requests[0]!.url).toBe(NOTIFY_URL);
    expect(endpoint.received).toHaveLength(1);
    const n = endpoint.received[0]!;
    expect(n).toMatchObject({
      eventType: 'TRANSACTION.SUCCESS',
      resourceType: 'encrypt-resource',
      summary: '支付成功',
      originalType: 'transaction',
    });
    expect(n.resource).toMatchObject({
      mchid: '1900000001',
      appid: APPID,
      out_trade_no: outTradeNo,
      trade_type: 'JSAPI',
      trade_state: 'SUCCESS',
      payer: { openid: 'o_shopper_1' },
      amount: { total: 12900, payer_total: 12900, currency: 'CNY', payer_currency: 'CNY' },
    });
    expect(n.resource.transaction_id).toMatch(/^4200\d{24}$/);
    expect(n.resource.success_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    // the envelope is WeChat's exact shape
    const envelope = JSON.parse(paid.notification.body);
    expect(Object.keys(envelope).sort()).toEqual(['create_time', 'event_type', 'id', 'resource', 'resource_type', 'summary']);
    expect(envelope.resource).toMatchObject({
      algorithm: 'AEAD_AES_256_GCM',
      associated_data: 'transaction',
      original_type: 'transaction',
    });
    expect(envelope.resource.nonce).toHaveLength(12);

    const status = await client.queryByOutTradeNo(outTradeNo);
    expect(status).toMatchObject({
      tradeState: 'SUCCESS',
      transactionId: n.resource.transaction_id,
      amountTotal: 12900,
      payerTotal: 12900,
      payerOpenid: 'o_shopper_1',
    });
    expect(status.successTime).toBe(Date.parse(String(n.resource.success_time)));
    // paid orders cannot be prepaid again or closed
    await expectWechatError(prepay(client, outTradeNo), 400, 'ORDERPAID');
    await expectWechatError(client.close(outTradeNo), 400, 'ORDERPAID');

    // paying again is a WeChat retry: same notification id, state unchanged
    const again = await sandboxPay(env, outTradeNo, endpoint.deliver);
    expect(again.notification.id).toBe(paid.notification.id);
    expect(again.transaction.transaction_id).toBe(n.resource.transaction_id);

    // refunds: partial, idempotent retry, over-refund refused, exact remainder accepted
    const r1 = await client.refund({
      outTradeNo,
      outRefundNo: `${outTradeNo}r1`,
      reason: '部分退款',
      notifyUrl: NOTIFY_URL,
      refund: 3000,
      total: 12900,
    });
    expect(r1).toMatchObject({
      status: 'PROCESSING',
      amountRefund: 3000,
      amountTotal: 12900,
      outTradeNo,
      transactionId: n.resource.transaction_id,
    });
    expect(r1.refundId).toMatch(/^5030\d{25}$/);
    expect(
      (
        await client.refund({
          outTradeNo,
          outRefundNo: `${outTradeNo}r1`,
          reason: '部分退款',
          notifyUrl: NOTIFY_URL,
          refund: 3000,
          total: 12900,
        })
      ).refundId,
    ).toBe(r1.refundId);
    await expectWechatError(
      client.refund({ outTradeNo, outRefundNo: `${outTradeNo}r1`, refund: 3001, total: 12900 }),
      400,
      'INVALID_REQUEST',
    );
    await expectWechatError(client.refund({ outTradeNo, outRefundNo: `${outTradeNo}r2`, refund: 9901, total: 12900 }), 400, 'NOT_ENOUGH');
    await expectWechatError(
      client.refund({ outTradeNo, outRefundNo: `${outTradeNo}r2`, refund: 100, total: 99999 }),
      400,
      'INVALID_REQUEST',
    );
    const r2 = await client.refund({ outTradeNo, outRefundNo: `${outTradeNo}r2`, refund: 9900, total: 12900 });
    expect(r2.status).toBe('PROCESSING');
    await expectWechatError(client.refund({ outTradeNo, outRefundNo: `${outTradeNo}r3`, refund: 1, total: 12900 }), 400, 'NOT_ENOUGH');
    expect((await client.queryByOutTradeNo(outTradeNo)).tradeState).toBe('REFUND');

    expect(await client.queryRefund(`${outTradeNo}r1`)).toMatchObject({
      refundId: r1.refundId,
      status: 'PROCESSING',
      successTime: undefined,
    });
    const done = await sandboxCompleteRefund(env, `${outTradeNo}r1`, endpoint.deliver);
    expect(done.status).toBe(204);
    const rn = endpoint.received.at(-1)!;
    expect(rn).toMatchObject({ eventType: 'REFUND.SUCCESS', summary: '退款成功', originalType: 'refund' });
    expect(rn.resource).toMatchObject({
      mchid: '1900000001',
      out_trade_no: outTradeNo,
      transaction_id: n.resource.transaction_id,
      out_refund_no: `${outTradeNo}r1`,
      refund_id: r1.refundId,
      refund_status: 'SUCCESS',
      amount: { total: 12900, refund: 3000, payer_total: 12900, payer_refund: 3000 },
      user_received_account: '支付用户零钱',
    });
    const q = await client.queryRefund(`${outTradeNo}r1`);
    expect(q).toMatchObject({ status: 'SUCCESS', amountRefund: 3000 });
    expect(q.successTime).toBe(Date.parse(String(rn.resource.success_time)));
    await expectWechatError(client.queryRefund('no-such-refund'), 404, 'RESOURCE_NOT_EXISTS');
  });

  it('close: an unpaid order closes (idempotently) and can then be neither paid nor prepaid', async () => {
    const client = createWechatPayClient(env);
    const outTradeNo = tradeNo();
    await prepay(client, outTradeNo, 500);
    await client.close(outTradeNo);
    await client.close(outTradeNo);
    expect((await client.queryByOutTradeNo(outTradeNo)).tradeState).toBe('CLOSED');
    const err = await rejection(sandboxPay(env, outTradeNo, verifyingEndpoint().deliver));
    expect([err.status, err.code]).toEqual([409, 'payments.sandbox_transaction_closed']);
    await expectWechatError(prepay(client, outTradeNo, 500), 400, 'ORDER_CLOSED');
    await expectWechatError(client.refund({ outTradeNo, outRefundNo: `${outTradeNo}r`, refund: 1, total: 500 }), 400, 'INVALID_REQUEST');
    await expectWechatError(client.queryByOutTradeNo('chk_never_seen'), 404, 'ORDER_NOT_EXIST');
    await expectWechatError(client.close('chk_never_seen'), 404, 'ORDER_NOT_EXIST');
  });

  it('concurrent refunds can never together exceed the amount', async () => {
    const client = createWechatPayClient(env);
    const outTradeNo = tradeNo();
    await prepay(client, outTradeNo, 12900);
    await sandboxPay(env, outTradeNo, verifyingEndpoint().deliver);
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => client.refund({ outTradeNo, outRefundNo: `${outTradeNo}c${i}`, refund: 5000, total: 12900 })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok).toHaveLength(2);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as AppError).details).toMatchObject({ code: 'NOT_ENOUGH' });
    const [t] = await env.DB.prepare('SELECT refunded_total FROM wxpay_sandbox_transactions WHERE out_trade_no = ?').bind(outTradeNo).raw();
    expect(t).toEqual([10000]);
  });

  it('validates bodies like WeChat: PARAM_ERROR for a bad out_trade_no, notify_url with a query, zero amount', async () => {
    const client = createWechatPayClient(env);
    const base = { appid: APPID, description: 'x', notifyUrl: NOTIFY_URL, amountTotal: 100, payerOpenid: 'o1' };
    await expectWechatError(client.prepayJsapi({ ...base, outTradeNo: 'abc' }), 400, 'PARAM_ERROR');
    await expectWechatError(client.prepayJsapi({ ...base, outTradeNo: 'chk_has space' }), 400, 'PARAM_ERROR');
    await expectWechatError(client.prepayJsapi({ ...base, outTradeNo: tradeNo(), notifyUrl: `${NOTIFY_URL}?order=1` }), 400, 'PARAM_ERROR');
    await expectWechatError(client.prepayJsapi({ ...base, outTradeNo: tradeNo(), amountTotal: 0 }), 400, 'PARAM_ERROR');
    await expectWechatError(client.prepayJsapi({ ...base, outTradeNo: tradeNo(), appid: 'wx_other_app' }), 400, 'APPID_MCHID_NOT_MATCH');
    // time_expire travels in WeChat's RFC 3339 form and is accepted
    await expect(client.prepayJsapi({ ...base, outTradeNo: tradeNo(), timeExpire: Date.now() + 15 * 60_000 })).resolves.toMatchObject({
      prepayId: expect.stringMatching(/^wx/),
    });
  });
});

describe('request authentication at the sandbox', () => {
  it('refuses a request whose Authorization signature was tampered with (401 SIGN_ERROR) and stores nothing', async () => {
    const outTradeNo = tradeNo();
    const client = wiredClient({
      request: (req) => {
        const h = new Headers(req.headers);
        h.set(
          'Authorization',
          req.headers.get('Authorization')!.replace(/signature="(.)/, (_m, c: string) => `signature="${c === 'A' ? 'B' : 'A'}`),
        );
        return new Request(req, { headers: h });
      },
    });
    const err = await expectWechatError(prepay(client, outTradeNo), 401, 'SIGN_ERROR');
    expect((err.details as any).signed).toBe(true); // the sandbox signs its errors too
    await expectWechatError(createWechatPayClient(env).queryByOutTradeNo(outTradeNo), 404, 'ORDER_NOT_EXIST');
  });

  it('refuses a body changed after signing (the amount), and a signature made with another key', async () => {
    const outTradeNo = tradeNo();
    const bodyTampered = wiredClient({
      request: async (req) => new Request(req, { body: (await req.text()).replace('"total":12900', '"total":1') }),
    });
    await expectWechatError(prepay(bodyTampered, outTradeNo), 401, 'SIGN_ERROR');

    // signed correctly in form, but with the platform key instead of our merchant key
    const body = JSON.stringify({ mchid: '1900000001' });
    const authorization = await buildAuthorization({
      mchid: '1900000001',
      serialNo: env.WECHATPAY_MCH_SERIAL!,
      privateKey: env.WXPAY_SANDBOX_PLATFORM_PRIVATE_KEY!,
      method: 'POST',
      urlPathWithQuery: `/v3/pay/transactions/out-trade-no/${outTradeNo}/close`,
      body,
    });
    const res = await wxpaySandboxApp.fetch(
      new Request(`https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/${outTradeNo}/close`, {
        method: 'POST',
        headers: { Authorization: authorization, 'Content-Type': 'application/json' },
        body,
      }),
      env,
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'SIGN_ERROR' });
    // and no Authorization at all
    const bare = await wxpaySandboxApp.fetch(
      new Request(`https://api.mch.weixin.qq.com/v3/pay/transactions/out-trade-no/${outTradeNo}?mchid=1900000001`),
      env,
    );
    expect(bare.status).toBe(401);
  });

  it('refuses a stale request timestamp (a replayed request)', async () => {
    const path = `/v3/pay/transactions/out-trade-no/${tradeNo()}?mchid=1900000001`;
    const authorization = await buildAuthorization({
      mchid: '1900000001',
      serialNo: env.WECHATPAY_MCH_SERIAL!,
      privateKey: env.WECHATPAY_MCH_PRIVATE_KEY!,
      method: 'GET',
      urlPathWithQuery: path,
      body: '',
      timestamp: Math.floor(Date.now() / 1000) - 10 * 60,
    });
    const res = await wxpaySandboxApp.fetch(
      new Request(`https://api.mch.weixin.qq.com${path}`, { headers: { Authorization: authorization } }),
      env,
    );
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'SIGN_ERROR' });
  });
});

describe('response verification in the client', () => {
  it('refuses a sandbox response whose body was changed by one byte, even though the sandbox acted', async () => {
    const outTradeNo = tradeNo();
    const client = wiredClient({
      response: async (res) => {
        const body = await res.text();
        const i = body.indexOf('"prepay_id":"wx') + 20; // a digit of the timestamp part
        return new Response(flip(body, i), { status: res.status, headers: res.headers });
      },
    });
    const err = await rejection(prepay(client, outTradeNo));
    expect([err.status, err.code]).toEqual([502, 'payments.bad_response_signature']);
    // the sandbox did create the order: the refusal was the client's
    expect((await createWechatPayClient(env).queryByOutTradeNo(outTradeNo)).tradeState).toBe('NOTPAY');
  });

  it('refuses a response with a flipped signature, a foreign serial, or no signature headers', async () => {
    const outTradeNo = tradeNo();
    await prepay(createWechatPayClient(env), outTradeNo);
    const alter = (change: (h: Headers) => void) =>
      wiredClient({
        response: async (res) => {
          const h = new Headers(res.headers);
          change(h);
          return new Response(await res.text(), { status: res.status, headers: h });
        },
      });
    const cases: Array<(h: Headers) => void> = [
      (h) => h.set('Wechatpay-Signature', flip(h.get('Wechatpay-Signature')!, 5)),
      (h) => h.set('Wechatpay-Serial', 'PUB_KEY_ID_SOMEONE_ELSE'),
      (h) => h.set('Wechatpay-Nonce', `${h.get('Wechatpay-Nonce')}0`),
      (h) => h.set('Wechatpay-Timestamp', String(Number(h.get('Wechatpay-Timestamp')) - 1)),
      (h) => h.delete('Wechatpay-Signature'),
    ];
    for (const change of cases) {
      const err = await rejection(alter(change).queryByOutTradeNo(outTradeNo));
      expect(err.code).toBe('payments.bad_response_signature');
    }
  });

  it('refuses a genuinely signed response from another key (a sandbox with the wrong platform key)', async () => {
    const otherSandboxEnv: Env = { ...env, WXPAY_SANDBOX_PLATFORM_PRIVATE_KEY: env.WECHATPAY_MCH_PRIVATE_KEY };
    const client = new WechatPayClient(wechatPayConfig(env), async (req) => wxpaySandboxApp.fetch(req, otherSandboxEnv));
    const err = await rejection(client.queryByOutTradeNo('chk_whatever'));
    expect(err.code).toBe('payments.bad_response_signature');
  });
});

describe('configuration and the sandbox switch', () => {
  it('wechatPayConfig names every missing variable (503 payments.not_configured)', () => {
    let err: unknown;
    try {
      wechatPayConfig({ ...env, WECHATPAY_MCH_PRIVATE_KEY: undefined, WECHATPAY_APIV3_KEY: '' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).status).toBe(503);
    expect((err as AppError).code).toBe('payments.not_configured');
    expect((err as AppError).details).toEqual({ missing: ['WECHATPAY_MCH_PRIVATE_KEY', 'WECHATPAY_APIV3_KEY'] });
    expect(wechatPayConfig(env).apiBase).toBe('https://api.mch.weixin.qq.com');
  });

  it('outside sandbox mode the client uses fetch against the real API base, and the sandbox refuses everything', async () => {
    const prod: Env = { ...env, ENVIRONMENT: 'production' };
    const seen: Request[] = [];
    vi.stubGlobal('fetch', async (req: Request) => {
      seen.push(req);
      return new Response('{"code":"SYSTEM_ERROR","message":"stub"}', { status: 500 });
    });
    const err = await expectWechatError(prepay(createWechatPayClient(prod), tradeNo()), 500, 'SYSTEM_ERROR');
    expect((err.details as any).signed).toBe(false);
    expect(seen.map((r) => r.url)).toEqual(['https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi']);
    expect(seen[0]!.headers.get('Authorization')).toMatch(/^WECHATPAY2-SHA256-RSA2048 mchid="1900000001",/);
    expect(seen[0]!.headers.get('User-Agent')).toBeTruthy();
    vi.unstubAllGlobals();

    // even with SANDBOX=true, production never runs the sandbox
    for (const off of [prod, { ...prod, SANDBOX: 'true' }, { ...env, SANDBOX: 'false' }] as Env[]) {
      const res = await wxpaySandboxApp.fetch(
        new Request('https://api.mch.weixin.qq.com/v3/pay/transactions/jsapi', { method: 'POST', body: '{}' }),
        off,
      );
      expect(res.status).toBe(503);
      const controls = [
        () => sandboxPay(off, 'chk_x', async () => new Response(null)),
        () => sandboxCompleteRefund(off, 'r', async () => new Response(null)),
        () => buildSignedNotification(off, 'TRANSACTION.SUCCESS', {}, 'transaction'),
      ];
      for (const call of controls) {
        const e = await rejection(call());
        expect([e.status, e.code]).toEqual([503, 'payments.sandbox_disabled']);
      }
    }
  });
});

describe('sandbox control routes', () => {
  function appWith(deliver: (req: Request, env: Env) => Promise<Response>) {
    const app = createRouter();
    app.route('/', createWxpaySandboxRoutes(deliver));
    app.onError((err, c) =>
      err instanceof AppError
        ? c.json(errorBody(err.code, err.message, err.details), err.status)
        : c.json(errorBody('internal', String(err)), 500),
    );
    return app;
  }

  it('pay and complete-refund deliver verified notifications through the given deliver (with env)', async () => {
    const client = createWechatPayClient(env);
    const outTradeNo = tradeNo();
    await prepay(client, outTradeNo, 800);
    const endpoint = verifyingEndpoint();
    const envs: Env[] = [];
    const app = appWith(async (req, e) => {
      envs.push(e);
      return endpoint.deliver(req);
    });

    const pay = await app.request(`/sandbox/wechatpay/transactions/${outTradeNo}/pay`, { method: 'POST' }, env);
    expect(pay.status).toBe(200);
    const body = (await pay.json()) as any;
    expect(body).toMatchObject({
      outTradeNo,
      tradeState: 'SUCCESS',
      notification: { eventType: 'TRANSACTION.SUCCESS', url: NOTIFY_URL, status: 204 },
    });
    expect(body.transactionId).toBe(endpoint.received[0]!.resource.transaction_id);
    expect(body.notification.id).toBe(endpoint.received[0]!.id);
    expect(envs[0]!.WECHATPAY_MCHID).toBe(env.WECHATPAY_MCHID);

    await client.refund({ outTradeNo, outRefundNo: `${outTradeNo}r`, refund: 800, total: 800, notifyUrl: NOTIFY_URL });
    const done = await app.request(`/sandbox/wechatpay/refunds/${outTradeNo}r/complete`, { method: 'POST' }, env);
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({
      outRefundNo: `${outTradeNo}r`,
      refundStatus: 'SUCCESS',
      notification: { eventType: 'REFUND.SUCCESS', status: 204 },
    });
    expect(endpoint.received.map((n) => n.eventType)).toEqual(['TRANSACTION.SUCCESS', 'REFUND.SUCCESS']);

    // a failing endpoint is reported, not hidden
    const failing = appWith(async () => wechatReply(false, 'nope', 500));
    const retry = await failing.request(`/sandbox/wechatpay/transactions/${outTradeNo}/pay`, { method: 'POST' }, env);
    expect(((await retry.json()) as any).notification.status).toBe(500);

    const unknown = await app.request('/sandbox/wechatpay/transactions/chk_unknown_order/pay', { method: 'POST' }, env);
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as any).error.code).toBe('payments.sandbox_transaction_not_found');
  });

  it('is 404 dev.disabled outside sandbox and never delivers', async () => {
    const deliver = vi.fn(async () => new Response(null, { status: 204 }));
    const app = appWith(deliver);
    for (const off of [
      { ...env, ENVIRONMENT: 'production', SANDBOX: 'true' },
      { ...env, SANDBOX: 'false' },
    ]) {
      for (const path of ['/sandbox/wechatpay/transactions/chk_abcdef/pay', '/sandbox/wechatpay/refunds/rfd_abc/complete']) {
        const res = await app.request(path, { method: 'POST' }, off);
        expect(res.status).toBe(404);
        expect(((await res.json()) as any).error.code).toBe('dev.disabled');
      }
    }
    expect(deliver).not.toHaveBeenCalled();
  });
});

describe('replaying a delivered notification', () => {
  it('the exact notification the sandbox delivered verifies again now, and an independently re-signed copy with a stale timestamp does not', async () => {
    const client = createWechatPayClient(env);
    const outTradeNo = tradeNo();
    await prepay(client, outTradeNo, 300);
    const paid = await sandboxPay(env, outTradeNo, verifyingEndpoint().deliver);
    const replay = notificationRequest(paid.url, paid.notification);
    await expect(verifyNotification(env, replay.headers, await replay.text(), Date.now())).resolves.toMatchObject({
      id: paid.notification.id,
    });
    // the same delivery seen 6 minutes later is outside the window
    const later = notificationRequest(paid.url, paid.notification);
    const err = await rejection(verifyNotification(env, later.headers, await later.text(), Date.now() + 6 * 60_000));
    expect([err.status, err.code]).toEqual([401, 'payments.notification_expired']);
    // moving the timestamp forward without re-signing breaks the signature
    const h = new Headers(paid.notification.headers);
    h.set('Wechatpay-Timestamp', String(Math.floor(Date.now() / 1000) + 1));
    expect((await rejection(verifyNotification(env, h, paid.notification.body, Date.now()))).code).toBe(
      'payments.bad_notification_signature',
    );
    // and a re-sign by anyone without the platform key fails too
    const s = createSign('RSA-SHA256');
    s.update(`${h.get('Wechatpay-Timestamp')}\n${h.get('Wechatpay-Nonce')}\n${paid.notification.body}\n`);
    h.set('Wechatpay-Signature', s.sign(env.WECHATPAY_MCH_PRIVATE_KEY!, 'base64'));
    expect((await rejection(verifyNotification(env, h, paid.notification.body, Date.now()))).status).toBe(401);
  });
});
