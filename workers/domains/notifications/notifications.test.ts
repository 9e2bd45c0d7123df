import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, env } from '../../../test/helpers';
import { placeOrder, sellable, shopperWithAddress } from '../../../test/shop';
import { handleQueueBatch } from '../../queue';
import type { QueueMessage } from '../../shared/events';
import { getDb } from '../../shared/db';
import { createLogger } from '../../shared/log';
import { fenToYuan } from '../../shared/money';
import type { Ctx } from '../../shared/context';
import type { Env } from '../../shared/env';
import { buildSignedNotification } from '../../dev/wechatpay-sandbox';
import { handlePaymentNotification } from '../../flows/payment';
import { shipOrder } from '../../flows/fulfilment';
import {
  notifyOrderPaid,
  notifyRefundResult,
  ORDER_PAID_NOTICE,
  ORDER_SHIPPED_NOTICE,
  REFUND_RESULT_NOTICE,
  type NoticeData,
} from './events';
import {
  setNotificationProviders,
  WechatSubscribeProvider,
  type SendOutcome,
  type SmsPayload,
  type WechatSender,
  type WechatSubscribePayload,
} from './providers';
import { beijingTime } from './notifications.service';

afterEach(() => setNotificationProviders(null));

/** A ctx whose queues record what is sent instead of sending it. */
function spyCtx(actor: Ctx['actor'] = { kind: 'system', name: 'test' }) {
  const sent: QueueMessage[] = [];
  const queue = { send: vi.fn(async (m: QueueMessage) => void sent.push(m)), sendBatch: vi.fn() };
  const ctx: Ctx = {
    db: getDb(env.DB),
    env: { ...env, NOTIFICATIONS: queue, SETTLEMENT: queue } as unknown as Env,
    actor,
    now: Date.now(),
    requestId: 't',
    log: createLogger(),
  };
  return { ctx, sent };
}

let seq = 0;
/** Runs one message through the real queue entry point, as delivery number `attempts`. */
async function deliver(body: unknown, opts: { attempts?: number; queue?: string } = {}) {
  const id = `m${++seq}`;
  const batch = createMessageBatch(opts.queue ?? 'edgemall-notifications', [
    { id, timestamp: new Date(), attempts: opts.attempts ?? 1, body },
  ]);
  const ec = createExecutionContext();
  await handleQueueBatch(batch, env, ec);
  const r = await getQueueResult(batch, ec);
  return { acked: r.explicitAcks.includes(id), retried: r.retryMessages.some((m: { msgId: string }) => m.msgId === id) };
}

/** A fake WeChat sender that records payloads and answers what `answer` says. */
class FakeWechat implements WechatSender {
  readonly channel = 'wechat_subscribe' as const;
  calls: WechatSubscribePayload[] = [];
  constructor(private answer: (p: WechatSubscribePayload) => Promise<SendOutcome> = async () => ({ status: 'sent' })) {}
  async send(p: WechatSubscribePayload): Promise<SendOutcome> {
    this.calls.push(p);
    return this.answer(p);
  }
  callsFor(orderId: string) {
    return this.calls.filter((c) => c.page?.endsWith(`id=${orderId}`));
  }
}

const logRow = (id: string) =>
  env.DB.prepare('SELECT channel, template, user_id, status, attempts, error FROM notification_log WHERE id = ?').bind(id).first<{
    channel: string;
    template: string;
    user_id: string | null;
    status: string;
    attempts: number;
    error: string | null;
  }>();

/** A WeChat shopper straight in the table (the notification consumer only needs the user row). */
async function wechatUser() {
  const id = `usr_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const openid = `o_${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
  await env.DB.prepare('INSERT INTO users (id, openid, nickname, created_at) VALUES (?, ?, ?, ?)').bind(id, openid, 'n', Date.now()).run();
  return { id, openid };
}

const paidMsg = (userId: string, orderId = `ord_${crypto.randomUUID().slice(0, 8)}`, amount = 4990): QueueMessage<NoticeData> => ({
  type: ORDER_PAID_NOTICE,
  id: `paid:${orderId}`,
  at: Date.UTC(2026, 10, 25, 12, 0),
  data: { userId, orderId, orderNo: `2026112500${seq}`, amount },
});

/** Answers like api.weixin.qq.com; `sendAnswer` decides the subscribe/send reply. */
function fakeWechatServer(sendAnswer: () => Response | Promise<Response>) {
  const calls: { url: URL; body: any }[] = [];
  let tokens = 0;
  const fetch = async (input: string, init?: RequestInit) => {
    const url = new URL(input);
    calls.push({ url, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    if (url.pathname === '/cgi-bin/token') {
      expect(url.searchParams.get('grant_type')).toBe('client_credential');
      expect([url.searchParams.get('appid'), url.searchParams.get('secret')]).toEqual(['wxtestapp', 'wxtestsecret']);
      return Response.json({ access_token: `TOKEN${++tokens}`, expires_in: 7200 });
    }
    if (url.pathname === '/cgi-bin/message/subscribe/send') return sendAnswer();
    return new Response('not found', { status: 404 });
  };
  return {
    fetch,
    calls,
    sends: () => calls.filter((c) => c.url.pathname.endsWith('/subscribe/send')),
    tokenCalls: () => calls.filter((c) => c.url.pathname === '/cgi-bin/token'),
  };
}

describe('order notifications: emitted by the flows, sent once', () => {
  it('a paid order produces exactly one order_paid notification, even when the message is delivered twice', async () => {
    const { skuId } = await sellable(4990, 10);
    const shopper = await shopperWithAddress();
    const placed = await placeOrder(shopper.token, shopper.addressId, skuId, 1);
    expect(placed.status).toBe(201);
    const orderId = placed.body.orders[0].id as string;
    const orderNo = placed.body.orders[0].orderNo as string;
    const checkoutId = placed.body.checkoutId as string;
    const amount = placed.body.payableTotal as number; // goods + shipping
    await api('POST', `/store/v1/orders/${orderId}/pay`, { token: shopper.token });

    // WeChat's payment notification, applied with a ctx whose queue we can see
    const { ctx, sent } = spyCtx({ kind: 'system', name: 'wechat-notify' });
    const n = await buildSignedNotification(
      env,
      'TRANSACTION.SUCCESS',
      {
        mchid: env.WECHATPAY_MCHID,
        appid: env.WECHAT_APP_ID,
        out_trade_no: checkoutId,
        transaction_id: `42000000${Date.now()}`,
        trade_type: 'JSAPI',
        trade_state: 'SUCCESS',
        success_time: '2026-11-25T20:00:00+08:00',
        payer: { openid: 'x' },
        amount: { total: amount, payer_total: amount, currency: 'CNY', payer_currency: 'CNY' },
      },
      'transaction',
    );
    expect(await handlePaymentNotification(ctx, new Headers(n.headers), n.body)).toBe('paid');
    // WeChat repeating its notification applies nothing and queues nothing more
    expect(await handlePaymentNotification(ctx, new Headers(n.headers), n.body)).toBe('duplicate');
    expect(sent).toHaveLength(1);
    const userId = (await env.DB.prepare('SELECT user_id FROM orders WHERE id = ?').bind(orderId).first<{ user_id: string }>())!.user_id;
    expect(sent[0]).toMatchObject({ type: ORDER_PAID_NOTICE, id: `paid:${orderId}`, data: { userId, orderId, orderNo, amount } });

    const wechat = new FakeWechat();
    setNotificationProviders({ wechat });
    const first = await deliver(sent[0]);
    const again = await deliver(sent[0], { attempts: 2 }); // the queue delivers at least once
    expect([first, again]).toEqual([
      { acked: true, retried: false },
      { acked: true, retried: false },
    ]);
    expect(wechat.callsFor(orderId)).toHaveLength(1);
    const openid = (await env.DB.prepare('SELECT openid FROM users WHERE id = ?').bind(userId).first<{ openid: string }>())!.openid;
    expect(wechat.callsFor(orderId)[0]).toMatchObject({
      touser: openid,
      template_id: env.WECHAT_TEMPLATE_ORDER_PAID ?? 'dev_order_paid',
      data: {
        character_string1: { value: orderNo },
        amount2: { value: `¥${fenToYuan(amount)}` },
        thing3: { value: expect.any(String) },
        time4: { value: expect.stringMatching(/年.*月.*日 \d\d:\d\d$/) },
      },
    });
    expect(await logRow(`paid:${orderId}`)).toMatchObject({
      channel: 'wechat_subscribe',
      user_id: userId,
      status: 'sent',
      attempts: 1,
      error: null,
    });
  });

  it('two copies of one message delivered at the same time still send once', async () => {
    const u = await wechatUser();
    const msg = paidMsg(u.id);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const wechat = new FakeWechat(async () => {
      await gate;
      return { status: 'sent' };
    });
    setNotificationProviders({ wechat });
    const a = deliver(msg);
    await vi.waitFor(() => expect(wechat.callsFor(msg.data.orderId)).toHaveLength(1)); // copy A holds the claim and is mid-send
    const b = await deliver(msg, { attempts: 2 });
    expect(b).toEqual({ acked: false, retried: true }); // B must not send, and must not be lost either
    release();
    expect(await a).toEqual({ acked: true, retried: false });
    expect(await deliver(msg, { attempts: 3 })).toEqual({ acked: true, retried: false }); // B's retry finds it sent
    expect(wechat.callsFor(msg.data.orderId)).toHaveLength(1);
    expect((await logRow(msg.id))!.status).toBe('sent');
  });

  it('shipping an order queues one order_shipped notice with carrier and tracking number', async () => {
    const { skuId } = await sellable(1500, 5);
    const shopper = await shopperWithAddress();
    const placed = await placeOrder(shopper.token, shopper.addressId, skuId, 1);
    const orderId = placed.body.orders[0].id as string;
    await api('POST', `/store/v1/orders/${orderId}/pay`, { token: shopper.token });
    expect((await api('POST', `/sandbox/wechatpay/transactions/${placed.body.checkoutId}/pay`)).status).toBe(200);
    const { ctx, sent } = spyCtx({ kind: 'staff', staffId: 'stf_test', role: 'operator', merchantId: null, sessionId: 's' });
    await shipOrder(ctx, orderId, { carrierCode: 'SF', trackingNo: 'SF1234567890' });
    await shipOrder(ctx, orderId, { carrierCode: 'SF', trackingNo: 'SF1234567890' }); // a repeated ship is no new notice
    const shipped = sent.filter((m) => m.type === ORDER_SHIPPED_NOTICE);
    expect(shipped).toHaveLength(1);
    expect(shipped[0]).toMatchObject({
      id: `shipped:${orderId}`,
      data: { orderId, carrierName: expect.any(String), trackingNo: 'SF1234567890' },
    });

    const wechat = new FakeWechat();
    setNotificationProviders({ wechat });
    expect(await deliver(shipped[0])).toEqual({ acked: true, retried: false });
    const carrierName = (shipped[0]!.data as NoticeData).carrierName!;
    expect(wechat.callsFor(orderId)[0]!.data).toMatchObject({
      thing2: { value: carrierName },
      character_string3: { value: 'SF1234567890' },
    });
  });

  it('notify helpers never throw: a queue failure is logged, not raised', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const ctx: Ctx = {
      db: getDb(env.DB),
      env: {
        ...env,
        NOTIFICATIONS: {
          send: async () => {
            throw new Error('queue down');
          },
        },
      } as unknown as Env,
      actor: { kind: 'system', name: 't' },
      now: Date.now(),
      requestId: 't',
      log: createLogger(),
    };
    await expect(notifyOrderPaid(ctx, { userId: 'usr_x', orderId: 'ord_x', orderNo: '1', amount: 1 })).resolves.toBeUndefined();
    await expect(
      notifyRefundResult(ctx, { refundId: 'rfd_1', userId: 'usr_x', orderId: 'ord_x', orderNo: '1', amount: 1, refundStatus: 'succeeded' }),
    ).resolves.toBeUndefined();
    expect(errors.mock.calls.filter((c) => String(c[0]).includes('notification not queued'))).toHaveLength(2);
    errors.mockRestore();
  });

  it('refund results use one message id per refund and outcome, and read 退款成功 with the amount', async () => {
    const { ctx, sent } = spyCtx();
    const u = await wechatUser();
    await notifyRefundResult(ctx, {
      refundId: 'rfd_a',
      userId: u.id,
      orderId: 'ord_r1',
      orderNo: '202611250001',
      amount: 1250,
      refundStatus: 'succeeded',
    });
    await notifyRefundResult(ctx, {
      refundId: 'rfd_b',
      userId: u.id,
      orderId: 'ord_r1',
      orderNo: '202611250001',
      amount: 300,
      refundStatus: 'succeeded',
    });
    expect(sent.map((m) => [m.type, m.id])).toEqual([
      [REFUND_RESULT_NOTICE, 'refund:rfd_a:succeeded'],
      [REFUND_RESULT_NOTICE, 'refund:rfd_b:succeeded'],
    ]);
    const wechat = new FakeWechat();
    setNotificationProviders({ wechat });
    await deliver(sent[0]);
    expect(wechat.callsFor('ord_r1')[0]!.data).toMatchObject({ amount2: { value: '¥12.50' }, phrase3: { value: '退款成功' } });
  });
});

describe('the WeChat subscribe-message provider (against a fake WeChat server)', () => {
  const provider = (server: ReturnType<typeof fakeWechatServer>, now?: () => number) =>
    new WechatSubscribeProvider({
      appId: 'wxtestapp',
      appSecret: 'wxtestsecret',
      apiBase: 'https://wx.fake.test',
      fetch: server.fetch,
      now,
    });

  it('gets an access_token once, caches it until it expires, and posts the subscribe message', async () => {
    const server = fakeWechatServer(() => Response.json({ errcode: 0, errmsg: 'ok' }));
    let clock = Date.now();
    setNotificationProviders({ wechat: provider(server, () => clock) });
    const u = await wechatUser();
    const m1 = paidMsg(u.id);
    const m2 = paidMsg(u.id);
    expect(await deliver(m1)).toEqual({ acked: true, retried: false });
    expect(await deliver(m2)).toEqual({ acked: true, retried: false });
    expect(server.tokenCalls()).toHaveLength(1);
    expect(server.sends()).toHaveLength(2);
    const send = server.sends()[0]!;
    expect(send.url.searchParams.get('access_token')).toBe('TOKEN1');
    expect(send.body).toEqual({
      touser: u.openid,
      template_id: 'dev_order_paid',
      page: `pages/order/detail?id=${m1.data.orderId}`,
      lang: 'zh_CN',
      data: {
        character_string1: { value: m1.data.orderNo },
        amount2: { value: '¥49.90' },
        thing3: { value: '订单已支付，商家正在备货' },
        time4: { value: '2026年11月25日 20:00' },
      },
    });
    // past expiry (7200 s, refreshed 5 min early) a new token is fetched
    clock += 7200_000;
    expect(await deliver(paidMsg(u.id))).toEqual({ acked: true, retried: false });
    expect(server.tokenCalls()).toHaveLength(2);
    expect(server.sends()[2]!.url.searchParams.get('access_token')).toBe('TOKEN2');
    expect((await logRow(m1.id))!.status).toBe('sent');
  });

  it('43101 (not subscribed / refused) is a final skip, never retried', async () => {
    const server = fakeWechatServer(() => Response.json({ errcode: 43101, errmsg: 'user refuse to accept the msg' }));
    setNotificationProviders({ wechat: provider(server) });
    const msg = paidMsg((await wechatUser()).id);
    expect(await deliver(msg)).toEqual({ acked: true, retried: false });
    expect(await logRow(msg.id)).toMatchObject({ status: 'skipped', error: expect.stringContaining('43101') });
    expect(await deliver(msg, { attempts: 2 })).toEqual({ acked: true, retried: false });
    expect(server.sends()).toHaveLength(1);
  });

  it('a 5xx is retried by the queue, then sent once it recovers', async () => {
    let status = 502;
    const server = fakeWechatServer(() =>
      status === 200 ? Response.json({ errcode: 0, errmsg: 'ok' }) : new Response('bad gateway', { status }),
    );
    setNotificationProviders({ wechat: provider(server) });
    const msg = paidMsg((await wechatUser()).id);
    expect(await deliver(msg)).toEqual({ acked: false, retried: true });
    expect(await logRow(msg.id)).toMatchObject({ status: 'failed', attempts: 1, error: expect.stringMatching(/^retrying: .*HTTP 502/) });
    status = 200;
    expect(await deliver(msg, { attempts: 2 })).toEqual({ acked: true, retried: false });
    expect(await logRow(msg.id)).toMatchObject({ status: 'sent', attempts: 2, error: null });
    expect(server.sends()).toHaveLength(2);
  });

  it('an expired access_token (42001) is dropped and the retry uses a fresh one', async () => {
    let first = true;
    const server = fakeWechatServer(() => {
      const r = first ? Response.json({ errcode: 42001, errmsg: 'access_token expired' }) : Response.json({ errcode: 0, errmsg: 'ok' });
      first = false;
      return r;
    });
    setNotificationProviders({ wechat: provider(server) });
    const msg = paidMsg((await wechatUser()).id);
    expect(await deliver(msg)).toEqual({ acked: false, retried: true });
    expect(await deliver(msg, { attempts: 2 })).toEqual({ acked: true, retried: false });
    expect(server.sends().map((s) => s.url.searchParams.get('access_token'))).toEqual(['TOKEN1', 'TOKEN2']);
  });

  it('a permanent refusal (bad template) is recorded failed at once, not retried', async () => {
    const server = fakeWechatServer(() => Response.json({ errcode: 40037, errmsg: 'invalid template_id' }));
    setNotificationProviders({ wechat: provider(server) });
    const msg = paidMsg((await wechatUser()).id);
    expect(await deliver(msg)).toEqual({ acked: true, retried: false });
    expect(await logRow(msg.id)).toMatchObject({ status: 'failed', error: expect.stringContaining('40037') });
    expect(await deliver(msg, { attempts: 2 })).toEqual({ acked: true, retried: false });
    expect(server.sends()).toHaveLength(1);
  });
});

describe('dead letters, SMS and the dev log sink', () => {
  it('the dead-letter consumer records a message that ran out of retries as failed, and it is never sent again', async () => {
    const server = fakeWechatServer(() => new Response('oops', { status: 500 }));
    setNotificationProviders({
      wechat: new WechatSubscribeProvider({
        appId: 'wxtestapp',
        appSecret: 'wxtestsecret',
        apiBase: 'https://wx.fake.test',
        fetch: server.fetch,
      }),
    });
    const msg = paidMsg((await wechatUser()).id);
    expect(await deliver(msg)).toEqual({ acked: false, retried: true });
    expect(await deliver(msg, { queue: 'edgemall-notifications-dlq' })).toEqual({ acked: true, retried: false });
    expect(await logRow(msg.id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^dead-lettered after retries: .*HTTP 500/),
    });
    // final: a stray redelivery on the main queue sends nothing
    expect(await deliver(msg, { attempts: 7 })).toEqual({ acked: true, retried: false });
    expect(server.sends()).toHaveLength(1);
    // a dead letter with no attempt recorded (e.g. the user lookup kept failing) still gets a failed row
    const never = paidMsg('usr_nobody');
    expect(await deliver(never, { queue: 'edgemall-notifications-dlq' })).toEqual({ acked: true, retried: false });
    expect(await logRow(never.id)).toMatchObject({
      status: 'failed',
      user_id: 'usr_nobody',
      error: expect.stringContaining('no send was attempted'),
    });
  });

  it('a sent notification stays sent when its copy also reaches the dead-letter queue', async () => {
    setNotificationProviders({ wechat: new FakeWechat() });
    const msg = paidMsg((await wechatUser()).id);
    await deliver(msg);
    await deliver(msg, { queue: 'edgemall-notifications-dlq' });
    expect(await logRow(msg.id)).toMatchObject({ status: 'sent', error: null });
  });

  it('phone-only shoppers get an SMS payload (log implementation for now); the phone never reaches the log', async () => {
    const phone = `137${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const code = (await api('POST', '/store/v1/auth/sms-code', { body: { phone } })).body.sandboxCode;
    const login = await api('POST', '/store/v1/auth/sms-login', { body: { phone, code } });
    expect(login.status).toBe(200);
    const sms: SmsPayload[] = [];
    const wechat = new FakeWechat();
    setNotificationProviders({ wechat, sms: { channel: 'sms', send: async (p) => (sms.push(p), { status: 'sent' }) } });
    const msg = paidMsg(login.body.user.id, undefined, 1999);
    expect(await deliver(msg)).toEqual({ acked: true, retried: false });
    expect(wechat.callsFor(msg.data.orderId)).toHaveLength(0);
    expect(sms).toEqual([{ phone, template: 'edgemall_order_paid', params: { orderNo: msg.data.orderNo, amount: '19.99' } }]);
    expect(await logRow(msg.id)).toMatchObject({ channel: 'sms', status: 'sent' });

    // the default SMS provider is the log sink: it logs template and params, never the phone
    setNotificationProviders(null);
    const lines: string[] = [];
    const spies = (['log', 'warn', 'error'] as const).map((k) =>
      vi.spyOn(console, k).mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' '))),
    );
    const msg2 = paidMsg(login.body.user.id, undefined, 1999);
    expect(await deliver(msg2)).toEqual({ acked: true, retried: false });
    spies.forEach((s) => s.mockRestore());
    expect(lines.some((l) => l.includes('log sink') && l.includes('edgemall_order_paid'))).toBe(true);
    expect(lines.filter((l) => l.includes(phone) || l.includes(phone.slice(-8)))).toEqual([]);
    expect(await logRow(msg2.id)).toMatchObject({ channel: 'log', status: 'sent' });
  });

  it('in the sandbox the WeChat channel is the log sink', async () => {
    const lines: string[] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void lines.push(a.map(String).join(' ')));
    const msg = paidMsg((await wechatUser()).id);
    const r = await deliver(msg);
    spy.mockRestore();
    expect(r).toEqual({ acked: true, retried: false });
    expect(lines.some((l) => l.includes('wechat subscribe message') && l.includes(msg.data.orderNo))).toBe(true);
    expect(await logRow(msg.id)).toMatchObject({ channel: 'log', status: 'sent' });
  });

  it('a shopper without openid or phone is skipped; a malformed message is recorded failed and not retried', async () => {
    const id = `usr_${crypto.randomUUID().replace(/-/g, '').slice(0, 16)}`;
    await env.DB.prepare('INSERT INTO users (id, nickname, created_at) VALUES (?, ?, ?)').bind(id, 'n', Date.now()).run();
    const msg = paidMsg(id);
    expect(await deliver(msg)).toEqual({ acked: true, retried: false });
    expect(await logRow(msg.id)).toMatchObject({ status: 'skipped' });
    const bad = { type: ORDER_PAID_NOTICE, id: 'paid:bad', at: Date.now(), data: { orderId: 'ord_1' } };
    expect(await deliver(bad)).toEqual({ acked: true, retried: false });
    expect(await logRow('paid:bad')).toMatchObject({ status: 'failed', error: expect.stringContaining('invalid payload') });
  });

  it('formats times in Beijing time', () => {
    expect(beijingTime(Date.UTC(2026, 0, 31, 16, 5))).toBe('2026年2月1日 00:05');
  });
});
