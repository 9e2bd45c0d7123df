import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, env, staffToken } from '../../test/helpers';
import { sellable, shopperWithAddress } from '../../test/shop';
import { systemCtx } from '../../test/ctx';
import { getDb } from '../shared/db';
import { newId } from '../shared/ids';
import { DAY_MS } from '../shared/calendar';
import { couponTemplates, type CouponChannel } from '../domains/promotions/schema';
import { pointsEntryStatement } from '../domains/members/points.service';
import { closeUnpaidCheckout } from './payment';
import { redeemPointsMallItem } from './points-mall-redeem';
import { RedeemPointsMallItemInput } from '../domains/members/mall/dto';

const key = () => `k-${crypto.randomUUID()}`;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();

let admin: string;
beforeAll(async () => {
  admin = await adminToken();
});

/** A signed-in shopper (sandbox login) with `points` granted straight into the ledger. */
async function shopper(points = 0) {
  const r = await api('POST', '/store/v1/auth/wx-login', { body: { code: `pm-${crypto.randomUUID()}` } });
  const s = { token: r.body.accessToken as string, userId: r.body.user.id as string };
  if (points) await grant([s.userId], points);
  return s;
}

/** Grants points to many shoppers in a few batches (the ledger's own statement, unique refs). */
async function grant(userIds: string[], points: number) {
  const ctx = systemCtx();
  for (let i = 0; i < userIds.length; i += 50)
    await env.DB.batch(
      userIds
        .slice(i, i + 50)
        .map((userId) => pointsEntryStatement(ctx, { userId, delta: points, reason: 'test', ref: `test:${newId('g')}` })),
    );
}

const balance = async (token: string) => (await api('GET', '/store/v1/me/points', { token })).body.balance as number;

async function couponTemplate(channels: CouponChannel[] = ['points_mall'], totalQuantity = 10_000) {
  const row = {
    id: newId('cpt'),
    merchantId: 'mch_platform',
    name: '无门槛减5元',
    kind: 'amount_off' as const,
    threshold: 0,
    amountOff: 500,
    scope: { type: 'all' as const },
    validDays: 7,
    claimStartsAt: Date.now() - DAY_MS,
    claimEndsAt: Date.now() + 30 * DAY_MS,
    totalQuantity,
    perUserLimit: 1,
    channels,
    createdBy: 'test',
    createdAt: Date.now(),
  };
  await getDb(env.DB).insert(couponTemplates).values(row);
  return row;
}

const createItem = (body: Record<string, unknown>, token = admin) => api('POST', '/admin/v1/points-mall/items', { token, body });

async function couponItem(over: Record<string, unknown> = {}) {
  const t = await couponTemplate();
  const r = await createItem({ kind: 'coupon', title: '5元无门槛券', pointsPrice: 100, stock: 1000, couponTemplateId: t.id, ...over });
  if (r.status !== 201) throw new Error(`createPointsMallItem failed: ${JSON.stringify(r.body)}`);
  return r.body;
}

const redeem = (token: string, itemId: string, body: Record<string, unknown> = {}, k: string | null = key()) =>
  api('POST', `/store/v1/points-mall/items/${itemId}/redeem`, { token, body, headers: k === null ? {} : { 'idempotency-key': k } });

const itemRow = (id: string) =>
  env.DB.prepare('SELECT stock, sold FROM points_mall_items WHERE id = ?').bind(id).first<{ stock: number; sold: number }>();
const skuStock = async (skuId: string) =>
  (await env.DB.prepare('SELECT stock FROM skus WHERE id = ?').bind(skuId).first<{ stock: number }>())!.stock;

describe('createPointsMallItem and the console routes', () => {
  it('creates each kind, checks what it hands out, and shows it on the shelf by sort order', async () => {
    const { skuId } = await sellable(5900, 20);
    const goods = await createItem({
      kind: 'goods',
      title: '保温杯',
      pointsPrice: 800,
      cashPrice: 990,
      stock: 5,
      skuId,
      limitPerUser: 1,
      sortOrder: -10,
      freeShipping: false,
    });
    expect(goods.status).toBe(201);
    expect(goods.body).toMatchObject({
      kind: 'goods',
      pointsPrice: 800,
      cashPrice: 990,
      marketPrice: 5900,
      stock: 5,
      sold: 0,
      state: 'live',
    });
    const coupon = await couponItem({ sortOrder: -9 });
    expect(coupon.target.couponTemplateId).toBeTruthy();

    // what zod cannot see: the template must be open to the points-mall channel; unknown SKU / lottery
    const closed = await couponTemplate(['storefront']);
    const r1 = await createItem({ kind: 'coupon', title: 'x', pointsPrice: 1, stock: 1, couponTemplateId: closed.id });
    expect(r1.status).toBe(409);
    expect(r1.body.error.code).toBe('members.coupon_channel');
    expect((await createItem({ kind: 'goods', title: 'x', pointsPrice: 1, stock: 1, skuId: 'sku_nope1234' })).status).toBe(404);
    expect((await createItem({ kind: 'lottery_chance', title: 'x', pointsPrice: 1, stock: 1, lotteryId: 'lot_nope1234' })).status).toBe(
      404,
    );
    // shape errors: 400 with field paths
    for (const bad of [
      { kind: 'goods', title: 'x', pointsPrice: 1, stock: 1 },
      { kind: 'coupon', title: 'x', pointsPrice: 1, stock: 1, couponTemplateId: closed.id, cashPrice: 100 },
      { kind: 'coupon', title: 'x', pointsPrice: 0, stock: 1, couponTemplateId: closed.id },
      { kind: 'coupon', title: 'x', pointsPrice: 1, stock: 1, couponTemplateId: closed.id, startsAt: at(DAY_MS), endsAt: at(0) },
    ]) {
      const r = await createItem(bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error.code).toBe('validation.failed');
    }

    const s = await shopper(1000);
    const shelf = await api('GET', '/store/v1/points-mall/items', { token: s.token });
    expect(shelf.status).toBe(200);
    expect(shelf.body.points).toBe(1000);
    const ids = shelf.body.items.map((i: any) => i.id);
    expect(ids.indexOf(goods.body.id)).toBeLessThan(ids.indexOf(coupon.id));
    expect(shelf.body.items.find((i: any) => i.id === goods.body.id).me).toEqual({ remaining: 1, tierOk: true });
    expect(shelf.body.kinds.map((k: any) => k.kind)).toEqual(expect.arrayContaining(['goods', 'coupon']));
    const onlyCoupons = await api('GET', '/store/v1/points-mall/items?kind=coupon');
    expect(onlyCoupons.body.points).toBeNull();
    expect(onlyCoupons.body.items.every((i: any) => i.kind === 'coupon' && i.me === null)).toBe(true);

    // off the shelf: gone from the shelf and the detail, still in the console
    const off = await api('PATCH', `/admin/v1/points-mall/items/${coupon.id}`, { token: admin, body: { status: 'off' } });
    expect(off.body.status).toBe('off');
    expect((await api('GET', '/store/v1/points-mall/items')).body.items.some((i: any) => i.id === coupon.id)).toBe(false);
    expect((await api('GET', `/store/v1/points-mall/items/${coupon.id}`)).status).toBe(404);
    const listed = await api('GET', '/admin/v1/points-mall/items?status=off', { token: admin });
    expect(listed.body.items.some((i: any) => i.id === coupon.id)).toBe(true);

    // stock: add, take away, never below 0
    expect((await api('POST', `/admin/v1/points-mall/items/${goods.body.id}/stock`, { token: admin, body: { delta: 3 } })).body.stock).toBe(
      8,
    );
    const neg = await api('POST', `/admin/v1/points-mall/items/${goods.body.id}/stock`, { token: admin, body: { delta: -9 } });
    expect(neg.status).toBe(409);
    expect(neg.body.error).toMatchObject({ code: 'members.mall_stock_negative', details: { stock: 8 } });
  });

  it('needs members.write to change and members.read to look; shoppers and anonymous callers are refused', async () => {
    const t = await couponTemplate();
    const body = { kind: 'coupon', title: '券', pointsPrice: 10, stock: 1, couponTemplateId: t.id };
    const [support, merchant, operator] = await Promise.all([
      staffToken('support'),
      staffToken('merchant', 'mch_platform'),
      staffToken('operator'),
    ]);
    expect((await createItem(body, operator)).status).toBe(201);
    expect((await createItem(body, support)).status).toBe(403);
    expect((await createItem(body, merchant)).status).toBe(403);
    expect((await api('POST', '/admin/v1/points-mall/items', { body })).status).toBe(401);
    const s = await shopper();
    expect((await createItem(body, s.token)).status).toBe(403);
    expect((await api('GET', '/admin/v1/points-mall/items', { token: support })).status).toBe(200);
    expect((await api('GET', '/admin/v1/points-mall/exchanges', { token: support })).status).toBe(200);
    expect((await api('GET', '/admin/v1/points-mall/items', { token: merchant })).status).toBe(403);
  });
});

describe('redeemPointsMallItem under concurrency', () => {
  it('200 shoppers at once for 20 units: exactly 20 exchange, 180 get sold out, points spent only for the 20', async () => {
    const item = await couponItem({ stock: 20, pointsPrice: 300 });
    const crowd = await Promise.all([...Array(200).keys()].map(() => shopper()));
    await grant(
      crowd.map((c) => c.userId),
      1000,
    );
    const t0 = Date.now();
    const rs = await Promise.all(crowd.map((c) => redeem(c.token, item.id)));
    console.info(`200 exchanges in ${Date.now() - t0} ms`);
    const won = rs.filter((r) => r.status === 201);
    const lost = rs.filter((r) => r.status !== 201);
    expect(won.length).toBe(20);
    expect(lost.length).toBe(180);
    expect(lost.every((r) => r.status === 409 && r.body.error.code === 'members.mall_sold_out')).toBe(true);
    expect(await itemRow(item.id)).toEqual({ stock: 0, sold: 20 });
    const spent = await env.DB.prepare(
      "SELECT count(*) AS n, sum(delta) AS s FROM points_ledger WHERE reason = 'points_mall' AND ref IN (SELECT 'mall:' || id FROM points_mall_exchanges WHERE item_id = ?)",
    )
      .bind(item.id)
      .first<{ n: number; s: number }>();
    expect(spent).toEqual({ n: 20, s: -6000 });
    const winners = new Set(won.map((r) => r.body.id));
    expect(winners.size).toBe(20);
    expect(won.every((r) => r.body.points === 700 && r.body.couponId)).toBe(true);
    const issued = await env.DB.prepare('SELECT issued_count AS n FROM coupon_templates WHERE id = ?')
      .bind(item.target.couponTemplateId)
      .first<{ n: number }>();
    expect(issued!.n).toBe(20);
    // a loser's balance is untouched
    const loser = crowd[rs.findIndex((r) => r.status === 409)]!;
    expect(await balance(loser.token)).toBe(1000);
  }, 120_000);

  it("one shopper's 30 concurrent exchanges against a limit of 2: exactly 2", async () => {
    const item = await couponItem({ stock: 100, pointsPrice: 50, limitPerUser: 2 });
    const s = await shopper(10_000);
    const rs = await Promise.all([...Array(30).keys()].map(() => redeem(s.token, item.id)));
    expect(rs.filter((r) => r.status === 201).length).toBe(2);
    const refused = rs.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 409 && r.body.error.code === 'members.mall_limit_reached')).toBe(true);
    expect(await balance(s.token)).toBe(10_000 - 100);
    expect(await itemRow(item.id)).toEqual({ stock: 98, sold: 2 });
    const detail = await api('GET', `/store/v1/points-mall/items/${item.id}`, { token: s.token });
    expect(detail.body.me.remaining).toBe(0);
  });

  it('is idempotent: a repeat (also concurrent) returns the first exchange and spends once; the key on another item is 409', async () => {
    const item = await couponItem({ pointsPrice: 120 });
    const s = await shopper(1000);
    const k = key();
    const first = await redeem(s.token, item.id, {}, k);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ replayed: false, kind: 'coupon', pointsTotal: 120, status: 'completed', points: 880 });
    const again = await redeem(s.token, item.id, {}, k);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ replayed: true, id: first.body.id, couponId: first.body.couponId, points: 880 });
    const k2 = key();
    const burst = await Promise.all([...Array(6).keys()].map(() => redeem(s.token, item.id, {}, k2)));
    expect(burst.filter((r) => r.status === 201).length).toBe(1);
    expect(burst.filter((r) => r.status === 200).length).toBe(5);
    expect(new Set(burst.map((r) => r.body.id)).size).toBe(1);
    expect(await balance(s.token)).toBe(760);
    const other = await couponItem();
    const clash = await redeem(s.token, other.id, {}, k);
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('members.idempotency_key_reused');
    expect((await redeem(s.token, item.id, {}, null)).status).toBe(400);
    // the records: newest first, own only
    const mine = await api('GET', '/store/v1/me/points-mall/exchanges', { token: s.token });
    expect(mine.body.items.map((x: any) => x.id)).toEqual([burst[0]!.body.id, first.body.id]);
    const stranger = await shopper();
    expect((await api('GET', '/store/v1/me/points-mall/exchanges', { token: stranger.token })).body.items).toEqual([]);
  });
});

/** 普通 (0) and 金卡 (2000 growth): a shop with a tier ladder. */
let ladder: { normal: string; gold: string } | undefined;
async function memberTiers() {
  if (ladder) return ladder;
  const tier = async (body: Record<string, unknown>) => {
    const r = await api('POST', '/admin/v1/member-tiers', { token: admin, body: { iconName: 'leaf', iconColor: '#8c8c8c', ...body } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body.id as string;
  };
  ladder = {
    normal: await tier({ name: '普通会员', rank: 0, threshold: 0 }),
    gold: await tier({ name: '金卡会员', rank: 2, threshold: 2000 }),
  };
  return ladder;
}

describe('member tier gate', () => {
  it('a 金卡 item: refused below the tier, exchanged at it; the item names its tier; an unknown tier id is refused at creation', async () => {
    const tiers = await memberTiers();
    const item = await couponItem({ pointsPrice: 10, minTierId: tiers.gold });
    expect(item.minTierName).toBe('金卡会员');
    const s = await shopper(100);
    expect((await redeem(s.token, item.id)).body.error.code).toBe('members.tier_required');
    const grown = await api('POST', `/admin/v1/users/${s.userId}/growth`, { token: admin, body: { delta: 2000, reason: '测试升级' } });
    expect(grown.status, JSON.stringify(grown.body)).toBe(201);
    const listed = (await api('GET', '/store/v1/points-mall/items', { token: s.token })).body.items.find((i: any) => i.id === item.id);
    expect(listed).toMatchObject({ minTierName: '金卡会员', me: { tierOk: true } });
    expect((await redeem(s.token, item.id)).status).toBe(201);
    expect(await balance(s.token)).toBe(90);
    const t = await couponTemplate();
    const ghost = await createItem({
      kind: 'coupon',
      title: '券',
      pointsPrice: 1,
      stock: 1,
      couponTemplateId: t.id,
      minTierId: 'tier_nobody000000',
    });
    expect(ghost.status).toBe(404);
    expect(ghost.body.error.code).toBe('members.tier_not_found');
  });
});

describe('refusals', () => {
  it('off shelf, not started, ended, not enough points, tier, no token, staff: 4xx and nothing written', async () => {
    const s = await shopper(100);
    const off = await couponItem({ status: 'off' });
    const soon = await couponItem({ startsAt: at(DAY_MS) });
    const ended = await couponItem({ startsAt: at(-2 * DAY_MS), endsAt: at(-DAY_MS) });
    const dear = await couponItem({ pointsPrice: 101 });
    const tiers = await memberTiers();
    const gold = await couponItem({ pointsPrice: 10, minTierId: tiers.gold });
    const cases: [string, number, string][] = [
      [off.id, 409, 'members.mall_item_off_shelf'],
      [soon.id, 409, 'members.mall_item_not_started'],
      [ended.id, 409, 'members.mall_item_ended'],
      [dear.id, 409, 'members.not_enough_points'],
      [gold.id, 403, 'members.tier_required'],
      ['pmi_unknown123', 404, 'members.mall_item_not_found'],
    ];
    for (const [id, status, code] of cases) {
      const r = await redeem(s.token, id);
      expect(r.status, code).toBe(status);
      expect(r.body.error.code).toBe(code);
    }
    expect(
      (await api('GET', '/store/v1/points-mall/items', { token: s.token })).body.items.find((i: any) => i.id === gold.id).me.tierOk,
    ).toBe(false);
    expect((await api('POST', `/store/v1/points-mall/items/${dear.id}/redeem`, { headers: { 'idempotency-key': key() } })).status).toBe(
      401,
    );
    expect((await redeem(admin, dear.id)).status).toBe(403);
    expect(await balance(s.token)).toBe(100);
    const n = await env.DB.prepare('SELECT count(*) AS n FROM points_mall_exchanges WHERE user_id = ?')
      .bind(s.userId)
      .first<{ n: number }>();
    expect(n!.n).toBe(0);
  });

  it('a per-day limit allows the next Beijing day again', async () => {
    const item = await couponItem({ pointsPrice: 10, limitPerUser: 1, limitPeriod: 'day' });
    const s = await shopper(100);
    const ctx = (now: number) => ({ ...systemCtx(now), actor: { kind: 'user' as const, userId: s.userId, sessionId: 'test' } });
    const input = RedeemPointsMallItemInput.parse({});
    const now = Date.now();
    await redeemPointsMallItem(ctx(now), item.id, input, key());
    await expect(redeemPointsMallItem(ctx(now), item.id, input, key())).rejects.toMatchObject({ code: 'members.mall_limit_reached' });
    const next = await redeemPointsMallItem(ctx(now + DAY_MS), item.id, input, key());
    expect(next.replayed).toBe(false);
    expect(await balance(s.token)).toBe(80);
  });
});

describe('goods', () => {
  it('points + cash: a normal pending order for the cash part, paid through WeChat Pay; the records show it', async () => {
    const { skuId } = await sellable(5900, 10);
    const it1 = await createItem({ kind: 'goods', title: '保温杯', pointsPrice: 800, cashPrice: 990, stock: 5, skuId, limitPerUser: 1 });
    const s = await shopperWithAddress();
    await grant([s.userId], 1000);
    const r = await redeem(s.token, it1.body.id, { addressId: s.addressId });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ kind: 'goods', status: 'pending_payment', pointsTotal: 800, cashTotal: 990, points: 200 });
    expect(r.body.order).toMatchObject({ status: 'pending_payment', payableTotal: 990 });
    expect(await skuStock(skuId)).toBe(9);
    const order = await api('GET', `/store/v1/orders/${r.body.order.id}`, { token: s.token });
    expect(order.body).toMatchObject({ goodsTotal: 5900, discountTotal: 4910, shippingFee: 0, payableTotal: 990 });
    expect(order.body.discounts).toEqual([{ source: 'points_mall', sourceId: it1.body.id, label: '积分兑换（800积分）', amount: 4910 }]);

    const pay = await api('POST', `/store/v1/orders/${r.body.order.id}/pay`, { token: s.token });
    expect(pay.status).toBe(200);
    expect(pay.body.amount).toBe(990);
    expect((await api('POST', `/sandbox/wechatpay/transactions/${pay.body.checkoutId}/pay`)).status).toBe(200);
    const records = await api('GET', '/store/v1/me/points-mall/exchanges', { token: s.token });
    expect(records.body.items[0]).toMatchObject({ id: r.body.id, status: 'completed', order: { status: 'paid' } });
    // a paid order does not close: the points stay spent
    expect(await closeUnpaidCheckout(systemCtx(), pay.body.checkoutId, 'closed', '超时未支付')).toBe('not_pending');
    expect(await balance(s.token)).toBe(200);
  });

  it('an unpaid order that closes gives the points, the mall stock and the catalog stock back exactly once', async () => {
    const { skuId } = await sellable(3000, 10);
    const it1 = await createItem({ kind: 'goods', title: '帆布袋', pointsPrice: 300, cashPrice: 500, stock: 3, skuId, limitPerUser: 1 });
    const s = await shopperWithAddress();
    await grant([s.userId], 500);
    const r = await redeem(s.token, it1.body.id);
    expect(r.status).toBe(201);
    expect(await balance(s.token)).toBe(200);
    expect(await itemRow(it1.body.id)).toEqual({ stock: 2, sold: 1 });
    expect(await skuStock(skuId)).toBe(9);
    // the limit is used up while the order waits
    expect((await redeem(s.token, it1.body.id)).body.error.code).toBe('members.mall_limit_reached');

    const checkoutId = `chk_${r.body.id.slice(4)}`;
    const later = Date.now() + 31 * 60_000;
    const closes = await Promise.all([0, 1, 2].map(() => closeUnpaidCheckout(systemCtx(later), checkoutId, 'closed', '超时未支付')));
    expect(closes.filter((c) => c === 'closed').length).toBe(1);
    expect(await closeUnpaidCheckout(systemCtx(later), checkoutId, 'closed', '超时未支付')).toBe('not_pending');
    expect(await balance(s.token)).toBe(500);
    expect(await itemRow(it1.body.id)).toEqual({ stock: 3, sold: 0 });
    expect(await skuStock(skuId)).toBe(10);
    const refunds = await env.DB.prepare('SELECT count(*) AS n FROM points_ledger WHERE ref = ?')
      .bind(`mall-refund:${r.body.id}`)
      .first<{ n: number }>();
    expect(refunds!.n).toBe(1);
    const records = await api('GET', '/store/v1/me/points-mall/exchanges', { token: s.token });
    expect(records.body.items[0]).toMatchObject({ status: 'cancelled', order: { status: 'closed' } });
    // cancelled exchanges no longer count against the limit; a shopper's own cancel works the same way
    const again = await redeem(s.token, it1.body.id);
    expect(again.status).toBe(201);
    expect((await api('POST', `/store/v1/orders/${again.body.order.id}/cancel`, { token: s.token, body: {} })).status).toBeLessThan(300);
    expect(await balance(s.token)).toBe(500);
  });

  it('points only with free shipping: the order is paid at once (amount 0)', async () => {
    const { skuId } = await sellable(2000, 4);
    const it1 = await createItem({ kind: 'goods', title: '钥匙扣', pointsPrice: 200, stock: 2, skuId });
    const s = await shopperWithAddress();
    await grant([s.userId], 1000);
    const r = await redeem(s.token, it1.body.id, { quantity: 2 });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'completed', quantity: 2, pointsTotal: 400, order: { status: 'paid', payableTotal: 0 } });
    const order = await api('GET', `/store/v1/orders/${r.body.order.id}`, { token: s.token });
    expect(order.body.timeline.map((e: any) => e.type)).toEqual(['created', 'paid']);
    expect(await skuStock(skuId)).toBe(2);
    // nothing left of the item now
    expect((await redeem(s.token, it1.body.id)).body.error.code).toBe('members.mall_sold_out');
  });
});

describe('lottery chances', () => {
  it('grants extra draws that are used after the free ones and beyond the total limit', async () => {
    const lot = await api('POST', '/admin/v1/lotteries', {
      token: admin,
      body: {
        name: '积分抽奖',
        startsAt: at(-60_000),
        endsAt: at(3 * DAY_MS),
        freeDrawsPerDay: 1,
        maxDrawsPerUser: 1,
        budget: 100_000,
        prizes: [{ name: '谢谢参与', kind: 'none', weight: 1 }],
      },
    });
    expect(lot.status).toBe(201);
    const it1 = await createItem({
      kind: 'lottery_chance',
      title: '抽奖机会×2',
      pointsPrice: 50,
      stock: 10,
      lotteryId: lot.body.id,
      chances: 2,
    });
    expect(it1.status).toBe(201);
    const s = await shopper(100);
    const draw = () => api('POST', `/store/v1/lotteries/${lot.body.id}/draw`, { token: s.token, headers: { 'idempotency-key': key() } });
    expect((await draw()).status).toBe(201); // the free draw
    expect((await draw()).status).toBe(409); // no draws left
    const r = await redeem(s.token, it1.body.id);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ chances: 2, lotteryId: lot.body.id });
    expect((await api('GET', `/store/v1/lotteries/${lot.body.id}`, { token: s.token })).body.me).toMatchObject({
      chancesLeft: 2,
      nextDrawCost: 0,
    });
    const two = await Promise.all([draw(), draw(), draw()]);
    expect(two.filter((d) => d.status === 201).length).toBe(2);
    expect((await api('GET', `/store/v1/lotteries/${lot.body.id}`, { token: s.token })).body.me.chancesLeft).toBe(0);
  });
});
