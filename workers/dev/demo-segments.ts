// The demo shop's crowd: a few hundred shoppers with a year of order history, so 用户分层, the
// segments and the 回归礼包 report show real numbers. Going through checkout and the WeChat Pay
// sandbox for a thousand backdated orders would take minutes, so — like backdate.ts — this dev
// seed writes the crowd's users and completed (settled) orders directly, then lets the real
// nightly segmentation run as of past weeks: the layers, their trend, the packs and their
// notices are the product's own. Shoppers who "came back" get a return order that used their
// pack coupon. Production code never does any of this.
import type { Ctx } from '../shared/context';
import { DAY_MS } from '../shared/calendar';
import { encryptPii } from '../shared/crypto';
import { requireSecret } from '../shared/env';
import { newId } from '../shared/ids';
import { createAddress, listAddresses } from '../domains/addresses/addresses.service';
import { CreateAddressInput } from '../domains/addresses/dto';
import { newOrderNo } from '../domains/orders/order-create';
import { promotionIdByName } from '../domains/promotions/names';
import { CreateCouponTemplateInput } from '../domains/promotions/coupons/dto';
import { createCouponTemplate } from '../domains/promotions/coupons/templates.service';
import { rerunSegmentationToday, runNightlySegmentation } from '../domains/members/segments/nightly';
import { getSegmentSettings, updateSegmentSettings } from '../domains/members/segments/settings.service';
import { createSegment, listSegments } from '../domains/members/segments/segments.service';
import { createTag, listTags, tagUsers } from '../domains/members/segments/tags.service';

const CROWD = 240;
const PACK_NAME = '专属回归礼包 满99减20';
const WEEKS_BACK = 8;
const CITIES: [string, string, string][] = [
  ['浙江省', '杭州市', '西湖区'],
  ['上海市', '上海市', '浦东新区'],
  ['北京市', '北京市', '朝阳区'],
  ['广东省', '深圳市', '南山区'],
  ['广东省', '广州市', '天河区'],
  ['四川省', '成都市', '武侯区'],
  ['江苏省', '南京市', '鼓楼区'],
  ['湖北省', '武汉市', '洪山区'],
];
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const GIVEN = ['晓', '雨', '子', '欣', '嘉', '思', '一', '浩', '婷', '宇', '佳', '明', '静', '磊', '悦', '然'];

/** A small seeded PRNG (mulberry32): the same crowd every time. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoSegmentsResult {
  /** crowd shoppers created by this call */
  shoppers: number;
  /** their orders written by this call */
  orders: number;
}

interface Sku {
  id: string;
  productId: string;
  title: string;
  specKey: string;
  price: number;
  merchantId: string;
  mediaKey: string | null;
}

/**
 * Seeds the crowd once (looked up by the first crowd shopper's openid; a run that died half-way
 * is completed), the win-back pack and two sample segments, then today's layers. Runs as the admin.
 */
export async function seedDemoSegments(ctx: Ctx): Promise<DemoSegmentsResult> {
  const t0 = Date.now();
  const result: DemoSegmentsResult = { shoppers: 0, orders: 0 };
  sealed.clear();
  const done = await ctx.env.DB.prepare("SELECT 1 AS x FROM segment_runs WHERE day = 'demo-crowd'").first();
  await ensurePackSettings(ctx);
  if (!done) {
    const skus = await demoSkus(ctx);
    if (skus.length === 0) return result;
    const crowd = await ensureCrowd(ctx, result);
    await writeHistory(ctx, crowd, skus, result);
    await livePastWeeks(ctx, skus);
    // A marker row: the crowd's history is complete (segment_runs days are dates, so it never clashes).
    await ctx.env.DB.prepare("INSERT OR IGNORE INTO segment_runs (day, phase, cursor, started_at) VALUES ('demo-crowd', 'done', '', ?1)")
      .bind(ctx.now)
      .run();
  }
  await ensureSampleSegments(ctx);
  await rerunSegmentationToday(ctx, { maxSteps: 1000 });
  ctx.log.info('demo segments seeded', { ...result, ms: Date.now() - t0 });
  return result;
}

async function ensurePackSettings(ctx: Ctx): Promise<void> {
  let id = await promotionIdByName(ctx, 'coupon_template', PACK_NAME);
  if (!id) {
    const input = CreateCouponTemplateInput.parse({
      name: PACK_NAME,
      kind: 'amount_off',
      threshold: 9900,
      amountOff: 2000,
      validDays: 14,
      totalQuantity: 1_000_000,
      channels: ['segment'],
      claimStartsAt: new Date(ctx.now - 60_000).toISOString(),
      claimEndsAt: new Date(ctx.now + 365 * DAY_MS).toISOString(),
      scope: { type: 'all' },
    });
    id = (await createCouponTemplate(ctx, input)).id;
  }
  const s = await getSegmentSettings(ctx);
  if (!s.updatedAt)
    await updateSegmentSettings(ctx, {
      newDays: s.newDays,
      dormantDays: s.dormantDays,
      lostDays: s.lostDays,
      winBack: { enabled: true, templateIds: [id], cooldownDays: 90, returnDays: 30 },
    });
}

async function demoSkus(ctx: Ctx): Promise<Sku[]> {
  const { results } = await ctx.env.DB.prepare(
    `SELECT s.id, s.product_id AS productId, p.title, s.spec_key AS specKey, s.price, p.merchant_id AS merchantId, p.main_media_key AS mediaKey
       FROM skus s JOIN products p ON p.id = s.product_id
      WHERE p.status = 'on_sale' AND p.deleted_at IS NULL AND s.price BETWEEN 1000 AND 60000
      ORDER BY p.title, s.id LIMIT 40`,
  ).all<Sku>();
  return results;
}

interface CrowdShopper {
  userId: string;
  n: number;
  registeredAt: number;
  city: [string, string, string];
}

async function ensureCrowd(ctx: Ctx, result: DemoSegmentsResult): Promise<CrowdShopper[]> {
  const rand = rng(17);
  const plan = Array.from({ length: CROWD }, (_, n) => {
    const name = `${SURNAMES[Math.floor(rand() * SURNAMES.length)]}${GIVEN[Math.floor(rand() * GIVEN.length)]}${GIVEN[Math.floor(rand() * GIVEN.length)]}`;
    // Registered 4–400 days ago; a sixth of the crowd is recent.
    const days = n % 6 === 0 ? 4 + Math.floor(rand() * 24) : 30 + Math.floor(rand() * 370);
    return {
      n,
      name,
      openid: `demo-crowd-${String(n).padStart(3, '0')}`,
      registeredAt: ctx.now - days * DAY_MS,
      city: CITIES[n % CITIES.length]!,
    };
  });
  const d1 = ctx.env.DB;
  for (let i = 0; i < plan.length; i += 50) {
    const part = plan.slice(i, i + 50);
    const res = await d1.batch(
      part.map((p) =>
        d1
          .prepare(
            "INSERT OR IGNORE INTO users (id, openid, nickname, status, created_at, last_login_at) VALUES (?1, ?2, ?3, 'active', ?4, ?4)",
          )
          .bind(newId('usr'), p.openid, p.name, p.registeredAt),
      ),
    );
    result.shoppers += res.reduce((k, r) => k + (r.meta.changes ?? 0), 0);
  }
  const ids = new Map<string, { id: string; createdAt: number }>();
  for (let i = 0; i < plan.length; i += 90) {
    const part = plan.slice(i, i + 90);
    const { results } = await d1
      .prepare(`SELECT id, openid, created_at AS createdAt FROM users WHERE openid IN (${part.map((_, k) => `?${k + 1}`).join(',')})`)
      .bind(...part.map((p) => p.openid))
      .all<{ id: string; openid: string; createdAt: number }>();
    for (const r of results) ids.set(r.openid, r);
  }
  const crowd = plan.map((p) => ({ userId: ids.get(p.openid)!.id, n: p.n, registeredAt: ids.get(p.openid)!.createdAt, city: p.city }));
  // A default address each (through the address book, encrypted like any other), a few at a time.
  for (let i = 0; i < crowd.length; i += 30)
    await Promise.all(
      crowd.slice(i, i + 30).map(async (c) => {
        const as: Ctx = { ...ctx, actor: { kind: 'user', userId: c.userId, sessionId: 'demo-seed' } };
        if ((await listAddresses(as, c.userId)).length) return;
        const [province, city, district] = c.city;
        await createAddress(
          as,
          c.userId,
          CreateAddressInput.parse({
            name: '顾客',
            phone: `1390000${String(c.n).padStart(4, '0')}`,
            province,
            city,
            district,
            detail: `人民路 ${c.n + 1} 号`,
            isDefault: true,
          }),
        );
      }),
    );
  return crowd;
}

/** Order history: each shopper a lifecycle (new, loyal, fading, gone), orders spread over it. */
async function writeHistory(ctx: Ctx, crowd: CrowdShopper[], skus: Sku[], result: DemoSegmentsResult): Promise<void> {
  const rand = rng(42);
  const pending: OrderPlan[] = [];
  for (const c of crowd) {
    const has = await ctx.env.DB.prepare('SELECT 1 AS x FROM orders WHERE user_id = ?1 LIMIT 1').bind(c.userId).first();
    const ageDays = (ctx.now - c.registeredAt) / DAY_MS;
    const kind = rand();
    // lastAgo: days since the last order; count: orders over the shopper's life
    let lastAgo: number;
    let count: number;
    if (ageDays < 30) {
      count = rand() < 0.4 ? 0 : 1;
      lastAgo = 2 + rand() * (ageDays - 3);
    } else if (kind < 0.4) {
      count = 2 + Math.floor(rand() * 8);
      // Never today: the dashboard's "today" is the live demo's, not the crowd's history.
      lastAgo = 2 + rand() * 53;
    } else if (kind < 0.7) {
      count = 1 + Math.floor(rand() * 4);
      lastAgo = 60 + rand() * Math.min(110, ageDays - 60);
    } else if (kind < 0.9) {
      count = 1 + Math.floor(rand() * 3);
      lastAgo = Math.min(ageDays - 1, 180 + rand() * 180);
    } else {
      count = 0;
      lastAgo = 0;
    }
    if (has || count === 0 || lastAgo < 0 || lastAgo > ageDays) continue;
    const first = c.registeredAt + DAY_MS * 0.5;
    const last = ctx.now - lastAgo * DAY_MS;
    for (let k = 0; k < count; k++) {
      const at = count === 1 ? last : first + ((last - first) * k) / (count - 1);
      pending.push({ c, sku: skus[Math.floor(rand() * skus.length)]!, qty: 1 + Math.floor(rand() * 2), paidAt: Math.round(at) });
    }
  }
  for (let i = 0; i < pending.length; i += 50) {
    const stmts = (await Promise.all(pending.slice(i, i + 50).map((p) => orderStatements(ctx, p)))).flat();
    await ctx.env.DB.batch(stmts);
    result.orders += Math.min(50, pending.length - i);
  }
}

interface OrderPlan {
  c: CrowdShopper;
  sku: Sku;
  qty: number;
  paidAt: number;
  /** a pack coupon the order used, with its discount */
  coupon?: { couponId: string; amount: number; label: string };
  /** a deterministic id (return orders), so a rerun does not write it twice */
  id?: string;
}

/** Each crowd shopper's address snapshot, encrypted once (every order of theirs carries the same). */
const sealed = new Map<string, string>();

async function orderStatements(ctx: Ctx, p: OrderPlan): Promise<D1PreparedStatement[]> {
  const d1 = ctx.env.DB;
  const orderId = p.id ?? newId('ord');
  const checkoutId = `chk_${orderId.slice(4)}`;
  const goods = p.sku.price * p.qty;
  const discount = p.coupon?.amount ?? 0;
  const paid = goods - discount;
  const [province, city, district] = p.c.city;
  const address = {
    name: '顾客',
    phone: `1390000${String(p.c.n).padStart(4, '0')}`,
    province,
    city,
    district,
    detail: `人民路 ${p.c.n + 1} 号`,
    postalCode: null,
  };
  let addressEnc = sealed.get(p.c.userId);
  if (!addressEnc) sealed.set(p.c.userId, (addressEnc = await encryptPii(requireSecret(ctx.env, 'PII_KEYS'), JSON.stringify(address))));
  const created = p.paidAt - 60_000;
  const shipped = p.paidAt + 0.5 * DAY_MS;
  const done = p.paidAt + 3 * DAY_MS;
  const discounts = p.coupon ? [{ source: 'coupon', sourceId: p.coupon.couponId, label: p.coupon.label, amount: discount }] : [];
  const stmts = [
    d1
      .prepare(
        "INSERT OR IGNORE INTO checkouts (id, user_id, idempotency_key, request_hash, payable_total, status, expires_at, created_at) VALUES (?1, ?2, ?3, 'demo', ?4, 'paid', ?5, ?6)",
      )
      .bind(checkoutId, p.c.userId, `demo-${orderId}`, paid, created + 30 * 60_000, created),
    d1
      .prepare(
        `INSERT OR IGNORE INTO orders (id, order_no, checkout_id, user_id, merchant_id, status, goods_total, discount_total, shipping_fee, payable_total,
           paid_total, refunded_total, discounts, address_enc, address_region, created_at, expires_at, paid_at, shipped_at, delivered_at, completed_at, settled_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'completed', ?6, ?7, 0, ?8, ?8, 0, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?16)`,
      )
      .bind(
        orderId,
        newOrderNo(p.paidAt),
        checkoutId,
        p.c.userId,
        p.sku.merchantId,
        goods,
        discount,
        paid,
        JSON.stringify(discounts),
        addressEnc,
        province,
        created,
        created + 30 * 60_000,
        p.paidAt,
        shipped,
        Math.min(done, ctx.now),
      ),
    d1
      .prepare(
        `INSERT OR IGNORE INTO order_lines (id, order_id, sku_id, product_id, title, spec_key, media_key, unit_price, quantity, line_total, discount_share, payable)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)`,
      )
      .bind(
        `oln_${orderId.slice(4)}`,
        orderId,
        p.sku.id,
        p.sku.productId,
        p.sku.title,
        p.sku.specKey,
        p.sku.mediaKey,
        p.sku.price,
        p.qty,
        goods,
        discount,
        paid,
      ),
    d1
      .prepare(
        `INSERT OR IGNORE INTO order_events (id, order_id, type, from_status, to_status, actor_type, created_at) VALUES
           (?1 || 'a', ?2, 'created', NULL, 'pending_payment', 'user', ?3), (?1 || 'b', ?2, 'paid', 'pending_payment', 'paid', 'wechat', ?4),
           (?1 || 'c', ?2, 'shipped', 'paid', 'shipped', 'staff', ?5), (?1 || 'd', ?2, 'delivered', 'shipped', 'delivered', 'carrier', ?6),
           (?1 || 'e', ?2, 'receipt_confirmed', 'delivered', 'completed', 'user', ?6)`,
      )
      .bind(`oev_${orderId.slice(4)}`, orderId, created, p.paidAt, shipped, Math.min(done, ctx.now)),
  ];
  if (p.coupon)
    stmts.push(
      d1
        .prepare(
          "UPDATE user_coupons SET status = 'used', checkout_id = ?2, order_id = ?3, used_at = ?4 WHERE id = ?1 AND status = 'available'",
        )
        .bind(p.coupon.couponId, checkoutId, orderId, p.paidAt),
      d1
        .prepare(
          'UPDATE coupon_templates SET used_count = used_count + 1 WHERE id = (SELECT template_id FROM user_coupons WHERE id = ?1 AND order_id = ?2)',
        )
        .bind(p.coupon.couponId, orderId),
    );
  return stmts;
}

/**
 * The nightly run as of each of the past weeks (oldest first), so layer sizes have a trend and
 * shoppers falling asleep got their packs then. About a third of them come back within 2–20
 * days, using the pack coupon on their return order (written before the next week's run).
 */
async function livePastWeeks(ctx: Ctx, skus: Sku[]): Promise<void> {
  const rand = rng(99);
  const crowdById = new Map<string, CrowdShopper>();
  const { results } = await ctx.env.DB.prepare("SELECT id, openid FROM users WHERE openid LIKE 'demo-crowd-%'").all<{
    id: string;
    openid: string;
  }>();
  for (const r of results) {
    const n = Number(r.openid.slice(-3));
    crowdById.set(r.id, { userId: r.id, n, registeredAt: 0, city: CITIES[n % CITIES.length]! });
  }
  for (let w = WEEKS_BACK; w >= 1; w--) {
    const at = ctx.now - w * 7 * DAY_MS;
    const past: Ctx = { ...ctx, now: at };
    await runNightlySegmentation(past, { maxSteps: 1000 });
    const { results: grants } = await ctx.env.DB.prepare(
      "SELECT id, user_id AS userId, coupon_ids AS couponIds, issued_at AS issuedAt FROM win_back_grants WHERE status = 'issued' AND issued_at = ?1",
    )
      .bind(at)
      .all<{ id: string; userId: string; couponIds: string; issuedAt: number }>();
    const returns: OrderPlan[] = [];
    for (const g of grants) {
      const c = crowdById.get(g.userId);
      if (!c || rand() > 0.35) continue;
      const couponId = (JSON.parse(g.couponIds) as string[])[0];
      const paidAt = g.issuedAt + Math.round((2 + rand() * 18) * DAY_MS);
      if (!couponId || paidAt >= ctx.now - 2 * DAY_MS) continue;
      // Enough to reach 满99.
      const sku = skus.filter((s) => s.price >= 9900)[Math.floor(rand() * 5)] ?? skus[0]!;
      const useCoupon = rand() < 0.8;
      returns.push({
        c,
        sku,
        qty: 1,
        paidAt,
        id: `ord_wb${g.id.slice(4)}`,
        coupon: useCoupon && sku.price >= 9900 ? { couponId, amount: 2000, label: PACK_NAME } : undefined,
      });
    }
    if (returns.length) await ctx.env.DB.batch((await Promise.all(returns.map((p) => orderStatements(ctx, p)))).flat());
  }
}

async function ensureSampleSegments(ctx: Ctx): Promise<void> {
  const existing = new Set((await listSegments(ctx)).items.map((s) => s.name));
  const tags = await listTags(ctx);
  let vip = tags.items.find((t) => t.name === '高复购')?.id;
  if (!vip) {
    vip = (await createTag(ctx, '高复购')).id;
    const { results } = await ctx.env.DB.prepare(
      'SELECT user_id AS u FROM member_profiles WHERE order_count >= 6 ORDER BY user_id LIMIT 60',
    ).all<{ u: string }>();
    if (results.length) await tagUsers(ctx, vip, results.map((r) => r.u).slice(0, 100));
  }
  if (!existing.has('杭州高消费客户'))
    await createSegment(ctx, {
      name: '杭州高消费客户',
      description: '默认地址在杭州、累计消费满 500 元',
      rules: { cities: ['杭州市'], minSpend: 50_000 },
    });
  if (!existing.has('沉睡的高复购客户'))
    await createSegment(ctx, {
      name: '沉睡的高复购客户',
      description: '下单 3 次以上、已进入沉睡或流失：值得专门召回',
      rules: { layers: ['dormant', 'lost'], minOrders: 3 },
    });
}
