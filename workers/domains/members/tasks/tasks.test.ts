import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, staffToken } from '../../../../test/helpers';
import { systemCtx } from '../../../../test/ctx';
import { sellable } from '../../../../test/shop';
import { shanghaiDay } from '../../../shared/calendar';
import type { Ctx } from '../../../shared/context';
import { afterOrderFinal } from '../../../flows/order-final';
import { makeupCardBalance } from '../checkin/cards';
import { CLIENT_EVENTS_PER_DAY, recordTaskEvent } from './events.service';
import { claimTaskReward, listMyTasks } from './tasks.service';

const DAY = 86_400_000;
let admin: string;
let productA: string;
let productB: string;
beforeAll(async () => {
  admin = await adminToken();
  productA = (await sellable(1990)).productId;
  productB = (await sellable(2990)).productId;
});

async function shopper() {
  const r = await api('POST', '/store/v1/auth/wx-login', { body: { code: `tsk-${crypto.randomUUID().slice(0, 8)}` } });
  return { token: r.body.accessToken as string, userId: r.body.user.id as string };
}
const as = (userId: string, now = Date.now()): Ctx => ({ ...systemCtx(now), actor: { kind: 'user', userId, sessionId: 'test' } });
const createTask = (body: Record<string, unknown>, token = admin) => api('POST', '/admin/v1/tasks', { token, body });
async function task(body: Record<string, unknown>) {
  const r = await createTask({ enabled: true, ...body });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string };
}
const report = (token: string, body: unknown) => api('POST', '/store/v1/me/task-events', { token, body });
const claim = (token: string, taskId: string) => api('POST', `/store/v1/me/tasks/${taskId}/claim`, { token });
const mine = async (token: string, taskId: string) =>
  (await api('GET', '/store/v1/me/tasks', { token })).body.items.find((t: any) => t.id === taskId);

describe('task configuration (staff)', () => {
  it('creates and changes tasks; refuses bad combinations and coupon templates not open to the task channel', async () => {
    const t = await createTask({
      title: '浏览商品',
      kind: 'browse_product',
      period: 'daily',
      targetCount: 2,
      browseSeconds: 10,
      reward: { kind: 'points', points: 10 },
    });
    expect(t.status).toBe(201);
    expect(t.body).toMatchObject({
      kind: 'browse_product',
      period: 'daily',
      browseSeconds: 10,
      enabled: true,
      reward: { kind: 'points', points: 10, text: '10积分' },
    });
    const off = await api('PATCH', `/admin/v1/tasks/${t.body.id}`, {
      token: admin,
      body: { enabled: false, reward: { kind: 'makeup_cards', cards: 1 } },
    });
    expect(off.body).toMatchObject({ enabled: false, reward: { kind: 'makeup_cards', cards: 1, points: null, text: '补签卡×1' } });
    const list = await api('GET', '/admin/v1/tasks', { token: await staffToken('support') });
    expect(list.status).toBe(200);
    expect(list.body.items.find((x: any) => x.id === t.body.id)).toMatchObject({ enabled: false, claimedTotal: 0 });

    const invalid = async (body: Record<string, unknown>, path: string) => {
      const r = await createTask({
        title: 'x',
        kind: 'share_product',
        period: 'daily',
        targetCount: 1,
        reward: { kind: 'points', points: 1 },
        ...body,
      });
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.details.issues?.map((i: any) => i.path) ?? [r.body.error.details.path]).toContain(path);
    };
    await invalid({ kind: 'first_order' }, 'period');
    await invalid({ browseSeconds: 10 }, 'browseSeconds');
    await invalid({ reward: { kind: 'points' } }, 'reward.points');
    await invalid({ reward: { kind: 'points', points: 5, cards: 1 } }, 'reward.cards');
    await invalid({ targetCount: 0 }, 'targetCount');
    const tpl = await api('POST', '/admin/v1/coupon-templates', {
      token: admin,
      body: {
        name: '仅领券中心',
        kind: 'amount_off',
        threshold: 0,
        amountOff: 500,
        validDays: 7,
        totalQuantity: 10,
        channels: ['storefront'],
      },
    });
    const wrong = await createTask({
      title: 'x',
      kind: 'share_product',
      period: 'daily',
      targetCount: 1,
      reward: { kind: 'coupon', couponTemplateId: tpl.body.id },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error.code).toBe('members.task_coupon_invalid');
  });

  it('needs members.write to change tasks and members.read to list them', async () => {
    const body = { title: 'x', kind: 'share_product', period: 'daily', targetCount: 1, reward: { kind: 'points', points: 1 } };
    expect((await createTask(body, await staffToken('support'))).status).toBe(403);
    expect((await api('GET', '/admin/v1/tasks', { token: await staffToken('merchant', 'mch_platform') })).status).toBe(403);
    expect((await api('GET', '/admin/v1/tasks')).status).toBe(401);
    expect((await createTask(body, await staffToken('operator'))).status).toBe(201);
  });
});

describe('progress from events', () => {
  it('counts a product browsed long enough once a day, shares once per product, and validates what the page reports', async () => {
    const browse = await task({
      title: '浏览2件商品10秒',
      kind: 'browse_product',
      period: 'daily',
      targetCount: 2,
      browseSeconds: 10,
      reward: { kind: 'points', points: 10 },
    });
    const share = await task({
      title: '分享商品',
      kind: 'share_product',
      period: 'daily',
      targetCount: 1,
      reward: { kind: 'makeup_cards', cards: 1 },
    });
    const s = await shopper();
    expect(await mine(s.token, browse.id)).toMatchObject({ progress: 0, state: 'in_progress', target: 2, browseSeconds: 10 });

    expect((await report(s.token, { kind: 'browse_product', productId: productA, seconds: 4 })).body).toMatchObject({
      duplicate: false,
      seconds: 4,
    });
    expect((await mine(s.token, browse.id)).progress).toBe(0); // too short yet
    expect((await report(s.token, { kind: 'browse_product', productId: productA, seconds: 12 })).body).toMatchObject({
      duplicate: true,
      seconds: 12,
    });
    expect((await report(s.token, { kind: 'browse_product', productId: productA, seconds: 8 })).body.seconds).toBe(12); // the longest stays
    expect((await mine(s.token, browse.id)).progress).toBe(1);
    // the same product again today does not count twice
    await report(s.token, { kind: 'browse_product', productId: productA, seconds: 30 });
    expect((await mine(s.token, browse.id)).progress).toBe(1);
    await report(s.token, { kind: 'browse_product', productId: productB, seconds: 10 });
    expect(await mine(s.token, browse.id)).toMatchObject({ progress: 2, state: 'claimable' });

    expect((await report(s.token, { kind: 'share_product', productId: productB })).status).toBe(200);
    expect((await report(s.token, { kind: 'share_product', productId: productB })).body.duplicate).toBe(true);
    expect(await mine(s.token, share.id)).toMatchObject({ progress: 1, state: 'claimable' });

    const missing = await report(s.token, { kind: 'share_product', productId: 'prd_doesnotexist00' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('catalog.product_not_found');
    expect((await report(s.token, { kind: 'browse_product', productId: productA })).status).toBe(400);
    expect((await report(s.token, { kind: 'share_product', productId: productA, seconds: 3 })).status).toBe(400);
    expect((await report(s.token, { kind: 'write_review', productId: productA })).status).toBe(400); // server-side kinds are not reportable
    expect((await report('', { kind: 'share_product', productId: productA })).status).toBe(401);
    expect((await report(admin, { kind: 'share_product', productId: productA })).status).toBe(403);

    // the next Beijing day starts afresh
    const tomorrow = await listMyTasks(as(s.userId, Date.now() + DAY));
    expect(tomorrow.items.find((t) => t.id === browse.id)).toMatchObject({ progress: 0, state: 'in_progress' });
  });

  it(`caps client events at ${CLIENT_EVENTS_PER_DAY} products a day (429), a longer browse of a counted product still lands`, async () => {
    const s = await shopper();
    const day = shanghaiDay(Date.now());
    await report(s.token, { kind: 'browse_product', productId: productA, seconds: 3 });
    await Promise.all(
      Array.from({ length: CLIENT_EVENTS_PER_DAY - 1 }, (_, i) =>
        recordTaskEvent(as(s.userId), s.userId, 'share_product', `product:fake${i}:${day}`),
      ),
    );
    const over = await report(s.token, { kind: 'share_product', productId: productB });
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe('members.task_events_limited');
    expect((await report(s.token, { kind: 'browse_product', productId: productA, seconds: 20 })).body.seconds).toBe(20);
  });

  it('recordTaskEvent is idempotent per ref; the first-order hook counts a final order once, also when redelivered', async () => {
    const tpl = await api('POST', '/admin/v1/coupon-templates', {
      token: admin,
      body: {
        name: '首单礼 无门槛10元',
        kind: 'amount_off',
        threshold: 0,
        amountOff: 1000,
        validDays: 30,
        totalQuantity: 100,
        channels: ['task'],
      },
    });
    expect(tpl.status).toBe(201);
    const first = await task({
      title: '完成首单',
      kind: 'first_order',
      period: 'once',
      targetCount: 1,
      reward: { kind: 'coupon', couponTemplateId: tpl.body.id },
    });
    const review = await task({
      title: '评价晒单',
      kind: 'write_review',
      period: 'daily',
      targetCount: 1,
      reward: { kind: 'points', points: 5 },
    });
    const s = await shopper();
    const ctx = systemCtx();
    expect(await recordTaskEvent(ctx, s.userId, 'write_review', 'review:rev_1')).toBe(true);
    expect(await recordTaskEvent(ctx, s.userId, 'write_review', 'review:rev_1')).toBe(false);
    expect(await mine(s.token, review.id)).toMatchObject({ progress: 1, state: 'claimable' });

    const final = { orderId: 'ord_tasktest0001', userId: s.userId, merchantId: 'mch_platform', netPaid: 9900, completedAt: Date.now() };
    expect(await mine(s.token, first.id)).toMatchObject({ state: 'in_progress', reward: { kind: 'coupon', text: '无门槛减10元券' } });
    await afterOrderFinal(ctx, final);
    await afterOrderFinal(ctx, final);
    expect(await mine(s.token, first.id)).toMatchObject({ progress: 1, state: 'claimable' });
    const paid = await claim(s.token, first.id);
    expect(paid.status).toBe(201);
    expect(paid.body).toMatchObject({ period: 'once', alreadyClaimed: false, reward: { kind: 'coupon', couponTemplateId: tpl.body.id } });
    const coupons = await api('GET', '/store/v1/me/coupons', { token: s.token });
    expect(coupons.body.items.filter((c: any) => c.id === paid.body.reward.couponId)).toHaveLength(1);
    // a one-off stays claimed on later days
    expect((await listMyTasks(as(s.userId, Date.now() + 3 * DAY))).items.find((t) => t.id === first.id)?.state).toBe('claimed');
  });
});

describe('完善资料', () => {
  it('counts once the profile is complete (own nickname, avatar, birthday, phone), however it got there, and pays once', async () => {
    const t = await task({
      title: '完善资料',
      kind: 'complete_profile',
      period: 'once',
      targetCount: 1,
      reward: { kind: 'points', points: 50 },
    });
    const s = await shopper();
    expect(await mine(s.token, t.id)).toMatchObject({ progress: 0, state: 'in_progress' });
    expect((await claim(s.token, t.id)).body.error.code).toBe('members.task_not_complete');
    // nickname, avatar and birthday but no phone yet: still not complete
    await env.DB.prepare(`UPDATE users SET nickname = '小林', avatar_media_key = 'avatars/x.jpg', birthday = '1995-05-20' WHERE id = ?`)
      .bind(s.userId)
      .run();
    expect(await mine(s.token, t.id)).toMatchObject({ progress: 0, state: 'in_progress' });
    await env.DB.prepare(`UPDATE users SET phone_hash = ? WHERE id = ?`).bind(`h-${s.userId}`, s.userId).run();
    expect(await mine(s.token, t.id)).toMatchObject({ progress: 1, state: 'claimable' });
    const paid = await claim(s.token, t.id);
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect((await claim(s.token, t.id)).body).toMatchObject({ alreadyClaimed: true });
    const n = await env.DB.prepare(`SELECT count(*) AS n FROM points_ledger WHERE user_id = ? AND delta = 50`)
      .bind(s.userId)
      .first<{ n: number }>();
    expect(n!.n).toBe(1);
  });
});

describe('订阅消息', () => {
  it('counts once the shopper allowed a subscribe message (a refusal does not), and pays once', async () => {
    const t = await task({
      title: '订阅消息',
      kind: 'subscribe_messages',
      period: 'once',
      targetCount: 1,
      reward: { kind: 'points', points: 20 },
    });
    const s = await shopper();
    const grant = (result: string) =>
      env.DB.prepare(
        `INSERT INTO subscribe_grants (id, user_id, wx_template_id, result, status, ref, created_at) VALUES (?, ?, 'tpl-x', ?, ?, ?, ?)`,
      )
        .bind(
          `sgr_${crypto.randomUUID().slice(0, 12)}`,
          s.userId,
          result,
          result === 'accept' ? 'available' : 'refused',
          crypto.randomUUID(),
          Date.now(),
        )
        .run();
    await grant('reject');
    expect(await mine(s.token, t.id)).toMatchObject({ progress: 0, state: 'in_progress' });
    await grant('accept');
    expect(await mine(s.token, t.id)).toMatchObject({ progress: 1, state: 'claimable' });
    expect((await claim(s.token, t.id)).status).toBe(201);
    expect((await claim(s.token, t.id)).body).toMatchObject({ alreadyClaimed: true });
  });
});

describe('claimTaskReward', () => {
  it('refuses an unfinished task, pays once, and a repeat answers the first claim', async () => {
    const t = await task({
      title: '分享商品得补签卡',
      kind: 'share_product',
      period: 'daily',
      targetCount: 1,
      reward: { kind: 'makeup_cards', cards: 2 },
    });
    const s = await shopper();
    const early = await claim(s.token, t.id);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'members.task_not_complete', details: { progress: 0, target: 1 } });
    await report(s.token, { kind: 'share_product', productId: productA });
    const first = await claim(s.token, t.id);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      alreadyClaimed: false,
      period: shanghaiDay(Date.now()),
      reward: { kind: 'makeup_cards', cards: 2 },
    });
    const again = await claim(s.token, t.id);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ alreadyClaimed: true, claimedAt: first.body.claimedAt });
    expect(await makeupCardBalance(systemCtx(), s.userId)).toBe(2);
    expect(await mine(s.token, t.id)).toMatchObject({ state: 'claimed', progress: 1 });
    // tomorrow is a new period: progress again, claim again
    const next = as(s.userId, Date.now() + DAY);
    await expect(claimTaskReward(next, t.id)).rejects.toMatchObject({ code: 'members.task_not_complete' });
    expect((await claim(s.token, 'tsk_doesnotexist00')).status).toBe(404);
    expect((await claim('', t.id)).status).toBe(401);
  });

  it('a burst of 20 concurrent claims pays exactly once', async () => {
    const t = await task({
      title: '浏览商品',
      kind: 'browse_product',
      period: 'daily',
      targetCount: 1,
      browseSeconds: 5,
      reward: { kind: 'points', points: 30 },
    });
    const s = await shopper();
    await report(s.token, { kind: 'browse_product', productId: productB, seconds: 6 });
    const burst = await Promise.all(Array.from({ length: 20 }, () => claim(s.token, t.id)));
    expect(burst.filter((r) => r.status === 201)).toHaveLength(1);
    expect(burst.filter((r) => r.status === 200 && r.body.alreadyClaimed)).toHaveLength(19);
    const points = await api('GET', '/store/v1/me/points', { token: s.token });
    expect(points.body.balance).toBe(30);
    expect(points.body.items).toHaveLength(1);
    expect(points.body.items[0]).toMatchObject({ reason: 'task', ref: `task:${s.userId}:${t.id}:${shanghaiDay(Date.now())}` });
    const list = await api('GET', '/admin/v1/tasks', { token: admin });
    expect(list.body.items.find((x: any) => x.id === t.id)).toMatchObject({ claimedToday: 1, claimedTotal: 1 });
  });
});
