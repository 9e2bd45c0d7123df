import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { describe, expect, it, vi } from 'vitest';
import { api, env, shopperToken, staffToken } from '../../test/helpers';
import { placeOrder, sellable, shopperWithAddress } from '../../test/shop';
import { handleQueueBatch } from '../queue';
import type { QueueMessage } from '../shared/events';
import { runScheduled } from '../scheduled';
import { getDb } from '../shared/db';
import { createLogger } from '../shared/log';
import type { Ctx } from '../shared/context';
import type { Env } from '../shared/env';
import { commissionFor } from '../domains/merchants/settlement.service';
import { afterSaleWindowMs, orderSettledStatements, ordersDueForSettlement } from '../domains/orders/settlement-queries';
import { settleOrder } from './settlement';
import { SettlementDue } from '../domains/orders/events';
const SETTLEMENT_DUE_EVENT = SettlementDue.type;

const DAY = 24 * 3600_000;

async function merchant(commissionBps: number) {
  const id = `mch_${crypto.randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await env.DB.prepare("INSERT INTO merchants (id, name, status, commission_bps, created_at) VALUES (?, ?, 'active', ?, ?)")
    .bind(id, `商家${id.slice(-4)}`, commissionBps, Date.now())
    .run();
  return id;
}

let ops: string | undefined;
/** An order of `merchantId` taken through pay → ship → confirm receipt: status completed, unsettled. */
async function completedOrder(merchantId: string, price = 4990) {
  ops ??= await staffToken('operator');
  const { skuId } = await sellable(price, 10, { merchantId });
  const shopper = await shopperWithAddress();
  const placed = await placeOrder(shopper.token, shopper.addressId, skuId, 1);
  expect(placed.status).toBe(201);
  const orderId = placed.body.orders[0].id as string;
  await api('POST', `/store/v1/orders/${orderId}/pay`, { token: shopper.token });
  expect((await api('POST', `/sandbox/wechatpay/transactions/${placed.body.checkoutId}/pay`)).body.notification.status).toBe(204);
  expect(
    (await api('POST', `/admin/v1/orders/${orderId}/ship`, { token: ops, body: { carrierCode: 'SF', trackingNo: `SF${Date.now()}` } }))
      .status,
  ).toBe(200);
  expect((await api('POST', `/store/v1/orders/${orderId}/confirm-receipt`, { token: shopper.token })).body.status).toBe('completed');
  return orderId;
}

/** Moves the order's completion `days` into the past (the clock the window is measured from). */
const completedDaysAgo = (orderId: string, days: number) =>
  env.DB.prepare('UPDATE orders SET completed_at = ? WHERE id = ?')
    .bind(Date.now() - days * DAY, orderId)
    .run();

const order = (orderId: string) =>
  env.DB.prepare('SELECT paid_total, refunded_total, settled_at, merchant_id FROM orders WHERE id = ?')
    .bind(orderId)
    .first<{ paid_total: number; refunded_total: number; settled_at: number | null; merchant_id: string }>();

const ledgerOf = async (orderId: string) =>
  (
    await env.DB.prepare('SELECT merchant_id, type, amount FROM merchant_ledger WHERE order_id = ? ORDER BY type')
      .bind(orderId)
      .all<{ merchant_id: string; type: string; amount: number }>()
  ).results;

const settleMsg = (orderId: string): QueueMessage => ({
  type: SETTLEMENT_DUE_EVENT,
  id: `settle:${orderId}`,
  at: Date.now(),
  data: { orderId },
});

let seq = 0;
async function deliver(body: unknown, attempts = 1) {
  const id = `s${++seq}`;
  const batch = createMessageBatch('edgemall-settlement', [{ id, timestamp: new Date(), attempts, body }]);
  const ec = createExecutionContext();
  await handleQueueBatch(batch, env, ec);
  const r = await getQueueResult(batch, ec);
  return { acked: r.explicitAcks.includes(id), retried: r.retryMessages.some((m: { msgId: string }) => m.msgId === id) };
}

function systemCtx(over: Partial<Env> = {}, now = Date.now()): Ctx {
  return {
    db: getDb(env.DB),
    env: { ...env, ...over } as Env,
    actor: { kind: 'system', name: 'test' },
    now,
    requestId: 't',
    log: createLogger(),
  };
}

describe('commission rounding', () => {
  it('is sale × bps / 10000 rounded half up to whole fen', () => {
    expect(commissionFor(4990, 250)).toBe(125); // 124.75
    expect(commissionFor(1010, 50)).toBe(5); // 5.05
    expect(commissionFor(999, 5)).toBe(0); // 0.4995
    expect(commissionFor(1000, 5)).toBe(1); // 0.5 → up
    expect(commissionFor(5, 5000)).toBe(3); // 2.5 → up (not to even)
    expect(commissionFor(0, 500)).toBe(0);
    expect(commissionFor(123_456_789, 10_000)).toBe(123_456_789);
    expect(() => commissionFor(10.5, 5)).toThrow(RangeError);
    expect(() => commissionFor(100, 10_001)).toThrow(RangeError);
  });
});

describe('merchant settlement', () => {
  it('the cron queues due orders; settling credits sale − commission once even when delivered twice', async () => {
    const mch = await merchant(5); // 0.05%
    const orderId = await completedOrder(mch);
    await completedDaysAgo(orderId, 16);
    // a partial refund before settlement: the merchant is credited what was kept, 1000 fen
    const before = (await order(orderId))!;
    await env.DB.prepare('UPDATE orders SET refunded_total = ? WHERE id = ?')
      .bind(before.paid_total - 1000, orderId)
      .run();

    // the cron (the real scheduled entry point) queues it, message id settle:<orderId>
    const sent: QueueMessage[] = [];
    const spyEnv = {
      ...env,
      SETTLEMENT: { send: vi.fn(), sendBatch: vi.fn(async (ms: { body: QueueMessage }[]) => void sent.push(...ms.map((m) => m.body))) },
    } as unknown as Env;
    await runScheduled(Date.now(), spyEnv);
    const mine = sent.filter((m) => (m.data as { orderId: string }).orderId === orderId);
    expect(mine).toEqual([{ type: SETTLEMENT_DUE_EVENT, id: `settle:${orderId}`, at: expect.any(Number), data: { orderId } }]);

    expect(await deliver(mine[0])).toEqual({ acked: true, retried: false });
    expect(await deliver(mine[0], 2)).toEqual({ acked: true, retried: false }); // redelivery
    const [a, b] = await Promise.all([deliver(mine[0], 3), deliver(mine[0], 3)]); // and concurrent copies
    expect([a, b]).toEqual([
      { acked: true, retried: false },
      { acked: true, retried: false },
    ]);
    // 1000 × 5 / 10000 = 0.5 fen → 1 fen commission (half up)
    expect(await ledgerOf(orderId)).toEqual([
      { merchant_id: mch, type: 'commission', amount: -1 },
      { merchant_id: mch, type: 'sale', amount: 1000 },
    ]);
    expect((await order(orderId))!.settled_at).toEqual(expect.any(Number));
    // settled orders are no longer due
    expect((await ordersDueForSettlement(systemCtx())).map((o) => o.id)).not.toContain(orderId);
  });

  it('skips orders still inside the after-sales window (15 days by default, AFTERSALE_WINDOW_DAYS overrides)', async () => {
    const mch = await merchant(300);
    const orderId = await completedOrder(mch);
    await completedDaysAgo(orderId, 14);
    expect((await ordersDueForSettlement(systemCtx())).map((o) => o.id)).not.toContain(orderId);
    // a message for it anyway (e.g. an old one) changes nothing and is not retried
    expect(await deliver(settleMsg(orderId))).toEqual({ acked: true, retried: false });
    expect(await ledgerOf(orderId)).toEqual([]);
    expect((await order(orderId))!.settled_at).toBeNull();
    expect(await settleOrder(systemCtx(), orderId)).toBe('not_due');

    // with a 10-day window the same order is due and settles at 3%
    const short = systemCtx({ AFTERSALE_WINDOW_DAYS: '10' });
    expect(afterSaleWindowMs(short.env)).toBe(10 * DAY);
    expect((await ordersDueForSettlement(short)).map((o) => o.id)).toContain(orderId);
    expect(await settleOrder(short, orderId)).toBe('settled');
    const paid = (await order(orderId))!.paid_total;
    expect(await ledgerOf(orderId)).toEqual([
      { merchant_id: mch, type: 'commission', amount: -commissionFor(paid, 300) },
      { merchant_id: mch, type: 'sale', amount: paid },
    ]);
    expect(await settleOrder(short, orderId)).toBe('already_settled');
    // nonsense in the env falls back to 15 days
    expect(afterSaleWindowMs({ AFTERSALE_WINDOW_DAYS: 'soon' })).toBe(15 * DAY);
  });

  it('does not settle unfinished orders, and a refund landing mid-settlement aborts the batch', async () => {
    const mch = await merchant(100);
    const orderId = await completedOrder(mch);
    await completedDaysAgo(orderId, 20);
    const o = (await order(orderId))!;
    // the totals read before a refund landed no longer match: the guard fails the whole batch
    await env.DB.prepare('UPDATE orders SET refunded_total = 100 WHERE id = ?').bind(orderId).run();
    const ctx = systemCtx();
    await expect(
      ctx.env.DB.batch(orderSettledStatements(ctx, { id: orderId, paidTotal: o.paid_total, refundedTotal: o.refunded_total })),
    ).rejects.toThrow();
    expect((await order(orderId))!.settled_at).toBeNull();
    // settleOrder reads fresh totals and credits what was kept
    expect(await settleOrder(ctx, orderId)).toBe('settled');
    expect((await ledgerOf(orderId)).find((e) => e.type === 'sale')!.amount).toBe(o.paid_total - 100);

    const { skuId } = await sellable(1000, 5, { merchantId: mch });
    const s = await shopperWithAddress();
    const unpaid = (await placeOrder(s.token, s.addressId, skuId, 1)).body.orders[0].id as string;
    expect(await settleOrder(ctx, unpaid)).toBe('not_completed');
    expect(await deliver(settleMsg('ord_doesnotexist'))).toEqual({ acked: true, retried: false });
  });
});

describe('settlement waits for after-sales', () => {
  it('an after-sale still open when the window closes holds the settlement until it is finished', async () => {
    const m = await merchant(500);
    const orderId = await completedOrder(m);
    const shopper = (await env.DB.prepare('SELECT user_id FROM orders WHERE id = ?').bind(orderId).first<{ user_id: string }>())!.user_id;
    const line = (await env.DB.prepare('SELECT id FROM order_lines WHERE order_id = ?').bind(orderId).first<{ id: string }>())!.id;
    // filed on the last day of the window, as the shopper who owns the order
    await env.DB.prepare(
      "INSERT INTO aftersales (id, order_id, user_id, merchant_id, type, status, reason, refund_amount, created_at, updated_at) VALUES ('afs_settletest01', ?, ?, ?, 'return_refund', 'requested', '质量问题', 100, ?, ?)",
    )
      .bind(orderId, shopper, m, Date.now(), Date.now())
      .run();
    await env.DB.prepare(
      "INSERT INTO aftersale_lines (id, aftersale_id, order_line_id, quantity, amount) VALUES ('asl_settletest01', 'afs_settletest01', ?, 1, 100)",
    )
      .bind(line)
      .run();
    await completedDaysAgo(orderId, 16);
    expect(await settleOrder(systemCtx(), orderId)).toBe('aftersale_open');
    expect((await order(orderId))!.settled_at).toBeNull();
    await env.DB.prepare("UPDATE aftersales SET status = 'rejected' WHERE id = 'afs_settletest01'").run();
    expect(await settleOrder(systemCtx(), orderId)).toBe('settled');
  });
});

describe('getMerchantLedger', () => {
  it('lists entries newest first with the balance; merchants see only their own ledger', async () => {
    const mine = await merchant(250);
    const other = await merchant(250);
    const o1 = await completedOrder(mine, 4990);
    const o2 = await completedOrder(mine, 2990);
    const o3 = await completedOrder(other, 1990);
    for (const o of [o1, o2, o3]) await completedDaysAgo(o, 16);
    expect(await settleOrder(systemCtx({}, Date.now() - 1000), o1)).toBe('settled'); // o1 settled first
    expect(await settleOrder(systemCtx(), o2)).toBe('settled');
    expect(await settleOrder(systemCtx(), o3)).toBe('settled');
    const p1 = (await order(o1))!.paid_total;
    const p2 = (await order(o2))!.paid_total;
    const balance = p1 - commissionFor(p1, 250) + p2 - commissionFor(p2, 250);

    const mchStaff = await staffToken('merchant', mine);
    const own = await api('GET', `/admin/v1/merchants/${mine}/ledger`, { token: mchStaff });
    expect(own.status).toBe(200);
    expect(own.body.merchantId).toBe(mine);
    expect(own.body.balance).toBe(balance);
    expect(own.body.items.map((e: any) => e.orderId)).toEqual([o2, o2, o1, o1]);
    expect(own.body.items.reduce((a: number, e: any) => a + e.amount, 0)).toBe(balance);
    expect(own.body.items[0]).toMatchObject({
      id: expect.any(String),
      type: expect.stringMatching(/^(sale|commission)$/),
      createdAt: expect.stringMatching(/Z$/),
    });

    // keyset pages walk the same entries
    const page1 = await api('GET', `/admin/v1/merchants/${mine}/ledger?limit=3`, { token: mchStaff });
    const page2 = await api('GET', `/admin/v1/merchants/${mine}/ledger?limit=3&cursor=${page1.body.nextCursor}`, { token: mchStaff });
    expect([...page1.body.items, ...page2.body.items].map((e: any) => e.id)).toEqual(own.body.items.map((e: any) => e.id));
    expect(page2.body.nextCursor).toBeNull();

    // another merchant's ledger is "not found" to a merchant; platform staff read any
    const foreign = await api('GET', `/admin/v1/merchants/${other}/ledger`, { token: mchStaff });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error.code).toBe('merchants.not_found');
    expect(JSON.stringify(foreign.body)).not.toContain(o3);
    const admin = await api('GET', `/admin/v1/merchants/${other}/ledger`, { token: await staffToken('admin') });
    expect(admin.status).toBe(200);
    expect(admin.body.items.map((e: any) => e.orderId)).toEqual([o3, o3]);
    expect((await api('GET', '/admin/v1/merchants/mch_nosuchmerchant/ledger', { token: await staffToken('operator') })).status).toBe(404);
    // shoppers and anonymous callers get nothing
    expect(
      (await api('GET', `/admin/v1/merchants/${mine}/ledger`, { token: await shopperToken('ledger-peeker') })).status,
    ).toBeGreaterThanOrEqual(401);
    expect((await api('GET', `/admin/v1/merchants/${mine}/ledger`)).status).toBe(401);
  });
});
