import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, env, shopperToken, staffToken } from '../../../../test/helpers';
import { systemCtx } from '../../../../test/ctx';
import { sellable, shopperWithAddress, idem } from '../../../../test/shop';
import { tierIdsOf } from './lookup';
import { afterOrderFinal } from '../../../flows/order-final';
import { shanghaiDateStart } from '../../../shared/calendar';
import { addMonths } from './period';
import { runBirthdayGifts, runTierReviews } from './cron.service';
import { membershipOf } from './membership.service';
import { supportPriorityOf } from './tiers.service';
import { pointsBalance } from '../points.service';
import { profileComplete } from '../../users/users.service';
import { encodePng } from '../../../dev/png';

const HOUR = 3_600_000;
const uid = () => crypto.randomUUID().slice(0, 8);

let admin: string;
const tier: Record<'normal' | 'silver' | 'gold' | 'diamond', string> = { normal: '', silver: '', gold: '', diamond: '' };
let birthdayTpl: string;

const createTier = (token: string, body: unknown) => api('POST', '/admin/v1/member-tiers', { token, body });

async function shopper(code = `tier-${uid()}`) {
  const token = await shopperToken(code);
  const me = await api('GET', '/store/v1/me', { token });
  return { token, userId: me.body.id as string };
}

/** The final-order hooks for a made-up order of `userId` (what settlement calls). */
const final = (userId: string, netPaid: number, now = Date.now(), orderId = `ord_t${uid()}${uid()}`) =>
  afterOrderFinal(systemCtx(now), { orderId, userId, merchantId: 'mch_platform', netPaid, completedAt: now }).then(() => orderId);

const changes = async (userId: string) =>
  (
    await env.DB.prepare('SELECT reason, to_name FROM member_tier_changes WHERE user_id = ? ORDER BY created_at, rowid')
      .bind(userId)
      .all<{ reason: string; to_name: string }>()
  ).results.map((r) => `${r.reason}:${r.to_name}`);

beforeAll(async () => {
  admin = await adminToken();
  const tpl = await api('POST', '/admin/v1/coupon-templates', {
    token: admin,
    body: {
      name: '生日礼券 满100减20',
      kind: 'amount_off',
      threshold: 10000,
      amountOff: 2000,
      validDays: 30,
      totalQuantity: 1000,
      channels: ['member_perk'],
    },
  });
  expect(tpl.status).toBe(201);
  birthdayTpl = tpl.body.id;
  const ladder = [
    { key: 'normal', body: { name: '普通会员', rank: 0, threshold: 0, iconName: 'leaf', iconColor: '#8c8c8c' } },
    {
      key: 'silver',
      body: { name: '银卡会员', rank: 1, threshold: 500, iconName: 'medal', iconColor: '#a0a7b4', perks: { pointsMultiplier: 120 } },
    },
    {
      key: 'gold',
      body: {
        name: '金卡会员',
        rank: 2,
        threshold: 2000,
        iconName: 'crown',
        iconColor: '#d4a017',
        perks: {
          discountRate: 98,
          freeShippingThreshold: 5000,
          pointsMultiplier: 150,
          birthdayGift: { kind: 'coupon', couponTemplateId: birthdayTpl },
        },
      },
    },
    {
      key: 'diamond',
      body: {
        name: '钻石会员',
        rank: 3,
        threshold: 8000,
        iconName: 'diamond',
        iconColor: '#5b8ff9',
        perks: {
          memberPrice: true,
          discountRate: 95,
          freeShippingThreshold: 0,
          pointsMultiplier: 200,
          birthdayGift: { kind: 'points', points: 500 },
          supportPriority: 5,
        },
      },
    },
  ] as const;
  for (const t of ladder) {
    const r = await createTier(admin, t.body);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    tier[t.key] = r.body.id;
  }
});

describe('tier configuration', () => {
  it('lists tiers with perks in Chinese; keeps the ladder ordered; disabling moves members down', async () => {
    const list = await api('GET', '/admin/v1/member-tiers', { token: await staffToken('support') });
    expect(list.status).toBe(200);
    expect(list.body.items.map((t: any) => t.name)).toEqual(['普通会员', '银卡会员', '金卡会员', '钻石会员']);
    const gold = list.body.items[2];
    expect(gold.perks).toMatchObject({ discountRate: 98, freeShippingThreshold: 5000, pointsMultiplier: 150 });
    expect(gold.perkLines.map((p: any) => p.title)).toEqual(['9.8折', '满50元包邮', '1.5倍积分', '生日礼券']);
    expect(gold.perkLines[3].description).toContain('生日礼券 满100减20');

    // a higher rank needs a higher threshold; two active tiers cannot share a rank
    const order = await createTier(admin, { name: '黑卡', rank: 9, threshold: 1000 });
    expect(order.status).toBe(409);
    expect(order.body.error.code).toBe('members.tier_order');
    const taken = await createTier(admin, { name: '黑卡', rank: 3, threshold: 90000 });
    expect(taken.body.error.code).toBe('members.rank_taken');
    const badUpdate = await api('PATCH', `/admin/v1/member-tiers/${tier.silver}`, { token: admin, body: { threshold: 3000 } });
    expect(badUpdate.body.error.code).toBe('members.tier_order');
    const noTpl = await createTier(admin, {
      name: '黑卡',
      rank: 9,
      threshold: 90000,
      perks: { birthdayGift: { kind: 'coupon', couponTemplateId: 'cpt_nope0000' } },
    });
    expect(noTpl.status).toBe(400);
    expect(noTpl.body.error.code).toBe('members.coupon_template_not_found');

    const black = await createTier(admin, { name: '黑卡会员', rank: 9, threshold: 90000, iconName: 'gem', iconColor: '#222222' });
    expect(black.status).toBe(201);
    const renamed = await api('PATCH', `/admin/v1/member-tiers/${black.body.id}`, {
      token: admin,
      body: { name: '黑金会员', perks: { supportPriority: 9 } },
    });
    expect(renamed.body).toMatchObject({ name: '黑金会员', perks: { supportPriority: 9, pointsMultiplier: 100 } });
    const s = await shopper();
    expect(
      (await api('POST', `/admin/v1/users/${s.userId}/member-tier`, { token: admin, body: { tierId: black.body.id, reason: '大客户' } }))
        .status,
    ).toBe(200);
    expect(await supportPriorityOf(systemCtx(), s.userId)).toBe(9);
    const off = await api('POST', `/admin/v1/member-tiers/${black.body.id}/disable`, { token: admin });
    expect(off.body.status).toBe('disabled');
    const m = await api('GET', '/store/v1/me/membership', { token: s.token });
    expect(m.body.tier.name).toBe('钻石会员');
    expect(m.body.recentChanges.map((c: any) => `${c.reason}:${c.toTier.name}`)).toEqual(['admin:钻石会员', 'admin:黑金会员']);
    expect(m.body.recentChanges[0].note).toBe('等级「黑金会员」停用');
    expect(await supportPriorityOf(systemCtx(), s.userId)).toBe(5);
  });

  it('validates input and authorises: support reads but cannot write, shoppers and merchants are refused', async () => {
    for (const bad of [
      {},
      { name: '', rank: 5, threshold: 1 },
      { name: 'x', rank: -1, threshold: 1 },
      { name: 'x', rank: 5, threshold: 1.5 },
      { name: 'x', rank: 5, threshold: 1, iconColor: 'gold' },
      { name: 'x', rank: 5, threshold: 1, perks: { discountRate: 100 } },
      { name: 'x', rank: 5, threshold: 1, perks: { birthdayGift: { kind: 'points', points: 0 } } },
    ]) {
      const r = await createTier(admin, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error.code).toBe('validation.failed');
    }
    const support = await staffToken('support');
    const s = await shopper();
    const body = { name: '测试', rank: 50, threshold: 999999 };
    expect((await createTier(support, body)).status).toBe(403);
    expect((await createTier(s.token, body)).status).toBe(403);
    expect((await createTier('', body)).status).toBe(401);
    const mch = `mch_${uid()}${uid()}`;
    await env.DB.prepare("INSERT INTO merchants (id, name, status, commission_bps, created_at) VALUES (?, '商家', 'active', 500, 0)")
      .bind(mch)
      .run();
    expect((await api('GET', '/admin/v1/member-tiers', { token: await staffToken('merchant', mch) })).status).toBe(403);
    expect((await api('GET', `/admin/v1/users/${s.userId}/membership`, { token: support })).status).toBe(200);
    expect((await api('GET', `/admin/v1/member-search?q=${s.userId}`, { token: support })).body.items).toHaveLength(1);
    expect(
      (await api('POST', `/admin/v1/users/${s.userId}/member-tier`, { token: support, body: { tierId: tier.gold, reason: 'x' } })).status,
    ).toBe(403);
    expect((await api('POST', `/admin/v1/users/${s.userId}/growth`, { token: support, body: { delta: 5, reason: 'x' } })).status).toBe(403);
    expect(
      (
        await api('PUT', '/admin/v1/member-growth-settings', {
          token: support,
          body: { growthPerYuan: 1, growthPerOrder: 1, pointsPerYuan: 1, reviewMonths: 12 },
        })
      ).status,
    ).toBe(403);
    expect((await api('GET', `/admin/v1/users/${s.userId}/membership`, { token: s.token })).status).toBe(403);
    expect((await api('GET', '/store/v1/me/membership')).status).toBe(401);
    expect((await api('GET', '/store/v1/me/membership', { token: admin })).status).toBe(403);
    for (const bad of [{ delta: 0, reason: 'x' }, { delta: 5, reason: '' }, { delta: 5 }])
      expect((await api('POST', `/admin/v1/users/${s.userId}/growth`, { token: admin, body: bad })).status).toBe(400);
    expect((await api('POST', `/admin/v1/users/${s.userId}/member-tier`, { token: admin, body: { tierId: tier.gold } })).status).toBe(400);
    expect(
      (
        await api('PUT', '/admin/v1/member-growth-settings', {
          token: admin,
          body: { growthPerYuan: 1, growthPerOrder: 1, pointsPerYuan: 1, reviewMonths: 0 },
        })
      ).status,
    ).toBe(400);
    expect((await api('GET', '/admin/v1/member-search?q=', { token: admin })).status).toBe(400);
    const ghost = await api('POST', '/admin/v1/users/usr_nobody000000000/growth', { token: admin, body: { delta: 5, reason: 'x' } });
    expect(ghost.body.error.code).toBe('members.user_not_found');
  });
});

describe('growth, order points and upgrades', () => {
  it('an order that becomes final earns growth and points once (redelivered, concurrent) and upgrades at once', async () => {
    const s = await shopper();
    const first = await final(s.userId, 60_000); // ¥600: growth 600 + 10, points 600 (普通 ×1)
    let m = await api('GET', '/store/v1/me/membership', { token: s.token });
    expect(m.body).toMatchObject({
      growth: 610,
      points: 600,
      tier: { name: '银卡会员' },
      nextTier: { name: '金卡会员' },
      growthToNext: 1390,
    });
    // redelivery of the same order, sequentially and as a burst: nothing more
    await final(s.userId, 60_000, Date.now(), first);
    await Promise.all([0, 1, 2, 3, 4].map(() => final(s.userId, 60_000, Date.now(), first)));
    m = await api('GET', '/store/v1/me/membership', { token: s.token });
    expect(m.body).toMatchObject({ growth: 610, points: 600 });

    // a burst of different orders: every one counts, and the upgrade is decided on the final sum
    await Promise.all([0, 1, 2].map(() => final(s.userId, 50_000))); // 3 × 510 growth; points ×1.2 (银卡): 3 × 600
    m = await api('GET', '/store/v1/me/membership', { token: s.token });
    expect(m.body).toMatchObject({ growth: 2140, points: 2400, tier: { name: '金卡会员', icon: { name: 'crown', color: '#d4a017' } } });
    expect(m.body.perks.map((p: any) => p.key)).toEqual(['discount', 'free_shipping', 'points', 'birthday']);
    expect(m.body.recentChanges.map((c: any) => c.reason)).toEqual(['upgrade', 'upgrade']);
    expect(m.body.recentChanges[0].reasonText).toBe('成长值达到金卡会员');
    expect(Date.parse(m.body.reviewAt)).toBe(addMonths(Date.parse(m.body.tierSince), 12));
    expect(await changes(s.userId)).toEqual(['upgrade:银卡会员', 'upgrade:金卡会员']);
    // gold earns ×1.5: ¥100 → 150 points
    await final(s.userId, 10_000);
    expect(await pointsBalance(systemCtx(), s.userId)).toBe(2550);
    // a fully refunded order earns nothing
    await final(s.userId, 0);
    expect((await api('GET', '/store/v1/me/membership', { token: s.token })).body.growth).toBe(2250);
  });

  it('downgrades only at the review, exactly once, to the tier the period earned; keeps and renews otherwise', async () => {
    const t0 = Date.now();
    const s = await shopper();
    await final(s.userId, 211_000, t0); // 2120 growth → 金卡, review at t0 + 12 months
    const review1 = addMonths(t0, 12);
    // mid-period: growth taken away and the cron runs — no downgrade
    expect(
      (await api('POST', `/admin/v1/users/${s.userId}/growth`, { token: admin, body: { delta: -2000, reason: '退货冲减' } })).status,
    ).toBe(201);
    await runTierReviews(systemCtx(review1 - HOUR));
    expect((await membershipOf(systemCtx(review1 - HOUR), s.userId)).tier!.name).toBe('金卡会员');
    expect(
      (await api('POST', `/admin/v1/users/${s.userId}/growth`, { token: admin, body: { delta: 2000, reason: '撤销冲减' } })).status,
    ).toBe(201);

    // the review: 2120 earned in the period ≥ 2000 → kept and renewed; run twice, concurrently too
    await Promise.all([runTierReviews(systemCtx(review1 + HOUR)), runTierReviews(systemCtx(review1 + HOUR))]);
    await runTierReviews(systemCtx(review1 + 2 * HOUR));
    let m = await membershipOf(systemCtx(review1 + HOUR), s.userId);
    expect(m.tier!.name).toBe('金卡会员');
    expect(m.reviewAt).toBe(new Date(addMonths(review1, 12)).toISOString());
    expect(await changes(s.userId)).toEqual(['upgrade:金卡会员', 'review_keep:金卡会员']);

    // the next period earns 610 only: at its review → 银卡, once
    await final(s.userId, 60_000, addMonths(t0, 18));
    const review2 = addMonths(review1, 12);
    expect((await membershipOf(systemCtx(review2 - HOUR), s.userId)).tier!.name).toBe('金卡会员');
    await runTierReviews(systemCtx(review2 + HOUR));
    await runTierReviews(systemCtx(review2 + HOUR));
    m = await membershipOf(systemCtx(review2 + HOUR), s.userId);
    expect(m.tier!.name).toBe('银卡会员');
    expect(m.recentChanges[0]).toMatchObject({ reason: 'review_downgrade', growth: 610, reasonText: '保级未达标，降为银卡会员' });
    // and a period with nothing → the lowest tier, which has no review
    await runTierReviews(systemCtx(addMonths(review2, 12) + HOUR));
    m = await membershipOf(systemCtx(addMonths(review2, 12) + HOUR), s.userId);
    expect(m.tier!.name).toBe('普通会员');
    expect(m.reviewAt).toBeNull();
    expect(await changes(s.userId)).toEqual([
      'upgrade:金卡会员',
      'review_keep:金卡会员',
      'review_downgrade:银卡会员',
      'review_downgrade:普通会员',
    ]);
  });

  it('staff set a tier and adjust growth with a reason; adjustments are idempotent on ref', async () => {
    const s = await shopper();
    const set = await api('POST', `/admin/v1/users/${s.userId}/member-tier`, {
      token: admin,
      body: { tierId: tier.gold, reason: '企业客户' },
    });
    expect(set.status).toBe(200);
    expect(set.body.tier.name).toBe('金卡会员');
    const again = await api('POST', `/admin/v1/users/${s.userId}/member-tier`, {
      token: admin,
      body: { tierId: tier.gold, reason: '企业客户' },
    });
    expect(again.body.error.code).toBe('members.tier_unchanged');
    const body = { delta: 300, reason: '线下消费补录', ref: 'offline-2026-001' };
    const burst = await Promise.all([0, 1, 2, 3].map(() => api('POST', `/admin/v1/users/${s.userId}/growth`, { token: admin, body })));
    expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    expect(burst[0]!.body.growth).toBe(300);
    const over = await api('POST', `/admin/v1/users/${s.userId}/growth`, { token: admin, body: { delta: -301, reason: '冲减' } });
    expect(over.body.error.code).toBe('members.not_enough_growth');
    const clash = await api('POST', `/admin/v1/users/${s.userId}/growth`, { token: admin, body: { ...body, delta: 5 } });
    expect(clash.body.error.code).toBe('members.ref_conflict');
    const detail = await api('GET', `/admin/v1/users/${s.userId}/membership`, { token: admin });
    expect(detail.body).toMatchObject({ growth: 300, tier: { name: '金卡会员' }, supportPriority: 0 });
    expect(detail.body.recentChanges[0]).toMatchObject({ reason: 'admin', note: '企业客户', toTier: { name: '金卡会员' } });
    expect(detail.body.growthEntries).toHaveLength(1);
    // settings: saved rules apply to the next final order
    const saved = await api('PUT', '/admin/v1/member-growth-settings', {
      token: admin,
      body: { growthPerYuan: 2, growthPerOrder: 0, pointsPerYuan: 3, reviewMonths: 12 },
    });
    expect(saved.status).toBe(200);
    await final(s.userId, 10_000); // growth 200; points 100 × 3 × 1.5
    expect(await pointsBalance(systemCtx(), s.userId)).toBe(450);
    await api('PUT', '/admin/v1/member-growth-settings', {
      token: admin,
      body: { growthPerYuan: 1, growthPerOrder: 10, pointsPerYuan: 1, reviewMonths: 12 },
    });
  });
});

describe('tiers in bulk (member segments)', () => {
  it('tierIdsOf: the tier a shopper was set to, the lowest tier for one without a state', async () => {
    const [g, plain] = [await shopper(), await shopper()];
    expect(
      (await api('POST', `/admin/v1/users/${g.userId}/member-tier`, { token: admin, body: { tierId: tier.gold, reason: '测试' } })).status,
    ).toBe(200);
    const m = await tierIdsOf(systemCtx(), [g.userId, plain.userId, g.userId]);
    expect(Object.fromEntries(m)).toEqual({ [g.userId]: tier.gold, [plain.userId]: tier.normal });
    expect(await tierIdsOf(systemCtx(), [])).toEqual(new Map());
  });
});

describe('perks at checkout', () => {
  it('quotes the tier discount, the better member price and the tier free shipping; the order keeps them', async () => {
    const { skuId } = await sellable(3000, 20);
    const { skuId: memberSku } = await sellable(10000, 20, {
      skus: [{ specValues: [], price: 10000, memberPrice: 9000, stock: 20, lowStockThreshold: 0, weightG: 500 }],
    });
    const plain = await shopperWithAddress();
    const gold = await shopperWithAddress();
    const diamond = await shopperWithAddress();
    for (const [u, t] of [
      [gold, tier.gold],
      [diamond, tier.diamond],
    ] as const)
      expect(
        (await api('POST', `/admin/v1/users/${u.userId}/member-tier`, { token: admin, body: { tierId: t, reason: '测试' } })).status,
      ).toBe(200);
    const quote = (u: { token: string; addressId: string }, items: unknown) =>
      api('POST', '/store/v1/checkout/quote', { token: u.token, body: { addressId: u.addressId, items } });

    const p = await quote(plain, [{ skuId, quantity: 2 }]);
    expect(p.body).toMatchObject({ discountTotal: 0, shippingTotal: 800, payableTotal: 6800 });
    const g1 = await quote(gold, [{ skuId, quantity: 1 }]); // 3000 − 60, below the ¥50 threshold
    expect(g1.body.groups[0].discounts).toEqual([{ source: 'member_discount', sourceId: tier.gold, label: '金卡会员9.8折', amount: 60 }]);
    expect(g1.body).toMatchObject({ shippingTotal: 800, payableTotal: 3740 });
    const g2 = await quote(gold, [{ skuId, quantity: 2 }]); // 6000 − 120 ≥ ¥50: ships free
    expect(g2.body).toMatchObject({ discountTotal: 120, shippingTotal: 0, payableTotal: 5880 });
    expect(g2.body.groups[0].shipping).toMatchObject({ fee: 0, free: true, reason: '金卡会员满¥50包邮' });
    // 钻石: member price 9000 beats 95折 (9500); always free shipping
    const d = await quote(diamond, [
      { skuId: memberSku, quantity: 1 },
      { skuId, quantity: 1 },
    ]);
    const labels = d.body.groups.flatMap((g: any) => g.discounts.map((x: any) => `${x.source}:${x.label}:${x.amount}`)).sort();
    expect(labels).toEqual(['member_discount:钻石会员9.5折:150', 'member_price:会员价:1000']);
    expect(d.body.shippingTotal).toBe(0);
    // the order keeps what the quote said
    const o = await api('POST', '/store/v1/orders', {
      token: gold.token,
      body: { addressId: gold.addressId, items: [{ skuId, quantity: 2 }], expectedPayableTotal: 5880 },
      headers: idem(),
    });
    expect(o.status, JSON.stringify(o.body)).toBe(201);
    const order = await api('GET', `/store/v1/orders/${o.body.orders[0].id}`, { token: gold.token });
    expect(order.body).toMatchObject({ payableTotal: 5880, discountTotal: 120, shippingFee: 0 });
    expect(order.body.discounts).toEqual([{ source: 'member_discount', sourceId: tier.gold, label: '金卡会员9.8折', amount: 120 }]);
  });
});

describe('birthday gifts and the profile', () => {
  it('grants the tier gift once on the Beijing birthday: the cron twice the same day, then next year', async () => {
    const s = await shopper();
    expect(
      (await api('PATCH', '/store/v1/me/profile', { token: s.token, body: { birthday: '1990-03-17', gender: 'female' } })).status,
    ).toBe(200);
    await api('POST', `/admin/v1/users/${s.userId}/member-tier`, { token: admin, body: { tierId: tier.diamond, reason: '测试' } });
    const year = new Date().getUTCFullYear() + 1;
    const day = shanghaiDateStart(`${year}-03-17`);
    const before = await runBirthdayGifts(systemCtx(day - HOUR)); // 16 March, 23:00 Beijing
    expect(before.granted).toBe(0);
    const r = await Promise.all([runBirthdayGifts(systemCtx(day + 9 * HOUR)), runBirthdayGifts(systemCtx(day + 9 * HOUR))]);
    expect(r[0].granted + r[1].granted).toBe(1);
    await runBirthdayGifts(systemCtx(day + 20 * HOUR));
    expect(await pointsBalance(systemCtx(), s.userId)).toBe(500);
    const next = shanghaiDateStart(`${year + 1}-03-17`);
    expect((await runBirthdayGifts(systemCtx(next + HOUR))).granted).toBe(1);
    expect(await pointsBalance(systemCtx(), s.userId)).toBe(1000);

    // a gold shopper gets the coupon, with the grant key of the year
    const g = await shopper();
    await api('PATCH', '/store/v1/me/profile', { token: g.token, body: { birthday: '1992-03-18' } });
    await api('POST', `/admin/v1/users/${g.userId}/member-tier`, { token: admin, body: { tierId: tier.gold, reason: '测试' } });
    expect((await runBirthdayGifts(systemCtx(shanghaiDateStart(`${year}-03-18`) + HOUR))).granted).toBe(1);
    const coupons = await env.DB.prepare('SELECT template_id, channel, grant_key FROM user_coupons WHERE user_id = ?').bind(g.userId).all();
    expect(coupons.results).toEqual([{ template_id: birthdayTpl, channel: 'member_perk', grant_key: `birthday:${g.userId}:${year}` }]);
    const detail = await api('GET', `/admin/v1/users/${g.userId}/membership`, { token: admin });
    expect(detail.body.birthdayGifts[0]).toMatchObject({ year, kind: 'coupon', status: 'granted' });
  });

  it('updateMyProfile validates, shows in getMe, allows one birthday change a year; profileComplete follows', async () => {
    const s = await shopper();
    for (const bad of [
      {},
      { birthday: '1990-02-30' },
      { birthday: '2999-01-01' },
      { nickname: 'x'.repeat(21) },
      { gender: 'other' },
      { avatarKey: 'nope' },
    ]) {
      const r = await api('PATCH', '/store/v1/me/profile', { token: s.token, body: bad });
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await api('PATCH', '/store/v1/me/profile', { body: { nickname: 'x' } })).status).toBe(401);
    const set = await api('PATCH', '/store/v1/me/profile', {
      token: s.token,
      body: { nickname: '小鱼', birthday: '1995-06-18', gender: 'male' },
    });
    expect(set.body).toMatchObject({ nickname: '小鱼', birthday: '1995-06-18', gender: 'male' });
    expect(set.body.birthdayChangeableFrom).toBeTruthy();
    // the first change after setting is refused for a year; concurrent changes cannot sneak through
    const changes = await Promise.all(
      ['1995-06-19', '1995-06-20'].map((b) => api('PATCH', '/store/v1/me/profile', { token: s.token, body: { birthday: b } })),
    );
    expect(changes.map((r) => r.status)).toEqual([409, 409]);
    expect(changes[0]!.body.error.code).toBe('users.birthday_locked');
    expect((await api('GET', '/store/v1/me', { token: s.token })).body.birthday).toBe('1995-06-18');
    // a year on, one change passes
    await env.DB.prepare('UPDATE users SET birthday_set_at = ? WHERE id = ?')
      .bind(Date.now() - 366 * 86_400_000, s.userId)
      .run();
    const twice = await Promise.all(
      ['1995-06-19', '1995-06-20'].map((b) => api('PATCH', '/store/v1/me/profile', { token: s.token, body: { birthday: b } })),
    );
    expect(twice.map((r) => r.status).sort()).toEqual([200, 409]);

    expect(await profileComplete(systemCtx(), s.userId)).toBe(false); // no avatar, no phone
    const png = await encodePng(4, 4, () => [200, 30, 30]);
    const up = await api('POST', '/store/v1/me/avatar', { token: s.token, raw: png, headers: { 'content-type': 'image/png' } });
    expect(up.status).toBe(201);
    const other = await shopper();
    expect((await api('PATCH', '/store/v1/me/profile', { token: other.token, body: { avatarKey: up.body.key } })).status).toBe(400);
    const withAvatar = await api('PATCH', '/store/v1/me/profile', { token: s.token, body: { avatarKey: up.body.key } });
    expect(withAvatar.body.avatarUrl).toContain(up.body.key);
    await env.DB.prepare("UPDATE users SET phone_hash = 'h-' || id WHERE id = ?").bind(s.userId).run();
    expect(await profileComplete(systemCtx(), s.userId)).toBe(true);
  });
});
