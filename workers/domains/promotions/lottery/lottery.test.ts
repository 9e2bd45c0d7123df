import { describe, expect, it } from 'vitest';
import { adminToken, api, env, shopperToken, staffToken } from '../../../../test/helpers';
import { sellable } from '../../../../test/shop';
import { systemCtx } from '../../../../test/ctx';
import { getDb } from '../../../shared/db';
import { newId } from '../../../shared/ids';
import { campaigns, couponTemplates, type CouponChannel } from '../schema';
import { drawLottery, pickWeighted, randomBelow } from './draw';
import { shanghaiDay } from './lottery.service';

const MIN = 60_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString();
const key = () => `k-${crypto.randomUUID()}`;

const nonePrize = (weight = 1) => ({ name: '谢谢参与', kind: 'none', weight });
const lotteryBody = (prizes: unknown[], over: Record<string, unknown> = {}) => ({
  name: '双十一幸运大转盘',
  description: '每天免费抽一次',
  startsAt: at(-MIN),
  endsAt: at(3 * DAY),
  freeDrawsPerDay: 1,
  budget: 10_000_000,
  prizes,
  ...over,
});
const create = (token: string, body: unknown) => api('POST', '/admin/v1/lotteries', { token, body });
const draw = (token: string, lotteryId: string, k: string | null = key()) =>
  api('POST', `/store/v1/lotteries/${lotteryId}/draw`, { token, headers: k === null ? {} : { 'idempotency-key': k } });

/** Creates a lottery as the seeded admin and returns its admin view. */
async function lottery(prizes: unknown[], over: Record<string, unknown> = {}) {
  const r = await create(await adminToken(), lotteryBody(prizes, over));
  if (r.status !== 201) throw new Error(`createLottery failed: ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A coupon template written straight to D1 (coupon routes are another module's; only the row matters here). */
async function couponTemplate(over: Partial<typeof couponTemplates.$inferInsert> = {}) {
  const row = {
    id: newId('cpt'),
    merchantId: 'mch_platform',
    name: '无门槛减5元',
    kind: 'amount_off' as const,
    threshold: 0,
    amountOff: 500,
    scope: { type: 'all' as const },
    validDays: 7,
    claimStartsAt: Date.now() - DAY,
    claimEndsAt: Date.now() + 30 * DAY,
    totalQuantity: 1000,
    perUserLimit: 1,
    channels: ['lottery'] as CouponChannel[],
    createdBy: 'test',
    createdAt: Date.now(),
    ...over,
  };
  await getDb(env.DB).insert(couponTemplates).values(row);
  return row;
}

async function campaign(budget: number) {
  const row = {
    id: newId('cmp'),
    name: '双十一',
    startsAt: Date.now() - DAY,
    endsAt: Date.now() + 30 * DAY,
    segment: { kind: 'all' as const },
    budget,
    createdBy: 'test',
    createdAt: Date.now(),
  };
  await getDb(env.DB).insert(campaigns).values(row);
  return row;
}

const one = async <T = any>(sql: string, ...params: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...params)
    .first<T>())!;
const count = async (sql: string, ...params: unknown[]) => (await one<{ n: number }>(sql, ...params)).n;

async function shopper(code: string) {
  const token = await shopperToken(code);
  return { token, userId: (await api('GET', '/store/v1/me', { token })).body.id as string };
}

describe('fair pick (pure)', () => {
  it('gives every index exactly `weight` of the possible random values, and never a zero-weight index', () => {
    const weights = [3, 0, 1, 6, 0, 2];
    const total = weights.reduce((a, b) => a + b, 0);
    const hits = weights.map(() => 0);
    for (let r = 0; r < total; r++) hits[pickWeighted(weights, (n) => (expect(n).toBe(total), r))]! += 1;
    expect(hits).toEqual(weights);
    expect(pickWeighted([0, 0], () => 0)).toBe(-1);
    expect(() => pickWeighted([1, -1])).toThrow(RangeError);
    expect(() => pickWeighted([1.5])).toThrow(RangeError);
    expect(() => pickWeighted([2], () => 2)).toThrow(RangeError);
  });

  it('randomBelow rejects the biased tail of the 32-bit range instead of folding it', () => {
    // 2^32 mod 3 = 1: the one value 2^32 - 1 would make 0 more likely than 1 and 2; it must be redrawn.
    const values = [2 ** 32 - 1, 2 ** 32 - 1, 7];
    expect(randomBelow(3, () => values.shift()!)).toBe(1);
    expect(values).toEqual([]);
    // 2^32 mod 2^31 = 0: nothing is rejected
    expect(randomBelow(2 ** 31, () => 2 ** 32 - 1)).toBe(2 ** 31 - 1);
    expect(() => randomBelow(0)).toThrow(RangeError);
    for (let i = 0; i < 1000; i++) {
      const v = randomBelow(7);
      expect(Number.isInteger(v) && v >= 0 && v < 7).toBe(true);
    }
  });

  it('matches the weights over 200 000 crypto draws (chi-square, with a bound no fair source will pass by chance)', () => {
    const weights = [1, 2, 3, 4, 10];
    const total = 20;
    const n = 200_000;
    const hits = weights.map(() => 0);
    for (let i = 0; i < n; i++) hits[pickWeighted(weights)]! += 1;
    const chi2 = weights.reduce((s, w, i) => {
      const expected = (n * w) / total;
      return s + (hits[i]! - expected) ** 2 / expected;
    }, 0);
    // 4 degrees of freedom: P(chi2 > 60) ≈ 3e-12 for a fair pick, while a pick off by 1% of the
    // total on one prize scores in the hundreds.
    expect(chi2).toBeLessThan(60);
  });

  it('counts days on the Asia/Shanghai calendar', () => {
    expect(shanghaiDay(Date.parse('2026-11-10T15:59:59.999Z'))).toBe('2026-11-10');
    expect(shanghaiDay(Date.parse('2026-11-10T16:00:00Z'))).toBe('2026-11-11');
  });
});

describe('createLottery', () => {
  it('creates the lottery and its prizes with default values and shows them to staff', async () => {
    const admin = await adminToken();
    const t = await couponTemplate({ amountOff: 800 });
    const { skuId } = await sellable(9900, 5);
    const r = await create(
      admin,
      lotteryBody(
        [
          { name: '8元券', kind: 'coupon', couponTemplateId: t.id, weight: 10, stock: 100 },
          { name: '50积分', kind: 'points', points: 50, weight: 30, stock: 1000 },
          { name: '保温杯', kind: 'goods', skuId, value: 9900, weight: 1, stock: 2, imageUrl: 'https://img.example.com/cup.png' },
          nonePrize(59),
        ],
        { freeDrawsPerDay: 2, maxDrawsPerUser: 10, pointsPerDraw: 20 },
      ),
    );
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      state: 'live',
      status: 'active',
      freeDrawsPerDay: 2,
      maxDrawsPerUser: 10,
      pointsPerDraw: 20,
      budgetUsed: 0,
      draws: 0,
    });
    expect(r.body.id).toMatch(/^lot_/);
    expect(r.body.prizes.map((p: any) => [p.kind, p.value, p.weight, p.stock, p.awarded, p.available])).toEqual([
      ['coupon', 800, 10, 100, 0, true],
      ['points', 0, 30, 1000, 0, true],
      ['goods', 9900, 1, 2, 0, true],
      ['none', 0, 59, null, 0, true],
    ]);
    const got = await api('GET', `/admin/v1/lotteries/${r.body.id}`, { token: admin });
    expect(got.body).toEqual(r.body);
    const list = await api('GET', '/admin/v1/lotteries?limit=100', { token: admin });
    expect(list.body.items.map((l: any) => l.id)).toContain(r.body.id);
  });

  it('validates the body (400 with field paths) and the rows it points at, writing nothing when refused', async () => {
    const admin = await adminToken();
    const before = await count('SELECT count(*) AS n FROM lotteries');
    const expect400 = async (body: unknown, path: string) => {
      const r = await create(admin, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe('validation.failed');
      expect(r.body.error.details.issues.map((i: any) => i.path)).toContain(path);
    };
    await expect400(lotteryBody([nonePrize(0)]), 'prizes');
    await expect400(lotteryBody([nonePrize()], { endsAt: at(-2 * MIN) }), 'endsAt');
    await expect400(lotteryBody([]), 'prizes');
    await expect400(lotteryBody(Array.from({ length: 13 }, () => nonePrize())), 'prizes');
    await expect400(lotteryBody([nonePrize()], { freeDrawsPerDay: 21 }), 'freeDrawsPerDay');
    await expect400(lotteryBody([nonePrize()], { freeDrawsPerDay: 0, pointsPerDraw: 0 }), 'pointsPerDraw');
    await expect400(lotteryBody([nonePrize()], { budget: 1.5 }), 'budget');
    await expect400(lotteryBody([{ name: '券', kind: 'coupon', weight: 1, stock: 1 }]), 'prizes.0.couponTemplateId');
    await expect400(lotteryBody([{ name: '积分', kind: 'points', points: 0, weight: 1, stock: 1 }]), 'prizes.0.points');
    await expect400(lotteryBody([{ name: '杯', kind: 'goods', skuId: 'sku_abcdefgh', weight: 1, stock: 1 }]), 'prizes.0.value');
    await expect400(lotteryBody([{ name: '积分', kind: 'points', points: 5, weight: 1 }]), 'prizes.0.stock');
    await expect400(lotteryBody([{ name: '积分', kind: 'points', points: 5, weight: -1, stock: 1 }]), 'prizes.0.weight');

    const notLottery = await couponTemplate({ channels: ['storefront'] });
    const wrongChannel = await create(
      admin,
      lotteryBody([{ name: '券', kind: 'coupon', couponTemplateId: notLottery.id, weight: 1, stock: 1 }]),
    );
    expect(wrongChannel.status).toBe(400);
    expect(wrongChannel.body.error).toMatchObject({
      code: 'promotions.template_not_for_lottery',
      details: { path: 'prizes.0.couponTemplateId' },
    });
    const missing = [
      [{ name: '券', kind: 'coupon', couponTemplateId: 'cpt_doesnotexist00', weight: 1, stock: 1 }, 'promotions.coupon_template_not_found'],
      [{ name: '杯', kind: 'goods', skuId: 'sku_doesnotexist00', value: 100, weight: 1, stock: 1 }, 'promotions.sku_not_found'],
    ] as const;
    for (const [prize, code] of missing) {
      const r = await create(admin, lotteryBody([nonePrize(), prize]));
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ code, details: { path: expect.stringMatching(/^prizes\.1\./) } });
    }
    const noCampaign = await create(admin, lotteryBody([nonePrize()], { campaignId: 'cmp_doesnotexist00' }));
    expect(noCampaign.status).toBe(404);
    expect(noCampaign.body.error.code).toBe('promotions.campaign_not_found');
    expect(await count('SELECT count(*) AS n FROM lotteries')).toBe(before);
  });

  it('is for staff with promotions.write: support 403, merchant 403, shopper 403, nobody 401', async () => {
    const body = lotteryBody([nonePrize()]);
    for (const token of [await staffToken('support'), await staffToken('merchant', 'mch_platform'), await shopperToken('lot-not-staff')]) {
      const r = await create(token, body);
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('auth.forbidden');
    }
    expect((await api('POST', '/admin/v1/lotteries', { body })).status).toBe(401);
    const support = await staffToken('support');
    expect((await api('GET', '/admin/v1/lotteries', { token: support })).status).toBe(403);
    const op = await create(await staffToken('operator'), body);
    expect(op.status).toBe(201);
    expect((await api('PATCH', `/admin/v1/lotteries/${op.body.id}`, { token: support, body: { status: 'disabled' } })).status).toBe(403);
    expect((await api('GET', `/admin/v1/lotteries/${op.body.id}/draws`, { token: support })).status).toBe(403);
  });
});

describe('getLottery', () => {
  it('shows prizes without weights or stock, the window, server time, and the signed-in allowance', async () => {
    const l = await lottery([{ name: '50积分', kind: 'points', points: 50, weight: 1, stock: 1 }, nonePrize(1)], {
      freeDrawsPerDay: 2,
      pointsPerDraw: 5,
    });
    const anon = await api('GET', `/store/v1/lotteries/${l.id}`);
    expect(anon.status).toBe(200);
    expect(anon.body).toMatchObject({ id: l.id, name: l.name, state: 'live', freeDrawsPerDay: 2, pointsPerDraw: 5, me: null });
    expect(Math.abs(Date.parse(anon.body.serverTime) - Date.now())).toBeLessThan(10_000);
    expect(anon.body.prizes).toEqual([
      { id: l.prizes[0].id, name: '50积分', kind: 'points', imageUrl: null, available: true },
      { id: l.prizes[1].id, name: '谢谢参与', kind: 'none', imageUrl: null, available: true },
    ]);
    const s = await shopper('lot-viewer');
    const mine = await api('GET', `/store/v1/lotteries/${l.id}`, { token: s.token });
    expect(mine.body.me).toEqual({ drawsLeftToday: 2, totalDrawsLeft: null, pointsBalance: 0, chancesLeft: 0, nextDrawCost: 0 });
    expect((await api('GET', '/store/v1/lotteries/lot_doesnotexist00')).status).toBe(404);
  });
});

describe('drawLottery', () => {
  it('needs an Idempotency-Key; the same key returns the same draw (200) and writes one row', async () => {
    const l = await lottery([{ name: '50积分', kind: 'points', points: 50, weight: 1, stock: 100 }, nonePrize(1)], { freeDrawsPerDay: 3 });
    const s = await shopper('lot-idem');
    for (const k of [null, 'short', 'x'.repeat(101), 'has spaces in it']) {
      const r = await draw(s.token, l.id, k);
      expect(r.status).toBe(400);
      expect(r.body.error).toMatchObject({ code: 'validation.failed', details: { issues: [{ path: 'idempotency-key' }] } });
    }
    const k = key();
    const first = await draw(s.token, l.id, k);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ lotteryId: l.id, replayed: false, pointsSpent: 0, drawsLeftToday: 2 });
    expect(first.body.drawId).toMatch(/^drw_/);
    const again = await draw(s.token, l.id, k);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    // concurrent repeats of a fresh key: one draw
    const k2 = key();
    const burst = await Promise.all([0, 1, 2, 3].map(() => draw(s.token, l.id, k2)));
    expect(new Set(burst.map((r) => r.body.drawId)).size).toBe(1);
    expect(burst.filter((r) => r.status === 201).length).toBe(1);
    expect(await count('SELECT count(*) AS n FROM lottery_draws WHERE lottery_id = ? AND user_id = ?', l.id, s.userId)).toBe(2);
    // a prize of points lands in the ledger once per draw
    const won = [first, burst[0]!].filter((r) => r.body.prize.kind === 'points').length;
    expect((await api('GET', '/store/v1/me/points', { token: s.token })).body.balance).toBe(50 * won);
    // another shopper's same key is their own draw
    const other = await draw((await shopper('lot-idem-2')).token, l.id, k);
    expect(other.status).toBe(201);
    expect(other.body.drawId).not.toBe(first.body.drawId);
  });

  it('allows freeDrawsPerDay free draws per Asia/Shanghai day, then 409 promotions.no_draws_left; the next day resets', async () => {
    const l = await lottery([nonePrize()], { freeDrawsPerDay: 2 });
    const s = await shopper('lot-daily');
    const a = await draw(s.token, l.id);
    const b = await draw(s.token, l.id);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect([a.body.drawsLeftToday, b.body.drawsLeftToday]).toEqual([1, 0]);
    expect(a.body.prize).toEqual({ id: l.prizes[0].id, name: '谢谢参与', kind: 'none', imageUrl: null });
    const c = await draw(s.token, l.id);
    expect(c.status).toBe(409);
    expect(c.body.error).toMatchObject({ code: 'promotions.no_draws_left', details: { limit: 'daily' } });
    expect((await api('GET', `/store/v1/lotteries/${l.id}`, { token: s.token })).body.me).toMatchObject({
      drawsLeftToday: 0,
      nextDrawCost: null,
    });
    const row = await one<{ day: string }>('SELECT day FROM lottery_draws WHERE id = ?', a.body.drawId);
    expect(row.day).toBe(shanghaiDay(Date.now()));
    // concurrent free draws cannot exceed the daily allowance
    const s2 = await shopper('lot-daily-race');
    const race = await Promise.all([...Array(6).keys()].map(() => draw(s2.token, l.id)));
    expect(race.filter((r) => r.status === 201).length).toBe(2);
    expect(race.filter((r) => r.status === 409).length).toBe(4);
    // tomorrow (Asia/Shanghai) the free draws are back
    const tomorrow = { ...systemCtx(Date.now() + DAY), actor: { kind: 'user' as const, userId: s.userId, sessionId: 'test' } };
    const next = await drawLottery(tomorrow, l.id, key());
    expect(next).toMatchObject({ replayed: false, drawsLeftToday: 1 });
  });

  it('beyond the free draws costs pointsPerDraw points, spent in the same write (409 promotions.not_enough_points)', async () => {
    const admin = await adminToken();
    const l = await lottery([nonePrize()], { freeDrawsPerDay: 1, pointsPerDraw: 10 });
    const s = await shopper('lot-points');
    expect((await draw(s.token, l.id)).body.pointsSpent).toBe(0);
    const broke = await draw(s.token, l.id);
    expect(broke.status).toBe(409);
    expect(broke.body.error).toMatchObject({ code: 'promotions.not_enough_points', details: { pointsPerDraw: 10, balance: 0 } });
    expect((await api('POST', `/admin/v1/users/${s.userId}/points`, { token: admin, body: { delta: 25, reason: 'grant' } })).status).toBe(
      201,
    );
    expect((await api('GET', `/store/v1/lotteries/${l.id}`, { token: s.token })).body.me).toMatchObject({
      drawsLeftToday: 0,
      pointsBalance: 25,
      nextDrawCost: 10,
    });
    // three concurrent paid draws on 25 points: two pass
    const paid = await Promise.all([0, 1, 2].map(() => draw(s.token, l.id)));
    expect(paid.filter((r) => r.status === 201).map((r) => r.body.pointsSpent)).toEqual([10, 10]);
    expect(paid.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(['promotions.not_enough_points']);
    const pts = await api('GET', '/store/v1/me/points', { token: s.token });
    expect(pts.body.balance).toBe(5);
    const spends = pts.body.items.filter((e: any) => e.reason === 'lottery_draw');
    expect(spends.map((e: any) => e.delta)).toEqual([-10, -10]);
    expect(spends.map((e: any) => e.ref).sort()).toEqual(
      paid
        .filter((r) => r.status === 201)
        .map((r) => `draw:${r.body.drawId}`)
        .sort(),
    );
  });

  it('maxDrawsPerUser caps free and paid draws over the whole lottery', async () => {
    const l = await lottery([nonePrize()], { freeDrawsPerDay: 5, maxDrawsPerUser: 2 });
    const s = await shopper('lot-max');
    expect((await draw(s.token, l.id)).body.drawsLeftToday).toBe(1);
    expect((await draw(s.token, l.id)).body.drawsLeftToday).toBe(0);
    const r = await draw(s.token, l.id);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'promotions.no_draws_left', details: { limit: 'total' } });
  });

  it('refuses outside the window or when disabled (409 promotions.lottery_not_open); unknown 404; staff 403; anonymous 401', async () => {
    const admin = await adminToken();
    const s = await shopper('lot-closed');
    const upcoming = await lottery([nonePrize()], { startsAt: at(DAY), endsAt: at(2 * DAY) });
    const early = await draw(s.token, upcoming.id);
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'promotions.lottery_not_open', details: { state: 'upcoming' } });
    const live = await lottery([nonePrize()]);
    const off = await api('PATCH', `/admin/v1/lotteries/${live.id}`, { token: admin, body: { status: 'disabled' } });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ status: 'disabled', state: 'disabled' });
    expect((await draw(s.token, live.id)).body.error.code).toBe('promotions.lottery_not_open');
    expect((await api('GET', `/store/v1/lotteries/${live.id}`)).status).toBe(404);
    expect((await api('PATCH', `/admin/v1/lotteries/${live.id}`, { token: admin, body: { status: 'active' } })).body.state).toBe('live');
    expect((await draw(s.token, live.id)).status).toBe(201);
    expect((await api('PATCH', `/admin/v1/lotteries/${live.id}`, { token: admin, body: { name: 'x' } })).status).toBe(400);
    expect((await draw(s.token, 'lot_doesnotexist00')).status).toBe(404);
    expect((await draw(admin, live.id)).status).toBe(403);
    expect((await api('POST', `/store/v1/lotteries/${live.id}/draw`, { headers: { 'idempotency-key': key() } })).status).toBe(401);
  });
});

describe('drawLottery under load', () => {
  it('40 shoppers in parallel for a coupon prize of stock 5: exactly 5 awarded, 5 coupons issued, 40 draws recorded', async () => {
    const t = await couponTemplate({ amountOff: 300, totalQuantity: 100 });
    // The 'none' prize has weight 0: while coupons last every pick is the coupon, so "exactly 5"
    // holds with certainty; once they are gone 'none' is what every draw gets.
    const l = await lottery([{ name: '3元券', kind: 'coupon', couponTemplateId: t.id, weight: 1_000_000, stock: 5 }, nonePrize(0)]);
    const shoppers = await Promise.all([...Array(40).keys()].map((i) => shopper(`lot-race-${i}`)));
    const results = await Promise.all(shoppers.map((s) => draw(s.token, l.id)));
    expect(results.map((r) => r.status)).toEqual(Array(40).fill(201));
    const winners = results.filter((r) => r.body.prize.kind === 'coupon');
    expect(winners.length).toBe(5);
    expect(results.filter((r) => r.body.prize.kind === 'none').length).toBe(35);
    expect(new Set(winners.map((r) => r.body.coupon.id)).size).toBe(5);
    expect((await one<{ awarded: number }>('SELECT awarded FROM lottery_prizes WHERE id = ?', l.prizes[0].id)).awarded).toBe(5);
    expect(await count('SELECT count(*) AS n FROM lottery_draws WHERE lottery_id = ?', l.id)).toBe(40);
    expect(
      await count("SELECT count(*) AS n FROM user_coupons WHERE template_id = ? AND channel = 'lottery' AND grant_key LIKE 'draw:%'", t.id),
    ).toBe(5);
    expect((await one<{ issued_count: number }>('SELECT issued_count FROM coupon_templates WHERE id = ?', t.id)).issued_count).toBe(5);
    // each winner holds the coupon their draw names
    for (const w of winners) {
      const c = await one<{ user_id: string; grant_key: string }>(
        'SELECT user_id, grant_key FROM user_coupons WHERE id = ?',
        w.body.coupon.id,
      );
      expect(c.grant_key).toBe(`draw:${w.body.drawId}`);
      expect(c.user_id).toBe(shoppers[results.indexOf(w)]!.userId);
    }
    const admin = await api('GET', `/admin/v1/lotteries/${l.id}`, { token: await adminToken() });
    expect(admin.body).toMatchObject({ budgetUsed: 1500, draws: 40 });
    expect(admin.body.prizes.map((p: any) => [p.kind, p.awarded, p.available])).toEqual([
      ['coupon', 5, false],
      ['none', 35, true],
    ]);
    expect((await api('GET', `/store/v1/lotteries/${l.id}`)).body.prizes.map((p: any) => p.available)).toEqual([false, true]);
  });

  it('a coupon template that runs out first limits the prize (template CHECK), with no draw failing', async () => {
    const t = await couponTemplate({ totalQuantity: 3 });
    const l = await lottery([{ name: '5元券', kind: 'coupon', couponTemplateId: t.id, weight: 1, stock: 50 }]);
    const shoppers = await Promise.all([...Array(12).keys()].map((i) => shopper(`lot-tpl-${i}`)));
    const results = await Promise.all(shoppers.map((s) => draw(s.token, l.id)));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(results.filter((r) => r.body.prize.kind === 'coupon').length).toBe(3);
    // no 'none' prize in this lottery: the others get 谢谢参与 without a prize id
    expect(
      results.filter((r) => r.body.prize.kind === 'none').every((r) => r.body.prize.id === null && r.body.prize.name === '谢谢参与'),
    ).toBe(true);
    expect((await one<{ issued_count: number }>('SELECT issued_count FROM coupon_templates WHERE id = ?', t.id)).issued_count).toBe(3);
    expect((await one<{ awarded: number }>('SELECT awarded FROM lottery_prizes WHERE id = ?', l.prizes[0].id)).awarded).toBe(3);
  });

  it('a budget that fits only 3 prizes awards at most 3 (and the points land with the winners)', async () => {
    const l = await lottery([{ name: '100积分', kind: 'points', points: 100, value: 100, weight: 1, stock: 100 }, nonePrize(0)], {
      budget: 350,
    });
    const shoppers = await Promise.all([...Array(10).keys()].map((i) => shopper(`lot-budget-${i}`)));
    const results = await Promise.all(shoppers.map((s) => draw(s.token, l.id)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(201));
    const won = results.filter((r) => r.body.prize.kind === 'points');
    expect(won.length).toBe(3);
    expect(won.every((r) => r.body.points === 100)).toBe(true);
    expect((await one<{ budget_used: number }>('SELECT budget_used FROM lotteries WHERE id = ?', l.id)).budget_used).toBe(300);
    for (const [i, r] of results.entries()) {
      const balance = (await api('GET', '/store/v1/me/points', { token: shoppers[i]!.token })).body.balance;
      expect(balance).toBe(r.body.prize.kind === 'points' ? 100 : 0);
    }
  });

  it("charges the lottery's campaign budget too: a campaign that fits 2 prizes awards 2", async () => {
    const c = await campaign(250);
    const l = await lottery([{ name: '100积分', kind: 'points', points: 100, value: 100, weight: 1, stock: 100 }, nonePrize(0)], {
      campaignId: c.id,
    });
    const shoppers = await Promise.all([...Array(6).keys()].map((i) => shopper(`lot-camp-${i}`)));
    const results = await Promise.all(shoppers.map((s) => draw(s.token, l.id)));
    expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(results.filter((r) => r.body.prize.kind === 'points').length).toBe(2);
    expect((await one<{ budget_used: number }>('SELECT budget_used FROM campaigns WHERE id = ?', c.id)).budget_used).toBe(200);
  });
});

describe('goods prizes and draw lists', () => {
  it('a goods prize waits in the admin list as to_ship and is shipped once', async () => {
    const admin = await adminToken();
    const { skuId } = await sellable(9900, 5);
    const l = await lottery([
      { name: '保温杯', kind: 'goods', skuId, value: 9900, weight: 1, stock: 1, imageUrl: 'https://img.example.com/cup.png' },
      nonePrize(0),
    ]);
    const s = await shopper('lot-goods');
    const won = await draw(s.token, l.id);
    expect(won.body).toMatchObject({
      prize: { kind: 'goods', name: '保温杯', imageUrl: 'https://img.example.com/cup.png' },
      fulfilment: 'to_ship',
      coupon: null,
    });
    const loser = await draw((await shopper('lot-goods-2')).token, l.id);
    expect(loser.body.prize.kind).toBe('none');

    const queue = await api('GET', `/admin/v1/lotteries/${l.id}/draws?fulfilment=to_ship`, { token: admin });
    expect(queue.status).toBe(200);
    expect(queue.body.items).toEqual([
      expect.objectContaining({ id: won.body.drawId, userId: s.userId, skuId, prizeKind: 'goods', fulfilment: 'to_ship' }),
    ]);
    // winners only by default; winners=false lists every draw
    expect((await api('GET', `/admin/v1/lotteries/${l.id}/draws`, { token: admin })).body.items.length).toBe(1);
    expect((await api('GET', `/admin/v1/lotteries/${l.id}/draws?winners=false`, { token: admin })).body.items.length).toBe(2);

    const ship = () =>
      api('POST', `/admin/v1/lottery-draws/${won.body.drawId}/ship`, { token: admin, body: { note: '顺丰 SF1234567890' } });
    const first = await ship();
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ fulfilment: 'shipped', shipNote: '顺丰 SF1234567890', shippedAt: expect.any(String) });
    const again = await ship();
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await api('GET', `/admin/v1/lotteries/${l.id}/draws?fulfilment=to_ship`, { token: admin })).body.items).toEqual([]);
    const notGoods = await api('POST', `/admin/v1/lottery-draws/${loser.body.drawId}/ship`, { token: admin });
    expect(notGoods.status).toBe(409);
    expect(notGoods.body.error.code).toBe('promotions.not_a_goods_prize');
    expect((await api('POST', '/admin/v1/lottery-draws/drw_doesnotexist00/ship', { token: admin })).status).toBe(404);
    expect((await api('POST', `/admin/v1/lottery-draws/${won.body.drawId}/ship`, { token: await staffToken('support') })).status).toBe(403);
    const mine = await api('GET', '/store/v1/me/lottery-draws', { token: s.token });
    expect(mine.body.items[0]).toMatchObject({
      drawId: won.body.drawId,
      lotteryName: l.name,
      fulfilment: 'shipped',
      prize: { imageUrl: 'https://img.example.com/cup.png' },
    });
  });

  it('a shopper lists only their own draws, newest first, paginated', async () => {
    const l = await lottery([nonePrize()], { freeDrawsPerDay: 3 });
    const a = await shopper('lot-mine-a');
    const b = await shopper('lot-mine-b');
    const drawn: string[] = [];
    for (let i = 0; i < 3; i++) drawn.push((await draw(a.token, l.id)).body.drawId);
    const theirs = (await draw(b.token, l.id)).body.drawId;
    const page1 = await api('GET', `/store/v1/me/lottery-draws?limit=2&lotteryId=${l.id}`, { token: a.token });
    const page2 = await api('GET', `/store/v1/me/lottery-draws?limit=2&lotteryId=${l.id}&cursor=${page1.body.nextCursor}`, {
      token: a.token,
    });
    const all = [...page1.body.items, ...page2.body.items].map((d: any) => d.drawId);
    expect(all.sort()).toEqual([...drawn].sort());
    expect(page2.body.nextCursor).toBeNull();
    const bList = await api('GET', '/store/v1/me/lottery-draws', { token: b.token });
    expect(bList.body.items.map((d: any) => d.drawId)).toEqual([theirs]);
    expect((await api('GET', '/store/v1/me/lottery-draws')).status).toBe(401);
  });
});

describe('OpenAPI', () => {
  it('documents the lottery and points operations with their fixed operationIds', async () => {
    const doc = (await api('GET', '/openapi.json')).body;
    const ops = Object.entries(doc.paths as Record<string, Record<string, { operationId: string }>>).flatMap(([path, m]) =>
      Object.entries(m).map(([verb, op]) => `${verb} ${path} ${op.operationId}`),
    );
    expect(ops).toEqual(
      expect.arrayContaining([
        'post /admin/v1/lotteries createLottery',
        'get /admin/v1/lotteries listLotteries',
        'get /admin/v1/lotteries/{lotteryId} getLotteryAdmin',
        'patch /admin/v1/lotteries/{lotteryId} updateLottery',
        'get /admin/v1/lotteries/{lotteryId}/draws listLotteryDraws',
        'post /admin/v1/lottery-draws/{drawId}/ship markPrizeShipped',
        'get /store/v1/lotteries/{lotteryId} getLottery',
        'post /store/v1/lotteries/{lotteryId}/draw drawLottery',
        'get /store/v1/me/lottery-draws listMyLotteryDraws',
        'get /store/v1/me/points getMyPoints',
        'post /admin/v1/users/{userId}/points adjustPoints',
      ]),
    );
  });
});
