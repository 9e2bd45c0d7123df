import { createExecutionContext, createMessageBatch, getQueueResult, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { api, env } from '../../../test/helpers';
import { sellable, shopperWithAddress } from '../../../test/shop';
import { systemCtx } from '../../../test/ctx';
import { handleQueueBatch } from '../../queue';
import { skuStockStub } from '../../../durable-objects/sku-stock';
import { GroupBuyBook, type OutboxRow } from '../../../durable-objects/group-buy-book';
import { groupBuyDeals } from './schema';
import { windUpGroupBuy, windUpGroupBuys } from './wind-up';
import { skusWithAlarms } from '../../../test/sku-stock';

// DO alarms are not reset between tests: the ones these SKUs' objects scheduled are deleted after the file
const usedSkus = skusWithAlarms();

const MIN = 60_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const key = () => `k-${crypto.randomUUID()}`;
const skuStock = async (skuId: string) =>
  (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;
const dealRow = (id: string) =>
  env.DB.prepare('SELECT returned_units, returned_at FROM group_buy_deals WHERE id = ?')
    .bind(id)
    .first<{ returned_units: number | null; returned_at: number | null }>();
const returnLedger = async (dealId: string) =>
  (await env.DB.prepare('SELECT delta FROM stock_ledger WHERE ref = ?').bind(`gb-ret:${dealId}`).all<{ delta: number }>()).results;
const order = async (id: string) =>
  (await env.DB.prepare('SELECT status, refunded_total, paid_total FROM orders WHERE id = ?').bind(id).first<any>())!;

const open = (token: string, dealId: string) =>
  api('POST', `/store/v1/group-buys/${dealId}/teams`, { token, headers: { 'idempotency-key': key() } });
const join = (token: string, teamId: string) =>
  api('POST', `/store/v1/group-buy-teams/${teamId}/join`, { token, body: {}, headers: { 'idempotency-key': key() } });
async function pay(token: string, o: { orderId: string; checkoutId: string }) {
  expect((await api('POST', `/store/v1/orders/${o.orderId}/pay`, { token })).status).toBe(200);
  expect((await api('POST', `/sandbox/wechatpay/transactions/${o.checkoutId}/pay`)).status).toBe(200);
}

/** A team whose leader and `paidMembers` members joined and paid; returns its id and the paid orders. */
async function team(dealId: string, paidMembers: number) {
  const leader = await shopperWithAddress();
  const opened = await open(leader.token, dealId);
  expect(opened.status).toBe(201);
  await pay(leader.token, opened.body.order);
  const orders = [opened.body.order.orderId as string];
  for (let i = 0; i < paidMembers; i++) {
    const m = await shopperWithAddress();
    const j = await join(m.token, opened.body.team.id);
    expect(j.status).toBe(201);
    await pay(m.token, j.body.order);
    orders.push(j.body.order.orderId);
  }
  return { teamId: opened.body.team.id as string, orders };
}

/** Runs the book's due work at `now` (the alarm's job, at a time the test chooses) and returns the unsent outbox. */
const runDueAt = (skuId: string, now: number) =>
  runInDurableObject(skuStockStub(env, skuId) as unknown as DurableObjectStub, (inst) => {
    const book = (inst as unknown as { groupBuys: GroupBuyBook }).groupBuys;
    book.runDue(now);
    return book.pendingOutbox();
  });

async function deliver(row: OutboxRow) {
  const batch = createMessageBatch('edgemall-settlement', [
    {
      id: `m-${crypto.randomUUID()}`,
      timestamp: new Date(),
      attempts: 1,
      body: { type: row.type, id: row.id, at: Date.now(), data: row.data },
    },
  ]);
  const ec = createExecutionContext();
  await handleQueueBatch(batch, env, ec);
  expect((await getQueueResult(batch, ec)).explicitAcks).toHaveLength(1);
}

describe('group-buy wind-up', () => {
  it('returns the unsold units once every team is final, exactly once, and closes the deal', async () => {
    const s = await sellable(5000, 50);
    usedSkus.add(s.skuId);
    const created = await api('POST', '/admin/v1/group-buys', {
      token: s.admin,
      body: { skuId: s.skuId, groupPrice: 2990, groupSize: 3, allocated: 20, startsAt: at(-MIN), endsAt: at(60 * MIN) },
    });
    expect(created.status).toBe(201);
    const dealId: string = created.body.id;
    const endsAt = Date.parse(created.body.endsAt);
    const stub = skuStockStub(env, s.skuId);

    const succeeded = await team(dealId, 2); // 3 paid seats: the team succeeds
    const failing = await team(dealId, 1); // 2 paid seats, one short: fails at its expiry
    const running = await team(dealId, 0); // opened last: still open when `failing` fails
    expect((await stub.groupBuyTeam(succeeded.teamId))!.team.status).toBe('succeeded');
    const failingExp = (await stub.groupBuyTeam(failing.teamId))!.team.expiresAt!;
    const runningExp = (await stub.groupBuyTeam(running.teamId))!.team.expiresAt!;
    expect(failingExp).toBeGreaterThan(endsAt); // teams outlive the deal: 24 h to fill, deal ends in 1 h
    expect(runningExp).toBeGreaterThan(failingExp);
    const stockBefore = await skuStock(s.skuId);
    expect(stockBefore).toBe(30);

    // before the end: nothing happens
    expect(await windUpGroupBuy(systemCtx(), dealId)).toEqual({ dealId, returned: false, reason: 'not_ended' });
    expect(await windUpGroupBuys(systemCtx())).toEqual({ checked: 0, returned: 0, waiting: 0 });

    // after the end, two teams still open: busy
    const afterEnd = endsAt + 1000;
    expect(await windUpGroupBuy(systemCtx(afterEnd), dealId)).toEqual({ dealId, returned: false, reason: 'busy', teams: 2, pending: 0 });
    expect(await windUpGroupBuys(systemCtx(afterEnd))).toEqual({ checked: 1, returned: 0, waiting: 1 });
    // a team opened before the end may still fill after it: a late joiner takes a (pending) seat
    // just before the failing team's expiry, so it is still unpaid then
    const late = await stub.joinGroupBuyTeam({
      teamId: running.teamId,
      shopperId: 'usr_late_joiner',
      idempotencyKey: key(),
      now: failingExp - MIN,
    });
    expect(late).toMatchObject({ ok: true, seat: { status: 'pending' } });
    // …but opening a new team after the end is refused
    expect(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_late_leader', idempotencyKey: key(), now: afterEnd })).toMatchObject({
      ok: false,
      reason: 'ended',
    });

    // the failing team runs out of time: its paid members are refunded
    const rowsB = (await runDueAt(s.skuId, failingExp)).filter((r) => r.data.teamId === failing.teamId);
    expect(rowsB.map((r) => r.type)).toEqual(['group_buys.team_failed']);
    await deliver(rowsB[0]!);
    for (const id of failing.orders) {
      const row = await order(id);
      expect(row.status).toBe('closed');
      expect(row.refunded_total).toBe(row.paid_total);
    }
    // the running team is still open, with a pending seat
    expect(await windUpGroupBuy(systemCtx(failingExp), dealId)).toEqual({ dealId, returned: false, reason: 'busy', teams: 1, pending: 1 });
    expect(await dealRow(dealId)).toEqual({ returned_units: null, returned_at: null });
    expect(await skuStock(s.skuId)).toBe(stockBefore);

    // the running team runs out of time too (its pending seat expires, its leader is refunded)
    const rowsC = (await runDueAt(s.skuId, runningExp)).filter((r) => r.data.teamId === running.teamId);
    expect(rowsC.map((r) => r.type)).toEqual(['group_buys.team_failed']);
    await deliver(rowsC[0]!);
    expect(await order(running.orders[0]!)).toMatchObject({ status: 'closed' });
    expect(await stub.groupBuySnapshot(dealId)).toMatchObject({
      held: 3,
      paid: 3,
      teams: { forming: 0, open: 0, succeeded: 1, failed: 2 },
      closed: false,
    });

    // every team is final: two wind-ups racing, then the cron — the 17 unsold units come back once
    const now = runningExp + 1000;
    const results = await Promise.all([windUpGroupBuy(systemCtx(now), dealId), windUpGroupBuy(systemCtx(now), dealId)]);
    expect(results).toEqual([0, 1].map(() => ({ dealId, returned: true, paid: 3, returnedUnits: 17 })));
    expect(await windUpGroupBuys(systemCtx(now))).toEqual({ checked: 0, returned: 0, waiting: 0 });
    expect(await windUpGroupBuy(systemCtx(now + MIN), dealId)).toEqual({ dealId, returned: true, paid: 3, returnedUnits: 17 });
    expect(await skuStock(s.skuId)).toBe(stockBefore + 17);
    expect(await returnLedger(dealId)).toEqual([{ delta: 17 }]);
    expect(await dealRow(dealId)).toEqual({ returned_units: 17, returned_at: now });

    // the DO's pool is closed: same numbers again, and nothing can take a unit
    expect(await stub.closeGroupBuy(dealId, now + 10 * MIN)).toEqual({ ok: true, paid: 3, unsold: 17 });
    expect(await stub.groupBuySnapshot(dealId)).toMatchObject({ paid: 3, remaining: 0, closed: true });
    expect(await stub.openGroupBuyTeam({ dealId, shopperId: 'usr_after_close', idempotencyKey: key(), now: endsAt - MIN })).toMatchObject({
      ok: false,
      reason: 'ended',
    });
    expect(await stub.joinGroupBuyTeam({ teamId: running.teamId, shopperId: 'usr_after_close', idempotencyKey: key(), now })).toMatchObject(
      { ok: false, reason: 'ended' },
    );
    const shopper = await shopperWithAddress();
    const refused = await open(shopper.token, dealId); // the real clock is still before endsAt
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('group_buys.ended');
    expect(await skuStock(s.skuId)).toBe(stockBefore + 17);
  });

  it('the cron winds up a deal its stock object never heard of: all of its units come back', async () => {
    const s = await sellable(5000, 10);
    usedSkus.add(s.skuId);
    const ctx = systemCtx();
    const id = `gbd_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;
    // as if the deal's registration with the DO failed and nobody opened a team
    await ctx.db.insert(groupBuyDeals).values({
      id,
      skuId: s.skuId,
      productId: s.productId,
      merchantId: 'mch_test',
      groupPrice: 2990,
      leaderPrice: null,
      groupSize: 2,
      teamTimeLimitMs: 60 * MIN,
      seatTtlMs: 15 * MIN,
      allocated: 4,
      perShopperLimit: 1,
      autoFill: false,
      startsAt: ctx.now - 120 * MIN,
      endsAt: ctx.now - 60 * MIN,
      status: 'active',
      returnedUnits: null,
      returnedAt: null,
      createdAt: ctx.now - 180 * MIN,
    });
    const before = await skuStock(s.skuId);
    expect(await skuStockStub(env, s.skuId).closeGroupBuy(id, ctx.now)).toEqual({ ok: false, reason: 'unknown_deal' });
    expect(await windUpGroupBuys(ctx)).toEqual({ checked: 1, returned: 1, waiting: 0 });
    expect(await skuStock(s.skuId)).toBe(before + 4);
    expect(await returnLedger(id)).toEqual([{ delta: 4 }]);
    expect(await windUpGroupBuys(ctx)).toEqual({ checked: 0, returned: 0, waiting: 0 });
  });

  it('a stock object whose gb_deals table predates closed_at gets the column and keeps its deals', async () => {
    const stub = skuStockStub(env, `sku_legacy${crypto.randomUUID().replaceAll('-', '').slice(0, 12)}`);
    const now = Date.now();
    await stub.configureGroupBuy({
      dealId: 'gbd_legacy',
      allocated: 5,
      groupSize: 2,
      teamTimeLimitMs: MIN,
      seatTtlMs: MIN,
      perShopperLimit: 1,
      autoFill: false,
      startsAt: now - 2 * MIN,
      endsAt: now - MIN,
    });
    const out = await runInDurableObject(stub as unknown as DurableObjectStub, (_i, state) => {
      state.storage.sql.exec('ALTER TABLE gb_deals DROP COLUMN closed_at');
      const book = new GroupBuyBook(state.storage.sql, state.storage);
      const cols = state.storage.sql
        .exec<{ name: string }>('PRAGMA table_info(gb_deals)')
        .toArray()
        .map((c) => c.name);
      return {
        cols,
        closed: book.closeDeal('gbd_legacy', now),
        again: new GroupBuyBook(state.storage.sql, state.storage).snapshot('gbd_legacy'),
      };
    });
    expect(out.cols).toContain('closed_at');
    expect(out.closed).toEqual({ ok: true, paid: 0, unsold: 5 });
    expect(out.again).toMatchObject({ allocated: 5, closed: true, remaining: 0 });
  });
});
