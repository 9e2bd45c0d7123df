import { SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, adminToken, env, staffToken } from '../../test/helpers';
import { app } from '../app';
import { DEMO_PRODUCTS, MARKER_PRODUCT_TITLE, TEA_MERCHANT } from './demo-seed-data';
import { shopperWithAddress } from '../../test/shop';
import { systemCtx } from '../../test/ctx';
import { actorFromToken } from '../domains/auth/auth.service';
import type { Env } from '../shared/env';
import { signInDemoShoppers } from './demo-shoppers';
import { seedDemoDeals } from './demo-deals';

const SEED = '/admin/v1/dev/seed-demo';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Row counts of everything the seed writes, straight from D1. */
async function counts() {
  const one = async (sql: string) => (await env.DB.prepare(sql).first<{ n: number }>())!.n;
  return {
    categories: await one('SELECT COUNT(*) AS n FROM categories'),
    products: await one('SELECT COUNT(*) AS n FROM products'),
    skus: await one('SELECT COUNT(*) AS n FROM skus'),
    media: await one('SELECT COUNT(*) AS n FROM media_objects'),
    merchants: await one('SELECT COUNT(*) AS n FROM merchants'),
    users: await one('SELECT COUNT(*) AS n FROM users'),
    addresses: await one('SELECT COUNT(*) AS n FROM addresses'),
    flashSales: await one('SELECT COUNT(*) AS n FROM flash_sales'),
    groupBuys: await one('SELECT COUNT(*) AS n FROM group_buy_deals'),
    teams: await one('SELECT COUNT(*) AS n FROM group_buy_teams'),
    checkouts: await one('SELECT COUNT(*) AS n FROM checkouts'),
    orders: await one('SELECT COUNT(*) AS n FROM orders'),
    payments: await one('SELECT COUNT(*) AS n FROM payments'),
    shipments: await one('SELECT COUNT(*) AS n FROM shipments'),
    afterSales: await one('SELECT COUNT(*) AS n FROM aftersales'),
    refunds: await one('SELECT COUNT(*) AS n FROM refunds'),
  };
}

/** Every order the admin console lists (all pages). */
async function adminOrders(token: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const r: { status: number; body: any } = await api(
      'GET',
      `/admin/v1/orders?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    expect(r.status).toBe(200);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return items;
}

/** Every on-sale product the storefront lists (all pages). */
async function storeProducts(query = ''): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const r: { status: number; body: any } = await api(
      'GET',
      `/store/v1/products?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    expect(r.status).toBe(200);
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return items;
}

describe('demo shop seed (POST /admin/v1/dev/seed-demo)', () => {
  let admin: string;
  let first: any;
  let firstMs = 0;

  beforeAll(async () => {
    admin = await adminToken();
  });

  it('is 404 everywhere but sandbox: absent from a production app, dev.disabled with sandbox off, before any auth check', async () => {
    const post = (overrides: Record<string, string>, token?: string) =>
      app.fetch(
        new Request(`http://edgemall.test${SEED}`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} }),
        { ...env, ...overrides },
      );
    for (const overrides of [{ ENVIRONMENT: 'production' }, { ENVIRONMENT: 'production', SANDBOX: 'true' }, { SANDBOX: 'false' }] as Record<
      string,
      string
    >[]) {
      const expected = overrides.ENVIRONMENT === 'production' ? 'not_found' : 'dev.disabled';
      for (const token of [undefined, admin]) {
        const res = await post(overrides, token);
        expect(res.status).toBe(404);
        expect(((await res.json()) as any).error.code).toBe(expected);
      }
    }
    expect((await counts()).products).toBe(0);
  });

  it('needs a signed-in admin: anonymous 401, operator 403', async () => {
    expect((await api('POST', SEED)).status).toBe(401);
    const op = await staffToken('operator');
    const r = await api('POST', SEED, { token: op });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('auth.forbidden');
    expect((await counts()).products).toBe(0);
  });

  it('seeds a 3-level category tree and every demo product, on sale with an image', async () => {
    const t0 = Date.now();
    const r = await api('POST', SEED, { token: admin });
    firstMs = Date.now() - t0;
    console.info(`demo seed took ${firstMs} ms`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    first = r.body;
    const skuCount = DEMO_PRODUCTS.reduce((n, p) => n + p.skus.length, 0);
    expect(first).toEqual({
      alreadySeeded: false,
      categories: expect.any(Number),
      products: DEMO_PRODUCTS.length,
      skus: skuCount,
      images: DEMO_PRODUCTS.length,
      merchants: 1,
      promotions: 12,
      campaignId: expect.stringMatching(/^cmp_/),
      shoppers: 3,
      flashSales: 4,
      groupBuys: 2,
      teams: 2,
      orders: 6,
      // points rules, 15 history entries, 2 balances, the order paid with points and balance
      points: 19,
      referrals: 6,
      crowdShoppers: 240,
      crowdOrders: expect.any(Number),
      reviews: 9,
    });
    expect(first.crowdOrders).toBeGreaterThan(240);
    // 社区评测: photos, a follow-up, replies, and one held for moderation (它的"最好")
    const rv = await env.DB.prepare(
      `SELECT sum(status = 'pending') AS held, sum(has_media) AS media, count(append_text) AS appended, count(reply_text) AS replied FROM reviews`,
    ).first<{ held: number; media: number; appended: number; replied: number }>();
    expect(rv).toEqual({ held: 1, media: 4, appended: 1, replied: 3 });
    expect(first.categories).toBeGreaterThanOrEqual(5 + 12);
    const spent = await env.DB.prepare("SELECT count(*) AS n FROM points_ledger WHERE reason = 'checkout'").first<{ n: number }>();
    expect(spent!.n).toBe(1);

    const levels = await env.DB.prepare('SELECT level, COUNT(*) AS n FROM categories GROUP BY level ORDER BY level').all<{
      level: number;
      n: number;
    }>();
    expect(levels.results.map((l) => l.level)).toEqual([1, 2, 3]);
    expect(levels.results[0]!.n).toBeGreaterThanOrEqual(5);
    expect(levels.results[2]!.n).toBeGreaterThanOrEqual(12);
    // Products hang only under leaves, and every leaf has products.
    const badPlacement = await env.DB.prepare(
      'SELECT COUNT(*) AS n FROM products p JOIN categories c ON c.id = p.category_id WHERE c.level <> 3',
    ).first<{ n: number }>();
    expect(badPlacement!.n).toBe(0);

    const tea = await env.DB.prepare('SELECT name FROM merchants WHERE id = ?').bind(TEA_MERCHANT.id).first<{ name: string }>();
    expect(tea?.name).toBe('山野茶铺');
    const teaProducts = await env.DB.prepare('SELECT COUNT(*) AS n FROM products WHERE merchant_id = ?')
      .bind(TEA_MERCHANT.id)
      .first<{ n: number }>();
    expect(teaProducts!.n).toBeGreaterThanOrEqual(2);
  }, 60_000); // with the generated crowd (demo-segments.ts) the first seed takes 20–40 s on a busy machine

  it('the storefront lists ≥ 50 on-sale products whose main images are served as PNG', async () => {
    const items = await storeProducts();
    expect(items.length).toBeGreaterThanOrEqual(50);
    // + the compliance demo's spot-checked tea with an open notice (demo-compliance.ts; its overdue one is off sale, its held one in review)
    expect(items.length).toBe(DEMO_PRODUCTS.length + 1);
    // A few at a time, as a browser would, rather than 60+ streamed R2 reads at once.
    const images: { title: string; status: number; type: string | null; bytes: Uint8Array }[] = [];
    for (let i = 0; i < items.length; i += 6) {
      images.push(
        ...(await Promise.all(
          items.slice(i, i + 6).map(async (p) => {
            expect(p.status).toBe('on_sale');
            expect(p.mainImage?.url).toMatch(/\/media\//);
            const res = await SELF.fetch(`http://edgemall.test${new URL(p.mainImage.url, 'http://edgemall.test').pathname}`);
            return {
              title: p.title,
              status: res.status,
              type: res.headers.get('content-type'),
              bytes: new Uint8Array(await res.arrayBuffer()),
            };
          }),
        )),
      );
    }
    for (const img of images) {
      expect(img.status, img.title).toBe(200);
      expect(img.type).toBe('image/png');
      expect([...img.bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      // 400×400 from the IHDR chunk
      const view = new DataView(img.bytes.buffer, img.bytes.byteOffset);
      expect([view.getUint32(16), view.getUint32(20)]).toEqual([400, 400]);
    }
    // Products differ in colour, so their images differ too.
    expect(new Set(images.map((i) => i.bytes.length)).size).toBeGreaterThan(10);
  });

  it('the detail page has compliance fields, prices in fen and a sold-out product; low-stock alerts are open', async () => {
    const [cup] = (await api('GET', `/store/v1/products?q=${encodeURIComponent(MARKER_PRODUCT_TITLE.split(' ')[0]!)}`)).body.items;
    const detail = await api('GET', `/store/v1/products/${cup.id}`);
    expect(detail.status).toBe(200);
    expect(detail.body.material).not.toBe('');
    expect(detail.body.origin).toBe('浙江永康');
    expect(detail.body.categoryPath.map((c: any) => c.name)).toEqual(['家居生活', '厨房用品', '保温杯']);
    expect(detail.body.skus).toHaveLength(6);
    for (const s of detail.body.skus) {
      expect(Number.isInteger(s.price)).toBe(true);
      expect(s.originalPrice).toBeGreaterThanOrEqual(s.price);
    }

    const soldOut = await storeProducts('&inStock=false');
    expect(soldOut.length).toBeGreaterThanOrEqual(1);

    const alerts = await api('GET', '/admin/v1/inventory-alerts?status=open&limit=100', { token: admin });
    expect(alerts.status).toBe(200);
    expect(alerts.body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('search finds the seeded cup (保温杯) and 2-character words (水杯, 毛巾, 耳机)', async () => {
    const r = await api('GET', `/store/v1/products?q=${encodeURIComponent('保温杯')}`);
    expect(r.status).toBe(200);
    expect(r.body.items.map((p: any) => p.title)).toContain(MARKER_PRODUCT_TITLE);
    for (const word of ['水杯', '毛巾', '耳机']) {
      const hit = await api('GET', `/store/v1/products?q=${encodeURIComponent(word)}`);
      expect(hit.status).toBe(200);
      expect(hit.body.items.length, word).toBeGreaterThanOrEqual(2);
      for (const p of hit.body.items) expect(`${p.title} ${p.subtitle}`, word).toContain(word);
    }
  });

  it('限时秒杀: one sale live now and rounds (场次) still to come, with their units in the Durable Object', async () => {
    const r = await api('GET', '/store/v1/flash-sales');
    expect(r.status).toBe(200);
    const live = r.body.items.filter((s: any) => s.state === 'live');
    const upcoming = r.body.items.filter((s: any) => s.state === 'upcoming');
    expect(live.length).toBeGreaterThanOrEqual(1);
    expect(live[0].remaining).toBe(live[0].allocated);
    expect(live[0].salePrice).toBeLessThan(live[0].originalPrice);
    expect(upcoming.length).toBeGreaterThanOrEqual(3);
    // The rounds share a series and are named after their Beijing start time.
    expect(new Set(upcoming.map((s: any) => s.seriesId)).size).toBe(1);
    for (const s of upcoming) expect(s.roundLabel).toMatch(/^(10|14|20):00场$/);
    expect(Date.parse(upcoming[0].startsAt)).toBeGreaterThan(Date.now());
  });

  it('拼团: two live deals, each with an open team a demo shopper opened and paid, waiting for members', async () => {
    const r = await api('GET', '/store/v1/group-buys');
    expect(r.status).toBe(200);
    expect(r.body.items.length).toBeGreaterThanOrEqual(2);
    for (const deal of r.body.items) {
      expect(deal.state).toBe('live');
      expect(deal.teams.open).toBeGreaterThanOrEqual(1);
      const teams = await api('GET', `/store/v1/group-buys/${deal.id}/teams`);
      expect(teams.body.items.length).toBeGreaterThanOrEqual(1);
      const team = await api('GET', `/store/v1/group-buy-teams/${teams.body.items[0].id}`);
      expect(team.body).toMatchObject({ status: 'open', size: deal.groupSize });
      expect(team.body.paidCount).toBeGreaterThanOrEqual(1);
      expect(team.body.seatsLeft).toBeGreaterThanOrEqual(1);
    }
  });

  it('the console lists orders in every state: unpaid, to ship, shipped with tracking, completed last week, after-sale in progress, refunded', async () => {
    const orders = await adminOrders(admin);
    // The generated crowd's history (demo-segments.ts) is not what this test is about.
    const crowd = await env.DB.prepare(
      "SELECT o.id FROM orders o JOIN checkouts c ON c.id = o.checkout_id WHERE c.request_hash = 'demo'",
    ).all<{ id: string }>();
    const crowdIds = new Set(crowd.results.map((r) => r.id));
    const plain = orders.filter((o) => o.promo === null && !crowdIds.has(o.id));
    const one = (status: string) => {
      const o = plain.find((x) => x.status === status);
      expect(o, `a ${status} order`).toBeTruthy();
      return o;
    };
    expect(Date.parse(one('pending_payment').expiresAt)).toBeGreaterThan(Date.now());
    expect(one('paid').paidTotal).toBeGreaterThan(0);

    const shipped = one('shipped');
    const tracking = await api('GET', `/admin/v1/orders/${shipped.id}/tracking`, { token: admin });
    expect(tracking.body.items[0].trackingNo).toMatch(/^YTO\d{12}$/);
    expect(tracking.body.items[0].events.map((e: any) => e.status)).toEqual(['in_transit', 'picked_up']);

    // One completed last week (another carries the after-sale; 老带新 friends' first orders are older).
    one('completed');
    const details = await Promise.all(
      plain.filter((o) => o.status === 'completed').map(async (o) => (await api('GET', `/admin/v1/orders/${o.id}`, { token: admin })).body),
    );
    const age = (o: any) => Date.now() - Date.parse(o.completedAt);
    const completed = { body: details.find((o) => age(o) > 4 * 86_400_000 && age(o) < 14 * 86_400_000) };
    expect(completed.body, 'an order completed last week').toBeTruthy();
    expect(completed.body.timeline.map((e: any) => e.type)).toEqual(
      expect.arrayContaining(['paid', 'shipped', 'delivered', 'receipt_confirmed']),
    );
    // Every demo order's timeline reads in the order it was lived: placed, paid, then the rest
    // (the payment is stamped by WeChat's notification with the real time, the rest by the seed).
    for (const o of plain) {
      const types = (await api('GET', `/admin/v1/orders/${o.id}`, { token: admin })).body.timeline.map((e: any) => e.type);
      expect(types[0], o.orderNo).toBe('created');
      if (types.includes('paid')) expect(types[1], `${o.orderNo}: ${types.join(' → ')}`).toBe('paid');
    }

    const refunded = plain.find((o) => o.status === 'closed' && o.refundedTotal > 0);
    expect(refunded?.refundedTotal).toBe(refunded?.paidTotal);

    const pending = await api('GET', '/admin/v1/after-sales?status=requested', { token: admin });
    expect(pending.body.items.length).toBeGreaterThanOrEqual(1);
    const asked = plain.find((o) => o.id === pending.body.items[0].orderId);
    expect(asked?.status).toBe('completed');

    // The teams' orders: paid, waiting for their team (待成团), not counted as ready to ship.
    const teamOrders = orders.filter((o) => o.promo?.type === 'group_buy');
    expect(teamOrders.length).toBeGreaterThanOrEqual(3);
    for (const o of teamOrders) expect([o.status, o.awaitingGroup]).toEqual(['paid', true]);
  });

  it("the dashboard shows today's sales, the shipping backlog and earlier days of the week", async () => {
    const r = await api('GET', '/admin/v1/dashboard', { token: admin });
    expect(r.status).toBe(200);
    // The teams' three orders were paid just now; the others are spread over the week (so the
    // figures hold whatever the time of day in Beijing).
    expect(r.body.today.paidOrders).toBeGreaterThanOrEqual(3);
    expect(r.body.today.gmv).toBeGreaterThan(0);
    expect(r.body.pendingShipments).toBeGreaterThanOrEqual(1);
    expect(r.body.series.filter((d: any) => d.orders > 0).length).toBeGreaterThanOrEqual(3);
  });

  it('用户分层 and the 回归礼包 report show the crowd: every layer filled, packs issued weeks ago and shoppers back', async () => {
    const seg = await api('GET', '/admin/v1/member-segments', { token: admin });
    expect(seg.status).toBe(200);
    const layers = seg.body.items.filter((s: any) => s.kind === 'layer');
    for (const l of layers) expect(l.size, l.id).toBeGreaterThan(10);
    expect(layers.reduce((n: number, l: any) => n + l.size, 0)).toBeGreaterThanOrEqual(240);
    expect(layers.find((l: any) => l.id === 'layer:dormant').trend.length).toBeGreaterThanOrEqual(8);
    expect(seg.body.items.filter((s: any) => s.kind === 'custom').length).toBeGreaterThanOrEqual(2);
    const report = await api('GET', '/admin/v1/win-back/report?weeks=12', { token: admin });
    expect(report.body.totals.packsIssued).toBeGreaterThan(10);
    expect(report.body.totals.returned).toBeGreaterThan(0);
    expect(report.body.totals.cost).toBeGreaterThan(0);
  });

  it('a demo shopper signs in on H5 with their phone and finds their orders', async () => {
    const sent = await api('POST', '/store/v1/auth/sms-code', { body: { phone: '13700000001' } });
    expect(sent.status).toBe(200);
    const login = await api('POST', '/store/v1/auth/sms-login', { body: { phone: '13700000001', code: sent.body.sandboxCode } });
    expect(login.status).toBe(200);
    const mine = await api('GET', '/store/v1/orders', { token: login.body.accessToken });
    expect(mine.body.items.map((o: any) => o.status).sort()).toEqual(['completed', 'paid', 'pending_payment']);
  });

  it('签到与任务: the rules, the task centre and shoppers with check-in history (林晓 is one day off the day-7 bonus)', async () => {
    const tasks = await api('GET', '/admin/v1/tasks', { token: admin });
    expect(tasks.body.items.map((t: any) => t.title)).toEqual(expect.arrayContaining(['浏览商品15秒', '完成首单', '完善个人资料']));
    const stats = await api('GET', '/admin/v1/checkin/stats?days=14', { token: admin });
    expect(stats.body.days.filter((d: any) => d.checkins >= 5).length).toBeGreaterThanOrEqual(7);
    const sent = await api('POST', '/store/v1/auth/sms-code', { body: { phone: '13700000001' } });
    const login = await api('POST', '/store/v1/auth/sms-login', { body: { phone: '13700000001', code: sent.body.sandboxCode } });
    const cal = await api('GET', '/store/v1/me/checkin/calendar', { token: login.body.accessToken });
    expect(cal.body).toMatchObject({ checkedInToday: false, currentStreak: 6, todayReward: { bonusPoints: 30 } });
  });

  it('内容: scene guides on the storefront and home, the 春节 topic scheduled ahead, a low performer on the calendar', async () => {
    const list = await api('GET', '/store/v1/articles');
    const titles = list.body.items.map((a: any) => a.title);
    expect(titles).toEqual(expect.arrayContaining(['职场穿搭指南', '家庭清洁必备清单']));
    expect(titles).not.toContain('春节年货清单');
    const guide = list.body.items.find((a: any) => a.title === '职场穿搭指南');
    const page = await api('GET', `/store/v1/articles/${guide.id}`);
    expect(page.body.products.length).toBeGreaterThanOrEqual(3);
    const home = await api('GET', '/store/v1/home/sections');
    expect(home.body.items.map((s: any) => s.kind)).toEqual(['banner', 'topic_entry', 'product_rail']);
    const content = await api('GET', '/admin/v1/content/articles', { token: admin });
    const byTitle = new Map(content.body.items.map((c: any) => [c.title, c]));
    expect(byTitle.get('春节年货清单')).toMatchObject({ status: 'scheduled', live: false, seasonTag: '春节' });
    // the guides went public up to 6 days ago, the 春节 topic goes public in 5 days
    const month = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7);
    const months = [month(Date.now() - 7 * 86_400_000), month(Date.now() + 6 * 86_400_000)];
    const cal = await api('GET', `/admin/v1/content/calendar?from=${months[0]}&to=${months[1]}`, { token: admin });
    const items = cal.body.days.flatMap((d: any) => d.items);
    expect(items.find((i: any) => i.title === '家庭清洁必备清单')).toMatchObject({ lowPerformer: true });
    expect(items.find((i: any) => i.title === '职场穿搭指南')).toMatchObject({ lowPerformer: false });
    expect(cal.body.unscheduled.map((i: any) => i.title)).toContain('情人节礼物灵感');
  });

  it("客服: the FAQ and canned replies, an open ticket about 王芳's parcel after the bot gave its tracking, a rated closed one", async () => {
    expect((await api('GET', '/admin/v1/support/faqs', { token: admin })).body.items.length).toBeGreaterThanOrEqual(7);
    expect((await api('GET', '/admin/v1/support/canned-replies', { token: admin })).body.items.length).toBeGreaterThanOrEqual(3);
    const open = (await api('GET', '/admin/v1/support/tickets?status=open', { token: admin })).body.items;
    const card = open.find((t: any) => t.subject.includes('手写贺卡'));
    expect(card.orderId).toBeTruthy();
    const thread = (await api('GET', `/admin/v1/support/tickets/${card.id}`, { token: admin })).body.messages;
    expect(thread.find((m: any) => m.source === 'intent:logistics').body).toContain('广州转运中心');
    const closed = (await api('GET', '/admin/v1/support/tickets?status=closed', { token: admin })).body.items;
    expect(closed.some((t: any) => t.rating === 5)).toBe(true);
  });

  it('a second run reports alreadySeeded and creates nothing', async () => {
    const before = await counts();
    const t0 = Date.now();
    const r = await api('POST', SEED, { token: admin });
    console.info(`second demo seed run took ${Date.now() - t0} ms`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      alreadySeeded: true,
      categories: 0,
      products: 0,
      skus: 0,
      images: 0,
      merchants: 0,
      promotions: 0,
      campaignId: first.campaignId,
      shoppers: 0,
      flashSales: 0,
      groupBuys: 0,
      teams: 0,
      orders: 0,
      points: 0,
      referrals: 0,
      crowdShoppers: 0,
      crowdOrders: 0,
      reviews: 0,
    });
    expect(await counts()).toEqual(before);
  });

  it('双十一: the home shows the campaign, a new shopper holds the new-user pack, the quote shows each discount line, the wheel draws', async () => {
    const home = await api('GET', '/store/v1/home/campaign');
    expect(home.body.campaign).toMatchObject({ id: first.campaignId, name: '双十一狂欢节' });
    expect(home.body.campaign.banners).toHaveLength(2);
    const banner = await SELF.fetch(`http://edgemall.test${home.body.campaign.banners[0].imageUrl}`);
    expect(banner.headers.get('content-type')).toBe('image/png');

    const s = await shopperWithAddress(`demo-${crypto.randomUUID()}`);
    const mine = await api('GET', '/store/v1/me/coupons', { token: s.token });
    expect(mine.body.items.map((c: { name: string }) => c.name).sort()).toEqual(
      ['新人专享 无门槛5元', '新人专享 满199减40', '新人专享 满99减15', '新人专享 运费券'].sort(),
    );

    // The 保温杯 at 限时8折 (no 满减 on it) plus another ¥199+ of goods: 满减, the best new-user coupon, free shipping.
    const [cup] = (await api('GET', `/store/v1/products?q=${encodeURIComponent('316不锈钢保温杯')}`)).body.items;
    const cupSku = (await api('GET', `/store/v1/products/${cup.id}`)).body.skus.find((k: { stock: number }) => k.stock > 0);
    const others = (await storeProducts()).filter(
      (p: { id: string; merchantId: string; minPrice: number; inStock: boolean }) =>
        p.id !== cup.id && p.merchantId === cup.merchantId && p.minPrice >= 10000 && p.inStock,
    );
    const otherSku = (await api('GET', `/store/v1/products/${others[0].id}`)).body.skus.find((k: { stock: number }) => k.stock > 0);
    const q = await api('POST', '/store/v1/checkout/quote', {
      token: s.token,
      body: {
        addressId: s.addressId,
        items: [
          { skuId: cupSku.id, quantity: 1 },
          { skuId: otherSku.id, quantity: 2 },
        ],
      },
    });
    expect(q.status, JSON.stringify(q.body)).toBe(200);
    const sources = q.body.groups[0].discounts.map((d: { source: string }) => d.source);
    expect(sources).toEqual(expect.arrayContaining(['limited_time', 'full_reduction', 'coupon']));
    expect(q.body.coupons.appliedIds.length).toBeGreaterThan(0);

    const lottery = home.body.campaign.lotteryIds[0];
    const draw = await api('POST', `/store/v1/lotteries/${lottery}/draw`, {
      token: s.token,
      headers: { 'idempotency-key': `draw-${crypto.randomUUID()}` },
    });
    expect(draw.status, JSON.stringify(draw.body)).toBe(201);
  });

  it('completes a partial earlier run without duplicating what exists', async () => {
    // Simulate a run that died before creating one product and one leaf category.
    const victim = DEMO_PRODUCTS.find((p) => p.categoryPath[2] === '坚果炒货')!;
    const leaf = await env.DB.prepare("SELECT id FROM categories WHERE name = '坚果炒货'").first<{ id: string }>();
    const inLeaf = await env.DB.prepare('SELECT id FROM products WHERE category_id = ?').bind(leaf!.id).all<{ id: string }>();
    for (const { id } of inLeaf.results) {
      await env.DB.batch([
        env.DB.prepare('DELETE FROM skus WHERE product_id = ?').bind(id),
        env.DB.prepare('DELETE FROM products WHERE id = ?').bind(id),
      ]);
    }
    await env.DB.prepare('DELETE FROM categories WHERE id = ?').bind(leaf!.id).run();
    const before = await counts();
    const removed = DEMO_PRODUCTS.filter((p) => p.categoryPath[2] === '坚果炒货');
    expect(removed).toContain(victim);

    const r = await api('POST', SEED, { token: admin });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ alreadySeeded: false, categories: 1, products: removed.length, merchants: 0 });
    const after = await counts();
    expect(after.categories).toBe(before.categories + 1);
    expect(after.products).toBe(before.products + removed.length);
    // Exactly one product per demo title and merchant, nothing duplicated.
    const dupes = await env.DB.prepare(
      'SELECT title, merchant_id, COUNT(*) AS n FROM products GROUP BY title, merchant_id HAVING n > 1',
    ).all();
    expect(dupes.results).toEqual([]);
    const dupCats = await env.DB.prepare(
      'SELECT parent_id, name, COUNT(*) AS n FROM categories GROUP BY parent_id, name HAVING n > 1',
    ).all();
    expect(dupCats.results).toEqual([]);
  });

  it('a re-run replaces only what no longer holds: the cancelled unpaid order is placed again, nothing else', async () => {
    const sent = await api('POST', '/store/v1/auth/sms-code', { body: { phone: '13700000001' } });
    const lin = (await api('POST', '/store/v1/auth/sms-login', { body: { phone: '13700000001', code: sent.body.sandboxCode } })).body
      .accessToken;
    const [unpaid] = (await api('GET', '/store/v1/orders?status=pending_payment', { token: lin })).body.items;
    expect((await api('POST', `/store/v1/orders/${unpaid.id}/cancel`, { token: lin })).status).toBe(200);
    const before = await counts();

    const r = await api('POST', SEED, { token: admin });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ alreadySeeded: false, shoppers: 0, flashSales: 0, groupBuys: 0, teams: 0, orders: 1 });
    const after = await counts();
    expect(after).toEqual({ ...before, checkouts: before.checkouts + 1, orders: before.orders + 1 });
    const again = (await api('GET', '/store/v1/orders?status=pending_payment', { token: lin })).body.items;
    expect(again.map((o: any) => o.id)).not.toContain(unpaid.id);
    expect(again).toHaveLength(1);
  });

  it('four hours later the live sale has ended: a new one starts then, right after it, and the rounds to come are kept', async () => {
    const later = Date.now() + 4 * 3_600_000;
    const ctx = { ...systemCtx(later), actor: await actorFromToken(systemCtx(), admin) };
    const signedIn = await signInDemoShoppers(ctx);
    const deliver = async (req: Request) => app.fetch(req, env as Env);
    const result = await seedDemoDeals(ctx, signedIn.shoppers, deliver);
    await signedIn.signOut();
    expect(result).toEqual({ flashSales: 1, groupBuys: 0, teams: 0 });

    const all = (await api('GET', '/admin/v1/flash-sales?limit=100', { token: admin })).body.items;
    const byProduct = new Map<string, any[]>();
    for (const s of all) byProduct.set(s.productId, [...(byProduct.get(s.productId) ?? []), s]);
    for (const sales of byProduct.values()) {
      const windows = sales
        .map((s: any) => [Date.parse(s.startsAt), Date.parse(s.endsAt)])
        .sort((a: number[], b: number[]) => a[0]! - b[0]!);
      for (let i = 1; i < windows.length; i++) expect(windows[i]![0]).toBeGreaterThanOrEqual(windows[i - 1]![1]!);
    }
    // the always-live sale, not the rounds (场次): at some times of day `later` falls inside a round
    const liveThen = all.filter((s: any) => !s.roundLabel && Date.parse(s.startsAt) <= later && later < Date.parse(s.endsAt));
    expect(liveThen).toHaveLength(1);
    expect(all.filter((s: any) => Date.parse(s.startsAt) > later).length).toBeGreaterThanOrEqual(1);
  });
});
