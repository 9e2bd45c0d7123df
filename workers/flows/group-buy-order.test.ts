import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, env, staffToken } from '../../test/helpers';
import { sellable, shopperWithAddress } from '../../test/shop';
import { handleQueueBatch } from '../queue';
import { skuStockStub } from '../../durable-objects/sku-stock';
import type { GroupBuyBook } from '../../durable-objects/group-buy-book';
import { skusWithAlarms } from '../../test/sku-stock';

// DO alarms are not reset between tests: the ones these SKUs' objects scheduled are deleted after the file
const usedSkus = skusWithAlarms();

const MIN = 60_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const key = () => `k-${crypto.randomUUID()}`;

async function deal(over: Record<string, unknown> = {}) {
  const s = await sellable(5000, 50);
  usedSkus.add(s.skuId);
  const r = await api('POST', '/admin/v1/group-buys', {
    token: s.admin,
    body: {
      skuId: s.skuId,
      groupPrice: 2990,
      leaderPrice: 2490,
      groupSize: 3,
      allocated: 20,
      startsAt: at(-MIN),
      endsAt: at(60 * MIN),
      ...over,
    },
  });
  expect(r.status).toBe(201);
  return { ...s, deal: r.body };
}

const open = (token: string, dealId: string, k = key()) =>
  api('POST', `/store/v1/group-buys/${dealId}/teams`, { token, headers: { 'idempotency-key': k } });
const join = (token: string, teamId: string, k = key()) =>
  api('POST', `/store/v1/group-buy-teams/${teamId}/join`, { token, body: {}, headers: { 'idempotency-key': k } });
const pay = async (token: string, order: { orderId: string; checkoutId: string }) => {
  expect((await api('POST', `/store/v1/orders/${order.orderId}/pay`, { token })).status).toBe(200);
  expect((await api('POST', `/sandbox/wechatpay/transactions/${order.checkoutId}/pay`)).status).toBe(200);
};
const order = async (id: string) =>
  (await env.DB.prepare('SELECT status, fulfilment_hold, refunded_total, paid_total FROM orders WHERE id = ?').bind(id).first<any>())!;

async function deliver(type: string, id: string, data: unknown) {
  const batch = createMessageBatch('edgemall-settlement', [
    { id: `m-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: { type, id, at: Date.now(), data } },
  ]);
  const ec = createExecutionContext();
  await handleQueueBatch(batch, env, ec);
  return getQueueResult(batch, ec);
}

describe('group buy (拼团) end to end', () => {
  it('leader opens and pays, two join and pay, the team succeeds and only then do the orders ship', async () => {
    const { deal: d } = await deal();
    const leader = await shopperWithAddress();
    const opened = await open(leader.token, d.id);
    expect(opened.status).toBe(201);
    expect(opened.body).toMatchObject({ role: 'leader', team: { status: 'forming', size: 3 }, order: { status: 'pending_payment' } });
    const detail = (await api('GET', `/store/v1/orders/${opened.body.order.orderId}`, { token: leader.token })).body;
    expect(detail.lines[0]).toMatchObject({ unitPrice: 5000, payable: 2490 });
    expect(detail.discounts[0]).toMatchObject({ source: 'group_buy', sourceId: d.id, label: '3人团 团长价', amount: 2510 });
    const teamId = opened.body.team.id;

    const early = await shopperWithAddress();
    const refused = await join(early.token, teamId);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('group_buys.team_not_open');

    await pay(leader.token, opened.body.order);
    // the order names its deal and team, and says it waits for the team (待成团), in detail and in the list
    const leaderOrder = (await api('GET', `/store/v1/orders/${opened.body.order.orderId}`, { token: leader.token })).body;
    expect(leaderOrder).toMatchObject({ status: 'paid', promo: { type: 'group_buy', id: d.id, teamId }, awaitingGroup: true });
    const listed = (await api('GET', '/store/v1/orders', { token: leader.token })).body.items;
    expect(listed).toMatchObject([{ id: opened.body.order.orderId, promo: { type: 'group_buy', teamId }, awaitingGroup: true }]);
    // no refund request while the team forms (a failed team refunds everyone by itself)
    const refundWhileForming = await api('POST', `/store/v1/orders/${opened.body.order.orderId}/after-sales`, {
      token: leader.token,
      body: { type: 'refund_only', reason: '不想要了', lines: [{ orderLineId: leaderOrder.lines[0].id, quantity: 1 }] },
    });
    expect(refundWhileForming.status).toBe(409);
    expect(refundWhileForming.body.error.code).toBe('aftersales.awaiting_group');
    const view = (await api('GET', `/store/v1/group-buy-teams/${teamId}`)).body;
    expect(view).toMatchObject({
      status: 'open',
      paidCount: 1,
      seatsLeft: 2,
      shareCard: { path: `/pages/team/index?id=${teamId}`, progress: '还差2人成团' },
    });
    expect(view.shareCard.title).toContain('【还差2人】¥29.90');
    const ops = await staffToken('operator');
    const tooSoon = await api('POST', `/admin/v1/orders/${opened.body.order.orderId}/ship`, {
      token: ops,
      body: { carrierCode: 'SF', trackingNo: 'SF7770000001' },
    });
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.error.code).toBe('orders.awaiting_group');

    const m1 = await shopperWithAddress();
    const m2 = await shopperWithAddress();
    const j1 = await join(m1.token, teamId);
    expect(j1.status).toBe(201);
    expect((await join(m1.token, teamId)).body.error.code).toBe('group_buys.already_in_team');
    expect((await join(leader.token, teamId)).body.error.code).toBe('group_buys.already_in_team');
    const j2 = await join(m2.token, teamId);
    expect(j2.status).toBe(201);
    expect((await api('GET', `/store/v1/orders/${j2.body.order.orderId}`, { token: m2.token })).body.lines[0].payable).toBe(2990);
    await pay(m1.token, j1.body.order);
    expect((await order(opened.body.order.orderId)).fulfilment_hold).toBe('group_forming');
    await pay(m2.token, j2.body.order);

    const done = (await api('GET', `/store/v1/group-buy-teams/${teamId}`, { token: m2.token })).body;
    expect(done).toMatchObject({ status: 'succeeded', paidCount: 3, seatsLeft: 0, shareCard: { progress: '已成团' } });
    expect(done.members.map((m: any) => [m.role, m.paid, m.you])).toEqual([
      ['leader', true, false],
      ['member', true, false],
      ['member', true, true],
    ]);
    for (const o of [opened.body.order, j1.body.order, j2.body.order])
      expect(await order(o.orderId)).toMatchObject({ status: 'paid', fulfilment_hold: null });
    expect((await api('GET', `/store/v1/orders/${opened.body.order.orderId}`, { token: leader.token })).body).toMatchObject({
      promo: { teamId },
      awaitingGroup: false,
    });
    const timeline = (await api('GET', `/store/v1/orders/${opened.body.order.orderId}`, { token: leader.token })).body.timeline.map(
      (e: any) => e.type,
    );
    expect(timeline).toEqual(['created', 'paid', 'group_formed']);
    // the DO's outbox reports the same success: handling it again changes nothing
    await deliver('group_buys.team_succeeded', `gbok:${teamId}`, { teamId, dealId: d.id, seats: [] });
    const again = (await api('GET', `/store/v1/orders/${opened.body.order.orderId}`, { token: leader.token })).body.timeline.map(
      (e: any) => e.type,
    );
    expect(again).toEqual(['created', 'paid', 'group_formed']);
    // once the team has formed, the member may ask for a refund like any paid order
    const refundAfter = await api('POST', `/store/v1/orders/${j1.body.order.orderId}/after-sales`, {
      token: m1.token,
      body: {
        type: 'refund_only',
        reason: '不想要了',
        lines: [
          {
            orderLineId: (await api('GET', `/store/v1/orders/${j1.body.order.orderId}`, { token: m1.token })).body.lines[0].id,
            quantity: 1,
          },
        ],
      },
    });
    expect(refundAfter.status).toBe(201);
    expect(
      (
        await api('POST', `/admin/v1/orders/${opened.body.order.orderId}/ship`, {
          token: ops,
          body: { carrierCode: 'SF', trackingNo: 'SF7770000001' },
        })
      ).status,
    ).toBe(200);
  });

  it('30 shoppers racing for the 2 free seats of a 3-seat team: exactly 2 get one', async () => {
    const { deal: d, skuId } = await deal({ leaderPrice: undefined });
    const leader = await shopperWithAddress();
    const opened = await open(leader.token, d.id);
    await pay(leader.token, opened.body.order);
    const racers = await Promise.all([...Array(30).keys()].map(() => shopperWithAddress()));
    const results = await Promise.all(racers.map((r) => join(r.token, opened.body.team.id)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'group_buys.team_full')).toBe(true);
    expect(await skuStockStub(env, skuId).groupBuySnapshot(d.id)).toMatchObject({ held: 3, paid: 1, remaining: 17 });
    const n = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE team_id = ?').bind(opened.body.team.id).first<{ n: number }>();
    expect(n!.n).toBe(3);
  });

  it('cancelling an unpaid seat frees it for someone else; a retry returns the same seat and order', async () => {
    const { deal: d, skuId } = await deal({ groupSize: 2 });
    const leader = await shopperWithAddress();
    const opened = await open(leader.token, d.id);
    await pay(leader.token, opened.body.order);
    const a = await shopperWithAddress();
    const k = key();
    const ja = await join(a.token, opened.body.team.id, k);
    const replay = await join(a.token, opened.body.team.id, k);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ seatId: ja.body.seatId, order: { orderId: ja.body.order.orderId } });
    const b = await shopperWithAddress();
    expect((await join(b.token, opened.body.team.id)).body.error.code).toBe('group_buys.team_full');
    expect((await api('POST', `/store/v1/orders/${ja.body.order.orderId}/cancel`, { token: a.token, body: {} })).status).toBe(200);
    expect(await skuStockStub(env, skuId).groupBuySnapshot(d.id)).toMatchObject({ held: 1 });
    expect((await join(b.token, opened.body.team.id)).status).toBe(201);
  });

  it('a team that runs out of time fails and every paid member is refunded once, even when told twice', async () => {
    const { deal: d, skuId } = await deal();
    const leader = await shopperWithAddress();
    const opened = await open(leader.token, d.id);
    await pay(leader.token, opened.body.order);
    const m = await shopperWithAddress();
    const jm = await join(m.token, opened.body.team.id);
    await pay(m.token, jm.body.order);
    const teamId = opened.body.team.id;
    // the team's time limit passes: run the DO's due work at that time and collect its outbox
    const rows = await runInDurableObject(skuStockStub(env, skuId) as unknown as DurableObjectStub, (inst) => {
      const book = (inst as unknown as { groupBuys: GroupBuyBook }).groupBuys;
      book.runDue(Date.now() + 25 * 60 * MIN);
      book.runDue(Date.now() + 25 * 60 * MIN); // an alarm that fires twice
      return book.pendingOutbox();
    });
    const failed = rows.filter((r) => r.data.teamId === teamId);
    expect(failed.map((r) => r.type)).toEqual(['group_buys.team_failed']);
    expect(failed[0]!.data.seats).toHaveLength(2);
    // the queue delivers at least once: deliver it twice
    for (let i = 0; i < 2; i++) expect((await deliver(failed[0]!.type, failed[0]!.id, failed[0]!.data)).explicitAcks).toHaveLength(1);
    for (const o of [opened.body.order, jm.body.order]) {
      const row = await order(o.orderId);
      expect(row.status).toBe('closed');
      expect(row.refunded_total).toBe(row.paid_total);
    }
    const refunds = await env.DB.prepare('SELECT id, amount FROM refunds WHERE order_id IN (?, ?)')
      .bind(opened.body.order.orderId, jm.body.order.orderId)
      .all<{ id: string; amount: number }>();
    expect(refunds.results.map((r) => r.id).sort()).toEqual(
      [`rfg_${opened.body.order.orderId.slice(4)}`, `rfg_${jm.body.order.orderId.slice(4)}`].sort(),
    );
    const view = (await api('GET', `/store/v1/group-buy-teams/${teamId}`)).body;
    expect(view.status).toBe('failed');
    expect(view.shareCard.progress).toBe('拼团失败，已退款');
  });

  it('createGroupBuy is for staff with promotions.write and validates prices and size', async () => {
    const { admin, skuId } = await sellable(5000, 10);
    const body = { skuId, groupPrice: 2990, groupSize: 3, allocated: 5, startsAt: at(-MIN), endsAt: at(60 * MIN) };
    const shopper = await shopperWithAddress();
    expect((await api('POST', '/admin/v1/group-buys', { token: shopper.token, body })).status).toBe(403);
    expect((await api('POST', '/admin/v1/group-buys', { token: admin, body: { ...body, groupSize: 11 } })).status).toBe(400);
    expect((await api('POST', '/admin/v1/group-buys', { token: admin, body: { ...body, leaderPrice: 3000 } })).status).toBe(400);
    expect((await api('POST', '/admin/v1/group-buys', { token: admin, body: { ...body, allocated: 11 } })).body.error.code).toBe(
      'group_buys.insufficient_stock',
    );
    const ok = await api('POST', '/admin/v1/group-buys', { token: admin, body });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ autoFill: false, remaining: 5, timeLimitMinutes: 1440, state: 'live' });
    usedSkus.add(skuId);
    const list = await api('GET', '/store/v1/group-buys');
    expect(list.body.items.some((i: any) => i.id === ok.body.id)).toBe(true);
  });
});
