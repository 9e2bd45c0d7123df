// 老带新 rewards: only once the invitee's first order is final (past the after-sales window),
// exactly once however often the settlement message comes, blocked by the fraud checks, capped
// per inviter per Beijing day under a burst, clawed back by a refund (never below zero) and by staff.
import { createExecutionContext, createMessageBatch, getQueueResult } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, adminToken, env, shopperToken, staffToken } from '../../test/helpers';
import { placeOrder, sellable } from '../../test/shop';
import { systemCtx } from '../../test/ctx';
import { handleQueueBatch } from '../queue';
import { envelope } from '../shared/events';
import { SettlementDue } from '../domains/orders/events';
import { clawBackReferralOnRefund, rewardReferralOnFinalOrder } from './referral-rewards';

const DAY = 86_400_000;
const uid = () => crypto.randomUUID().slice(0, 8);
let admin: string;
const base = {
  enabled: true,
  inviterReward: { type: 'points', points: 200, perYuan: 0 },
  inviteeReward: { type: 'points', points: 0, perYuan: 1 },
  dailyCap: 10,
  minOrderAmount: 0,
  shareTitle: '{nickname}送你{reward}',
};
const configure = async (over: Record<string, unknown> = {}) => {
  const r = await api('PUT', '/admin/v1/referrals/settings', { token: admin, body: { ...base, ...over } });
  expect(r.status).toBe(200);
};

const referralOf = (token: string) => api('GET', '/store/v1/me/referral', { token });
const addAddress = (token: string, over: Record<string, string> = {}) =>
  api('POST', '/store/v1/addresses', {
    token,
    body: {
      name: '李四',
      phone: `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: `文三路${uid()}号`,
      ...over,
    },
  });

/** An inviter (with a device and an address) and their code. */
async function inviter() {
  const device = `dev-${uid()}`;
  const login = await api('POST', '/store/v1/auth/wx-login', { body: { code: `inviter-${uid()}`, deviceId: device } });
  const token = login.body.accessToken as string;
  await addAddress(token, { phone: '13800138000', detail: '文三路100号5幢302室' });
  const code = (await referralOf(token)).body.code as string;
  return { token, code, device, userId: login.body.user.id as string };
}

/** A new shopper signed in through `code`'s link, with an address of their own. */
async function invitee(code: string, deviceId = `dev-${uid()}`, address: Record<string, string> = {}) {
  const login = await api('POST', '/store/v1/auth/wx-login', { body: { code: `invitee-${uid()}`, inviteCode: code, deviceId } });
  const token = login.body.accessToken as string;
  const a = await addAddress(token, address);
  return { token, userId: login.body.user.id as string, addressId: a.body.id as string };
}

const ledger = (ref: string) =>
  env.DB.prepare('SELECT user_id, delta FROM points_ledger WHERE ref = ?').bind(ref).all<{ user_id: string; delta: number }>();
const points = async (userId: string) =>
  (await env.DB.prepare('SELECT coalesce(sum(delta), 0) AS b FROM points_ledger WHERE user_id = ?').bind(userId).first<{ b: number }>())!.b;

let seq = 0;
async function deliverSettlement(orderId: string) {
  const id = `m${++seq}`;
  const batch = createMessageBatch('edgemall-settlement', [
    { id, timestamp: new Date(), attempts: 1, body: envelope(SettlementDue, { orderId }, `settle:${orderId}`, Date.now()) },
  ]);
  const ec = createExecutionContext();
  await handleQueueBatch(batch, env, ec);
  const r = await getQueueResult(batch, ec);
  expect(r.explicitAcks).toContain(id);
}

beforeAll(async () => {
  admin = await adminToken();
  await configure();
});

describe('reward on the final first order', () => {
  it('waits for the after-sales window, rewards both sides once on redelivery, then a refund claws back what is left', async () => {
    const ops = await staffToken('operator');
    const a = await inviter();
    const b = await invitee(a.code);
    const { skuId } = await sellable(12_345, 5);
    const placed = await placeOrder(b.token, b.addressId, skuId, 1);
    expect(placed.status).toBe(201);
    const orderId = placed.body.orders[0].id as string;
    await api('POST', `/store/v1/orders/${orderId}/pay`, { token: b.token });
    expect((await api('POST', `/sandbox/wechatpay/transactions/${placed.body.checkoutId}/pay`)).body.notification.status).toBe(204);
    expect((await referralOf(a.token)).body.friends[0].status).toBe('ordered'); // 已下单
    await api('POST', `/admin/v1/orders/${orderId}/ship`, { token: ops, body: { carrierCode: 'SF', trackingNo: `SF${Date.now()}` } });
    expect((await api('POST', `/store/v1/orders/${orderId}/confirm-receipt`, { token: b.token })).body.status).toBe('completed');

    // inside the window: the message settles nothing and rewards nothing
    await deliverSettlement(orderId);
    expect((await ledger(`referral:${b.userId}:inviter`)).results).toEqual([]);

    await env.DB.prepare('UPDATE orders SET completed_at = ? WHERE id = ?')
      .bind(Date.now() - 16 * DAY, orderId)
      .run();
    await deliverSettlement(orderId);
    await deliverSettlement(orderId); // redelivered
    await Promise.all([deliverSettlement(orderId), deliverSettlement(orderId)]); // and concurrent copies
    expect((await ledger(`referral:${b.userId}:inviter`)).results).toEqual([{ user_id: a.userId, delta: 200 }]);
    const paid = (await env.DB.prepare('SELECT paid_total FROM orders WHERE id = ?').bind(orderId).first<{ paid_total: number }>())!
      .paid_total;
    const doubled = Math.floor(paid / 100); // 首单积分翻倍: one more point per yuan
    expect((await ledger(`referral:${b.userId}:invitee`)).results).toEqual([{ user_id: b.userId, delta: doubled }]);

    const view = (await referralOf(a.token)).body;
    expect(view.friends[0]).toMatchObject({ status: 'rewarded', reason: null });
    expect(view.rewards[0]).toMatchObject({ side: 'inviter', kind: 'points', amount: 200, label: '邀请奖励 200积分' });
    expect(view.totals).toMatchObject({ invited: 1, rewarded: 1, points: 200 });
    // a second final order of B's grants nothing more
    expect(await rewardReferralOnFinalOrder(systemCtx(), { orderId: 'ord_second', userId: b.userId, netPaid: 9900 })).toBe('decided');

    // the leaderboard counts it
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const board = (await api('GET', `/admin/v1/referrals/leaderboard?from=${today}&to=${today}`, { token: admin })).body;
    expect(board.items.find((i: { inviterId: string }) => i.inviterId === a.userId)).toMatchObject({ rewarded: 1, bound: 1, points: 200 });

    // A spends 150 of the 200; then a refund reaches the order (an admin refund after the window)
    expect((await api('POST', `/admin/v1/users/${a.userId}/points`, { token: admin, body: { delta: -150, reason: '兑换' } })).status).toBe(
      201,
    );
    await env.DB.prepare('UPDATE orders SET refunded_total = paid_total WHERE id = ?').bind(orderId).run();
    const ctx = systemCtx();
    const [first, second] = await Promise.all([clawBackReferralOnRefund(ctx, orderId), clawBackReferralOnRefund(ctx, orderId)]);
    expect([first, second].filter(Boolean)).toHaveLength(1); // once
    expect((await ledger(`referral:${b.userId}:inviter:clawback`)).results).toEqual([{ user_id: a.userId, delta: -50 }]);
    expect(await points(a.userId)).toBe(0); // never below zero
    // B keeps the order's own points (the tiers' final-order hook); only the referral bonus goes
    expect(await points(b.userId)).toBe(doubled);
    const after = (await referralOf(a.token)).body;
    expect(after.friends[0]).toMatchObject({ status: 'invalid', reason: 'refunded' });
    expect(after.rewards[0]).toMatchObject({ clawedBack: 50, shortfall: 150 });
    expect(await clawBackReferralOnRefund(ctx, orderId)).toBe(false);
  });
});

describe('fraud checks', () => {
  it('the same device, phone or delivery address as the inviter blocks the reward; the binding stays', async () => {
    const a = await inviter();
    const ctx = systemCtx();
    const final = (userId: string) => rewardReferralOnFinalOrder(ctx, { orderId: `ord_${uid()}`, userId, netPaid: 5000 });

    const sameDevice = await invitee(a.code, a.device);
    const samePhone = await invitee(a.code, undefined, { phone: '13800138000' });
    const samePlace = await invitee(a.code, undefined, { detail: ' 文三路100号 5幢302室。' });
    const honest = await invitee(a.code);
    // the shared device shows at once
    expect((await referralOf(a.token)).body.friends.find((f: { reason: string }) => f.reason === 'same_device')).toBeTruthy();
    expect(await final(sameDevice.userId)).toBe('decided');
    expect(await final(samePhone.userId)).toBe('blocked');
    expect(await final(samePlace.userId)).toBe('blocked');
    expect(await final(honest.userId)).toBe('rewarded');

    const friends = (await referralOf(a.token)).body.friends as { status: string; reason: string | null; reasonText: string | null }[];
    expect(friends.map((f) => f.reason).sort()).toEqual([null, 'same_address', 'same_device', 'same_phone']);
    expect(friends.find((f) => f.reason === 'same_phone')!.reasonText).toBe('与邀请人手机号相同');
    expect((await ledger(`referral:${samePhone.userId}:inviter`)).results).toEqual([]);
    expect(await points(a.userId)).toBe(200);

    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const report = (await api('GET', `/admin/v1/referrals/fraud-report?from=${today}&to=${today}`, { token: admin })).body;
    const row = report.inviters.find((i: { inviterId: string }) => i.inviterId === a.userId);
    expect(row).toMatchObject({ blocked: 3, reasons: { same_device: 1, same_phone: 1, same_address: 1 } });
    expect(report.byReason.find((r: { reason: string }) => r.reason === 'same_phone').count).toBeGreaterThanOrEqual(1);
    const lookup = (await api('GET', `/admin/v1/referrals?userId=${a.userId}`, { token: admin })).body;
    expect(lookup.inviterCode).toBe(a.code);
    expect(lookup.items).toHaveLength(4);
  });
});

describe('daily cap', () => {
  it('a burst of final orders rewards at most dailyCap invites per inviter per Beijing day', async () => {
    await configure({ dailyCap: 2 });
    try {
      const a = await inviter();
      const friends = await Promise.all(Array.from({ length: 6 }, () => invitee(a.code)));
      const ctx = systemCtx();
      const outcomes = await Promise.all(
        friends.map((f) => rewardReferralOnFinalOrder(ctx, { orderId: `ord_${uid()}`, userId: f.userId, netPaid: 3000 })),
      );
      expect(outcomes.filter((o) => o === 'rewarded')).toHaveLength(2);
      expect(outcomes.filter((o) => o === 'capped')).toHaveLength(4);
      expect(await points(a.userId)).toBe(400);
      const view = (await referralOf(a.token)).body;
      expect(view.totals).toMatchObject({ rewarded: 2, invalid: 4 });
      expect(view.friends.filter((f: { reason: string }) => f.reason === 'daily_cap')).toHaveLength(4);
      // the next Beijing day has room again
      const late = await invitee(a.code);
      expect(
        await rewardReferralOnFinalOrder(systemCtx(Date.now() + DAY), { orderId: `ord_${uid()}`, userId: late.userId, netPaid: 3000 }),
      ).toBe('rewarded');
    } finally {
      await configure();
    }
  });
});

describe('cash and coupon rewards', () => {
  it('credits the balance and issues the coupon; staff revoke takes both back once', async () => {
    const t = await api('POST', '/admin/v1/coupon-templates', {
      token: admin,
      body: { name: '邀请专享 无门槛10元', kind: 'amount_off', amountOff: 1000, validDays: 30, totalQuantity: 100, channels: ['referral'] },
    });
    expect(t.status).toBe(201);
    await configure({
      inviterReward: { type: 'cash', amount: 500 },
      inviteeReward: { type: 'coupon', couponTemplateId: t.body.id },
      minOrderAmount: 2000,
    });
    try {
      const a = await inviter();
      const b = await invitee(a.code);
      const ctx = systemCtx();
      // below the minimum first order: nothing yet, the referral stays open
      expect(await rewardReferralOnFinalOrder(ctx, { orderId: `ord_${uid()}`, userId: b.userId, netPaid: 1999 })).toBe('below_minimum');
      expect(await rewardReferralOnFinalOrder(ctx, { orderId: `ord_${uid()}`, userId: b.userId, netPaid: 2000 })).toBe('rewarded');
      const wallet = await env.DB.prepare('SELECT user_id, delta FROM wallet_ledger WHERE ref = ?')
        .bind(`referral:${b.userId}:inviter`)
        .all();
      expect(wallet.results).toEqual([{ user_id: a.userId, delta: 500 }]);
      const coupons = (await api('GET', '/store/v1/me/coupons?status=available', { token: b.token })).body.items as {
        templateId: string;
      }[];
      expect(coupons.filter((c) => c.templateId === t.body.id)).toHaveLength(1);
      expect((await referralOf(b.token)).body.rewards[0]).toMatchObject({
        side: 'invitee',
        kind: 'coupon',
        amount: 1000,
        label: '新人首单奖励 优惠券「邀请专享 无门槛10元」',
      });

      const ref = (await api('GET', `/admin/v1/referrals?userId=${b.userId}`, { token: admin })).body.items[0];
      const revoke = () => api('POST', `/admin/v1/referrals/${ref.id}/revoke`, { token: admin, body: { note: '核实为同一人' } });
      const r1 = await revoke();
      expect(r1.status).toBe(200);
      expect(r1.body.items[0]).toMatchObject({ status: 'invalid', reason: 'revoked', clawbackNote: '核实为同一人' });
      expect((await revoke()).body.error.code).toBe('members.referral_not_rewarded');
      const balance = await env.DB.prepare('SELECT coalesce(sum(delta), 0) AS b FROM wallet_ledger WHERE user_id = ?')
        .bind(a.userId)
        .first<{ b: number }>();
      expect(balance!.b).toBe(0);
      const left = (await api('GET', '/store/v1/me/coupons?status=available', { token: b.token })).body.items as { templateId: string }[];
      expect(left.filter((c) => c.templateId === t.body.id)).toHaveLength(0);
    } finally {
      await configure();
    }
  });
});
