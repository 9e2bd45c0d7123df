#!/usr/bin/env node
// `npm run bench:everyday`: the paths every shopper (and the console) hits all day, on the flash
// bench's harness, in one run against one workerd, each next to hello. Writes bench/EVERYDAY.md.
// See bench/README.md.
//
//   hello            GET  /bench/hello                       the runtime's ceiling (no app code)
//   product          GET  /store/v1/products/:id             anonymous getProduct, ids in rotation
//   category         GET  /store/v1/products?categoryId=…     a category page of 20 (sub-categories
//                                                            included), categories × sorts in rotation
//   search2/search4  GET  /store/v1/products?q=…             a 2- and a 4-character Chinese query
//   cart             GET  /store/v1/cart                     signed-in getCart, 5 lines, shoppers in rotation
//   quote            POST /store/v1/checkout/quote           the 5-line cart: two promotion rules and a coupon
//   console-*        GET  /admin/v1/orders, /admin/v1/products   the console's lists: its default query and
//                                                            one with a status / keyword filter
//   order            POST /store/v1/orders                   createOrder: the 5 lines in the body, a unique
//                                                            Idempotency-Key each; the orders are counted in D1
//
// With --products N the shop is first grown to N products and --orders M orders by
// bench/seed-scale.mjs (written straight into the local D1 file while workerd is stopped).
// Exit code: 0 ok, 1 error, 2 a measured path answered anything but 2xx (or nothing at all within
// the window), or the orders in D1 do not match the orders the createOrder run was told about.

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  BASE,
  BENCH,
  BUILD,
  ROOT,
  adminLogin,
  applyMigrations,
  build,
  call,
  cleanup,
  configure,
  cpuPerReq,
  createShoppers,
  expect,
  fmtInt,
  fmtMs,
  intFlag,
  listFlag,
  log,
  machine,
  mdTable,
  measure,
  parseFlags,
  pool,
  ratio,
  sleep,
  startServer,
  stateDir,
  statusSummary,
  stopServer,
  workerdPids,
} from './harness.mjs';

const PATHS = [
  'hello',
  'product',
  'category',
  'search2',
  'search4',
  'cart',
  'quote',
  'console-orders',
  'console-orders-status',
  'console-products',
  'console-products-q',
  'order',
];

const USAGE = `usage: npm run bench:everyday -- [flags]

  -c, --connections N   concurrent connections for every path (default 64)
  -d, --duration S      measured seconds per path (default 8)
  -w, --warmup S        warm-up seconds per path, discarded (default 2)
      --only LIST       comma list of: ${PATHS.join(',')}
                        (default all; hello always runs, every ratio is to it)
      --products N      grow the shop to N products first, with bench/seed-scale.mjs (default: the
                        small shop: the demo seed plus the bench's own 48 products)
      --orders M        orders seed-scale writes alongside --products (default 10 × --products)
      --shoppers N      signed-in shoppers for cart, quote and order, each with 5 cart lines and
                        the bench coupon (default 100)
      --product-ids N   product ids getProduct rotates over (default 50)
      --no-demo         skip the demo shop seed (POST /admin/v1/dev/seed-demo)
      --trace N         requests per path traced one at a time for D1 / DO round trips (default 5; 0 = none)
      --port N          port of the workerd socket under test (default 8802)
      --ref REF         build the Worker from a git ref (git archive) instead of the working tree
      --out FILE        where to write the report (default bench/EVERYDAY.md)
      --no-write        print the table only
      --json FILE       also write the results as JSON (bench/scale.mjs reads it)
      --wait-idle S     before each path, wait up to S s for other processes to leave the
                        machine idle (default 120; 0 = don't wait); their CPU use is reported
      --keep-state      keep bench/.build-everyday (bundle, local D1/DO state, workerd log) afterwards`;

const args = parseFlags(
  {
    connections: { type: 'string', short: 'c', default: '64' },
    duration: { type: 'string', short: 'd', default: '8' },
    warmup: { type: 'string', short: 'w', default: '2' },
    only: { type: 'string', default: PATHS.join(',') },
    products: { type: 'string' },
    orders: { type: 'string' },
    shoppers: { type: 'string', default: '100' },
    'product-ids': { type: 'string', default: '50' },
    'no-demo': { type: 'boolean', default: false },
    trace: { type: 'string', default: '5' },
    port: { type: 'string', default: '8802' },
    ref: { type: 'string' },
    out: { type: 'string', default: path.join(BENCH, 'EVERYDAY.md') },
    'no-write': { type: 'boolean', default: false },
    json: { type: 'string' },
    'wait-idle': { type: 'string', default: '120' },
    'keep-state': { type: 'boolean', default: false },
  },
  USAGE,
);
const int = (name, min, max) => intFlag(args, name, min, max);
const CONNECTIONS = int('connections', 1, 10_000);
const DURATION = int('duration', 1, 600);
const WARMUP = int('warmup', 0, 120);
const SHOPPERS = int('shoppers', 1, 100_000);
const PRODUCT_IDS = int('product-ids', 1, 10_000);
const TRACE = int('trace', 0, 100);
const PORT = int('port', 1024, 65535);
const WAIT_IDLE = int('wait-idle', 0, 3600);
const PRODUCTS = args.products === undefined ? null : int('products', 1, 10_000_000);
if (args.orders !== undefined && PRODUCTS === null) (console.error('--orders goes with --products'), process.exit(1));
const ORDERS = PRODUCTS === null ? null : args.orders === undefined ? PRODUCTS * 10 : int('orders', 0, 100_000_000);
const ONLY = listFlag(args.only, PATHS);
ONLY.add('hello');
const SEED_MODULE = path.join(BENCH, 'seed-scale.mjs');
// Checked before anything is built: the scale seed is another piece of work and may not be here yet.
if (PRODUCTS !== null && !existsSync(SEED_MODULE)) {
  console.error(
    `--products needs bench/seed-scale.mjs (export seedScale({ dbPath, products, orders, log }) → { merchantIds, categoryId, productIds, searchWords: { two, four }, shopperIds, orderCounts }), which this checkout does not have yet. Run without --products for the small shop.`,
  );
  process.exit(1);
}
configure({ buildDir: path.join(BENCH, '.build-everyday'), port: PORT, waitIdle: WAIT_IDLE, ref: args.ref });

const results = {}; // path key → { label, ...measure result, extra }
const wpids = () => workerdPids;

// ---------------------------------------------------------------------------------------------
// The local D1 file, for the scale seed (written while workerd is stopped)

/** The SQLite file behind the DB binding in Miniflare's persisted state (one D1 database). */
function d1File() {
  const dir = path.join(stateDir(), 'd1', 'miniflare-D1DatabaseObject');
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite') : [];
  if (files.length !== 1) throw new Error(`expected one D1 database file in ${dir}, found ${files.length}: ${files.join(', ')}`);
  return path.join(dir, files[0]);
}

// ---------------------------------------------------------------------------------------------
// The shop: the bench's own catalog, promotions and shoppers, all through the public API

const DAY = 86_400_000;
/** The bench catalog: a 3-level tree, 12 products under each leaf, 3 colours each. */
const LEAVES = [
  { l2: '杯壶', l3: '保温杯', title: (n) => `山川真空保温水杯 ${n}号`, base: 8900 },
  { l2: '杯壶', l3: '水杯', title: (n) => `清透玻璃水杯 ${n}号`, base: 3900 },
  { l2: '餐厨', l3: '饭盒', title: (n) => `不锈钢保温饭盒 ${n}号`, base: 12900 },
  { l2: '餐厨', l3: '餐具', title: (n) => `釉下彩陶瓷餐具 ${n}号`, base: 15900 },
];
const PER_LEAF = 12;
const SORTS = ['newest', 'sales', 'price_asc'];

async function setupCatalog(admin, tag) {
  const cat = async (name, parentId) =>
    expect(
      await call('POST', '/admin/v1/categories', { token: admin, body: parentId ? { name, parentId } : { name } }),
      201,
      `category ${name}`,
    );
  const l1 = await cat(`压测日用${tag}`);
  const l2 = {};
  for (const name of new Set(LEAVES.map((l) => l.l2))) l2[name] = await cat(name, l1.id);
  const products = [];
  for (const [li, leaf] of LEAVES.entries()) {
    const l3 = await cat(leaf.l3, l2[leaf.l2].id);
    const made = await pool(PER_LEAF, 4, async (n) => {
      const price = leaf.base + n * 300;
      const p = expect(
        await call('POST', '/admin/v1/products', {
          token: admin,
          body: {
            categoryId: l3.id,
            title: `${leaf.title(n + 1)} ${tag}`,
            subtitle: '压测专用 日用好物',
            material: li < 3 ? '316不锈钢' : '陶瓷',
            origin: '浙江永康',
            attributes: { 品牌: '山川', 容量: `${300 + n * 50}ml` },
            specDims: [{ name: '颜色', values: ['白', '黑', '蓝'] }],
            skus: ['白', '黑', '蓝'].map((c, i) => ({
              specValues: [c],
              price: price + i * 100,
              stock: 10_000_000,
              lowStockThreshold: 0,
              weightG: 400,
            })),
            status: 'on_sale',
          },
        }),
        201,
        'create product',
      );
      return { id: p.id, skuId: p.skus[0].id, price, leaf: li };
    });
    products.push(...made);
  }
  log(`bench catalog: category ${l1.id} (2 sub-categories, 4 leaves), ${products.length} products × 3 SKUs`);
  return { root: l1.id, subs: Object.values(l2).map((c) => c.id), products };
}

/**
 * Two promotion rules and a coupon, each over the bench catalog only: a 满减 (满200减20/满400减50)
 * on the whole bench category, and a 限时折扣 (85%) on two products, which by the default stacking
 * policy takes those lines out of the 满减; a platform coupon (满100减10) every shopper claims.
 */
async function setupPromotions(admin, catalog, tag) {
  const now = Date.now();
  const window = { startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + DAY).toISOString() };
  // the 限时折扣 pair: the first product of the 水杯 and 餐具 leaves; the 满减 trio: one of each other leaf
  const of = (leaf, i) => catalog.products.filter((p) => p.leaf === leaf)[i];
  const discounted = [of(1, 0), of(3, 0)];
  const reduced = [of(0, 0), of(2, 0), of(0, 1)];
  const fullReduction = expect(
    await call('POST', '/admin/v1/promotion-rules', {
      token: admin,
      body: {
        kind: 'full_reduction',
        name: `压测满减 ${tag}`,
        scope: { type: 'categories', ids: [catalog.root] },
        tiers: [
          { threshold: 20000, off: 2000 },
          { threshold: 40000, off: 5000 },
        ],
        priority: 100,
        ...window,
      },
    }),
    201,
    'createPromotionRule (满减)',
  );
  const limited = expect(
    await call('POST', '/admin/v1/promotion-rules', {
      token: admin,
      body: {
        kind: 'limited_time',
        name: `压测限时折扣 ${tag}`,
        scope: { type: 'products', ids: discounted.map((p) => p.id) },
        rate: 85,
        priority: 100,
        ...window,
      },
    }),
    201,
    'createPromotionRule (限时折扣)',
  );
  const template = expect(
    await call('POST', '/admin/v1/coupon-templates', {
      token: admin,
      body: {
        name: `压测券 满100减10 ${tag}`,
        kind: 'amount_off',
        threshold: 10000,
        amountOff: 1000,
        scope: { type: 'categories', ids: [catalog.root] },
        validFrom: window.startsAt,
        validTo: new Date(now + 2 * DAY).toISOString(),
        claimStartsAt: window.startsAt,
        claimEndsAt: window.endsAt,
        totalQuantity: 1_000_000,
        perUserLimit: 1,
        channels: ['storefront'],
      },
    }),
    201,
    'createCouponTemplate',
  );
  const lines = [...discounted, ...reduced];
  log(`promotions: 满减 ${fullReduction.id}, 限时折扣 ${limited.id}, coupon template ${template.id}`);
  return {
    fullReductionId: fullReduction.id,
    limitedId: limited.id,
    templateId: template.id,
    skuIds: lines.map((p) => p.skuId),
  };
}

/** Each shopper: the 5 lines in the cart and the bench coupon claimed; returns [{ token, addressId, couponId }]. */
async function setupShoppers(promos, tag) {
  const shoppers = await createShoppers(SHOPPERS, tag);
  const t0 = Date.now();
  await pool(shoppers.length, 16, async (i) => {
    const s = shoppers[i];
    for (const skuId of promos.skuIds)
      expect(await call('POST', '/store/v1/cart/items', { token: s.token, body: { skuId, quantity: 1 } }), 200, 'addCartItem');
    s.couponId = expect(
      await call('POST', '/store/v1/coupons/claim', { token: s.token, body: { templateId: promos.templateId } }),
      201,
      'claimCoupon',
    ).id;
  });
  log(`filled ${shoppers.length} carts (5 lines) and claimed the coupon in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return shoppers;
}

/** What a quote applied: the rule and coupon ids behind its discounts. */
function appliedSources(quote) {
  const ids = new Set();
  for (const g of quote.groups) for (const d of g.discounts) if (d.sourceId) ids.add(d.sourceId);
  for (const id of quote.coupons.appliedIds) ids.add(id);
  return ids;
}

/** n items of list spread evenly over it (all of it when shorter). */
function spread(list, n) {
  if (list.length <= n) return [...list];
  return Array.from({ length: n }, (_, i) => list[Math.floor((i * list.length) / n)]);
}

const q = (params) => new URLSearchParams(params).toString();

// ---------------------------------------------------------------------------------------------

async function main() {
  const started = Date.now();
  const m = machine();
  const tag = randomBytes(3).toString('hex');
  log(
    `${m.nproc} cores (${m.model}), node ${m.node}, workerd ${m.workerd}; ${CONNECTIONS} connections × ${DURATION} s (+${WARMUP} s warm-up); shop: ${PRODUCTS === null ? 'small (demo seed + bench catalog)' : `${fmtInt(PRODUCTS)} products, ${fmtInt(ORDERS)} orders (seed-scale)`}`,
  );
  if (m.dirty)
    log('note: the working tree has uncommitted changes under workers/, durable-objects/ or migrations/; they are what gets measured');

  const built = await build();
  let server = await startServer(built);
  await applyMigrations(built.src, server.wrangler);

  // The scale seed writes the D1 file itself: workerd must not hold it meanwhile, so it is stopped
  // after the migrations and started again on the same state (same secrets) once the seed is in.
  let seed = null;
  if (PRODUCTS !== null) {
    await stopServer();
    const dbPath = d1File();
    const { seedScale } = await import(pathToFileURL(SEED_MODULE).href);
    if (typeof seedScale !== 'function') throw new Error('bench/seed-scale.mjs does not export seedScale()');
    const t0 = Date.now();
    log(`seeding ${fmtInt(PRODUCTS)} products and ${fmtInt(ORDERS)} orders into ${path.relative(ROOT, dbPath)} …`);
    // piiKeys: the seed encrypts its shoppers' addresses with this run's key, so the Worker can read them
    seed = await seedScale({
      dbPath,
      products: PRODUCTS,
      orders: ORDERS,
      piiKeys: server.secrets.PII_KEYS,
      log: (msg) => log(`seed: ${msg}`),
    });
    seed.seconds = (Date.now() - t0) / 1000;
    log(`seeded in ${seed.seconds.toFixed(0)} s`);
    server = await startServer(built, { secrets: server.secrets });
  }

  const admin = await adminLogin(server.secrets);
  let demo = null;
  if (!args['no-demo']) {
    const t0 = Date.now();
    demo = expect(await call('POST', '/admin/v1/dev/seed-demo', { token: admin }), 200, 'seedDemoShop');
    log(`demo shop seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${demo.products} products, ${demo.orders} orders`);
  }
  const catalog = await setupCatalog(admin, tag);
  const promos = await setupPromotions(admin, catalog, tag);
  const shoppers = await setupShoppers(promos, tag);
  const s0 = shoppers[0];

  // What the read paths rotate over: the seeded shop at scale, the small shop otherwise.
  let productIds;
  let categories;
  let words;
  if (seed) {
    productIds = spread(seed.productIds, PRODUCT_IDS);
    categories = [seed.categoryId];
    words = { two: seed.searchWords.two, four: seed.searchWords.four };
  } else {
    const listed = expect(await call('GET', '/store/v1/products?limit=100'), 200, 'listProducts').items.map((p) => p.id);
    productIds = spread(listed, PRODUCT_IDS);
    categories = [catalog.root, ...catalog.subs];
    words = { two: '水杯', four: '保温水杯' };
  }
  for (const [k, w] of Object.entries(words))
    if ([...w].length !== (k === 'two' ? 2 : 4)) log(`note: the ${k}-character search word "${w}" has ${[...w].length} characters`);

  const anon = (p) => ({ method: 'GET', path: p });
  const auth = (token) => ({ authorization: `Bearer ${token}` });
  const adminGet = (p) => ({ method: 'GET', path: p, headers: auth(admin) });
  const orderItems = promos.skuIds.map((skuId) => ({ skuId, quantity: 1 }));
  const orderKey = `eo-${tag}`;
  const defs = {
    hello: {
      label: 'hello: `GET /bench/hello`, no app code',
      list: [anon('/bench/hello')],
      rotation: 'one path',
    },
    product: {
      label: 'getProduct, anonymous: `GET /store/v1/products/:id`',
      list: productIds.map((id) => anon(`/store/v1/products/${id}`)),
      rotation: `${productIds.length} product ids in rotation (${seed ? 'spread evenly over the seeded products' : 'spread evenly over the newest 100 on sale: demo and bench products'})`,
    },
    category: {
      label: 'listProducts, a category page of 20: `GET /store/v1/products?categoryId=…&sort=…&limit=20`',
      list: categories.flatMap((c) => SORTS.map((sort) => anon(`/store/v1/products?${q({ categoryId: c, sort, limit: 20 })}`))),
      rotation: `${categories.length} ${seed ? 'seeded category' : 'bench categories (the root and its 2 sub-categories, each with sub-categories below)'} × ${SORTS.length} sorts (${SORTS.join(', ')})`,
    },
    search2: {
      label: `search, 2 characters: \`GET /store/v1/products?q=${words.two}\``,
      list: [anon(`/store/v1/products?${q({ q: words.two })}`)],
      rotation: `one query: ${words.two} (shorter than a trigram: LIKE over the FTS table)`,
    },
    search4: {
      label: `search, 4 characters: \`GET /store/v1/products?q=${words.four}\``,
      list: [anon(`/store/v1/products?${q({ q: words.four })}`)],
      rotation: `one query: ${words.four} (trigram MATCH)`,
    },
    cart: {
      label: 'getCart, signed in, 5 lines: `GET /store/v1/cart`',
      list: shoppers.map((s) => ({ method: 'GET', path: '/store/v1/cart', headers: auth(s.token) })),
      rotation: `${shoppers.length} shoppers in rotation, each with the same 5 lines`,
    },
    quote: {
      label: 'quoteCheckout, 5-line cart, 2 promotion rules + a coupon: `POST /store/v1/checkout/quote`',
      list: shoppers.map((s) => ({
        method: 'POST',
        path: '/store/v1/checkout/quote',
        headers: auth(s.token),
        body: { addressId: s.addressId, couponIds: [s.couponId] },
      })),
      rotation: `${shoppers.length} shoppers in rotation, each quoting its selected cart lines with its address and its bench coupon`,
    },
    'console-orders': {
      label: 'console order list, default: `GET /admin/v1/orders?limit=20`',
      list: [adminGet('/admin/v1/orders?limit=20')],
      rotation: 'the console’s default query (first page, newest first), admin token',
    },
    'console-orders-status': {
      label: 'console order list, status filter: `GET /admin/v1/orders?limit=20&status=paid`',
      list: [adminGet('/admin/v1/orders?limit=20&status=paid')],
      rotation: 'orders to ship (paid), admin token',
    },
    'console-products': {
      label: 'console product list, default: `GET /admin/v1/products?limit=20`',
      list: [adminGet('/admin/v1/products?limit=20')],
      rotation: 'the console’s default query (first page, newest first), admin token',
    },
    'console-products-q': {
      label: `console product list, status + keyword: \`GET /admin/v1/products?limit=20&status=on_sale&q=${words.two}\``,
      list: [adminGet(`/admin/v1/products?${q({ limit: 20, status: 'on_sale', q: words.two })}`)],
      rotation: `on sale, keyword ${words.two}, admin token`,
    },
    order: {
      label: 'createOrder, the 5 lines in the body: `POST /store/v1/orders`',
      list: shoppers.map((s) => ({
        method: 'POST',
        path: '/store/v1/orders',
        headers: auth(s.token),
        body: { items: orderItems, addressId: s.addressId, couponIds: [] },
      })),
      rotation: `${shoppers.length} shoppers in rotation; the same 5 SKUs (10,000,000 units each) in the body, no coupon (a coupon is spent by its first order), a unique Idempotency-Key per request`,
      uniqueKey: true,
    },
  };

  // Every path answers as it should before anything is measured.
  for (const key of PATHS) {
    if (!ONLY.has(key)) continue;
    const d = defs[key];
    const r0 = d.list[0];
    const r = await call(r0.method, r0.path, {
      headers: { ...(r0.headers ?? {}), ...(d.uniqueKey ? { 'idempotency-key': `${orderKey}c.00000000` } : {}) },
      body: r0.body,
    });
    const ok = expect(r, key === 'order' ? 201 : 200, `${key} (check before the load)`);
    if (key === 'category') {
      for (const x of d.list) {
        const page = expect(await call('GET', x.path), 200, 'category page');
        if (page.items.length < 20) log(`note: ${x.path} has ${page.items.length} products, not a full page of 20`);
      }
    }
    if ((key === 'search2' || key === 'search4') && ok.items.length === 0) log(`note: ${r0.path} finds nothing`);
    if (key === 'cart' && (ok.lineCount !== 5 || ok.selectedLineCount !== 5))
      throw new Error(`getCart: expected 5 selected lines, got ${ok.selectedLineCount} of ${ok.lineCount}`);
    if (key === 'quote') {
      const applied = appliedSources(ok);
      const want = { '满减 rule': promos.fullReductionId, '限时折扣 rule': promos.limitedId, coupon: s0.couponId };
      const missing = Object.entries(want).filter(([, id]) => !applied.has(id));
      if (missing.length || ok.problems.length)
        throw new Error(
          `the quote does not apply ${missing.map(([k]) => k).join(', ') || 'what it should'}${ok.problems.length ? ` (problems: ${JSON.stringify(ok.problems)})` : ''}: ${JSON.stringify(ok).slice(0, 1500)}`,
        );
      d.quote = {
        goodsTotal: ok.goodsTotal,
        discountTotal: ok.discountTotal,
        payableTotal: ok.payableTotal,
        discounts: ok.groups.flatMap((g) => g.discounts.map((x) => `${x.label} −${(x.amount / 100).toFixed(2)}`)),
        others: [...applied].filter((id) => !Object.values(want).includes(id)),
      };
      log(`quote: ${d.quote.discounts.join('; ')} → payable ${(ok.payableTotal / 100).toFixed(2)}`);
    }
  }

  for (const key of PATHS) {
    if (!ONLY.has(key)) continue;
    const d = defs[key];
    log(`${key} …`);
    const cfg = {
      name: key,
      url: BASE,
      kind: 'rotate',
      list: d.list,
      uniqueKey: !!d.uniqueKey,
      keyPrefix: d.uniqueKey ? orderKey : undefined,
      connections: CONNECTIONS,
      duration: DURATION,
      warmup: WARMUP,
      serverPids: workerdPids, // to wait for the warm-up's backlog to drain before measuring
    };
    const r = await measure(cfg, wpids);
    results[key] = { label: d.label, rotation: d.rotation, ...r };
    if (key === 'order') {
      // Requests in flight when the clock stopped may still commit: let them, then count in D1.
      await sleep(Math.min(10_000, Math.max(1000, 2 * (r.latency.max ?? 0))));
      const inD1 = expect(await call('GET', `/bench/checkout-orders?${q({ key: `${orderKey}.` })}`), 200, 'checkout-orders');
      const created = r.statusCounts['201'] ?? 0;
      const inFlight = inD1.checkouts - created;
      results.order.check = {
        created,
        replayed: r.statusCounts['200'] ?? 0,
        ...inD1,
        inFlight,
        consistent:
          inFlight >= 0 &&
          inFlight <= CONNECTIONS &&
          (r.statusCounts['200'] ?? 0) === 0 &&
          inD1.orders === inD1.checkouts &&
          inD1.lines === inD1.orders * promos.skuIds.length,
      };
      log(
        `order: ${fmtInt(created)} created (201) → ${fmtInt(inD1.checkouts)} checkouts, ${fmtInt(inD1.orders)} orders, ${fmtInt(inD1.lines)} lines in D1 (${fmtInt(inD1.total)} orders in all)`,
      );
    }
    log(`${key}: ${fmtInt(r.rps)} req/s, p99 ${fmtMs(r.latency.p99)}, ${statusSummary(r)}`);
  }

  // Where the time goes, one request at a time: per path, D1 / DO / queue round trips (bench/worker.ts).
  if (TRACE > 0) {
    for (const key of PATHS) {
      if (!ONLY.has(key) || key === 'hello') continue;
      const d = defs[key];
      const per = [];
      for (let i = 0; i < TRACE; i++) {
        const x = d.list[i % d.list.length];
        const t0 = performance.now();
        const r = await call(x.method, x.path, {
          headers: {
            ...(x.headers ?? {}),
            'x-bench-trace': '1',
            ...(d.uniqueKey ? { 'idempotency-key': `${orderKey}t.${String(i).padStart(8, '0')}` } : {}),
          },
          body: x.body,
        });
        per.push({ status: r.status, clientMs: performance.now() - t0, trace: JSON.parse(r.headers.get('x-bench-trace') ?? '{}') });
      }
      results[key].trace = aggregate(per);
    }
  }
  const stderrTail = server.logStats().stderrTail;
  await stopServer();

  const meta = {
    machine: m,
    tag,
    settings: { connections: CONNECTIONS, duration: DURATION, warmup: WARMUP, shoppers: SHOPPERS, waitIdle: WAIT_IDLE, port: PORT },
    shop: {
      products: PRODUCTS,
      orders: ORDERS,
      demo: demo ? { products: demo.products, orders: demo.orders } : null,
      bench: { products: catalog.products.length },
      seed: seed
        ? { seconds: seed.seconds, merchants: seed.merchantIds?.length, shoppers: seed.shopperIds?.length, orderCounts: seed.orderCounts }
        : null,
      words,
      productIds: productIds.length,
      categories: categories.length,
    },
    quote: defs.quote.quote ?? null,
    listener: server.listener,
    elapsedS: (Date.now() - started) / 1000,
    workerdStderr: stderrTail.join('').slice(-2000),
  };
  report(meta);
  return meta;
}

/** Averages traced requests: per-binding calls and ms, and what was called, per request. */
function aggregate(per) {
  const avg = (f) => per.reduce((a, x) => a + f(x), 0) / per.length;
  const kinds = [...new Set(per.flatMap((x) => Object.keys(x.trace).filter((k) => k !== 'wallMs')))];
  const what = {};
  for (const x of per)
    for (const k of kinds)
      for (const [w, c] of Object.entries(x.trace[k]?.what ?? {})) what[`${k}: ${w}`] = (what[`${k}: ${w}`] ?? 0) + c / per.length;
  const statuses = {};
  for (const x of per) statuses[x.status] = (statuses[x.status] ?? 0) + 1;
  return {
    n: per.length,
    statuses,
    clientMs: avg((x) => x.clientMs),
    wallMs: avg((x) => x.trace.wallMs ?? 0),
    kinds: Object.fromEntries(kinds.map((k) => [k, { calls: avg((x) => x.trace[k]?.calls ?? 0), ms: avg((x) => x.trace[k]?.ms ?? 0) }])),
    what,
  };
}

// ---------------------------------------------------------------------------------------------
// Report

const GOALS = {
  product: { min: 0.7, text: '≥ 0.7× hello (anonymous)' },
  category: { min: 0.4, text: '≥ 0.4× hello' },
};

/** Paths that answered anything but 2xx (their non-2xx count), for the exit code and the report. */
const non2xx = () => Object.entries(results).filter(([, r]) => r.non2xx > 0 || r.errors > 0 || r.timeouts > 0);
/** Paths where not one request was answered within the measured window (too short for them on this machine). */
const unanswered = () => Object.entries(results).filter(([, r]) => !r.requests);

function report(meta) {
  const m = meta.machine;
  const hello = results.hello;
  const rows = PATHS.filter((k) => results[k]).map((k) => {
    const r = results[k];
    const goal = GOALS[k];
    const rel = hello?.rps ? r.rps / hello.rps : null;
    return [
      r.label,
      fmtInt(r.rps),
      fmtMs(r.latency.p50),
      fmtMs(r.latency.p99),
      r.unloaded ? fmtMs(r.unloaded.mean) : '–',
      statusSummary(r),
      r.serverCpuS == null ? '–' : `${(r.serverCpuS / r.durationS).toFixed(2)} cores`,
      cpuPerReq(r) == null ? '–' : `${cpuPerReq(r).toFixed(3)} ms`,
      k === 'hello' ? '1.00×' : ratio(r.rps, hello?.rps),
      goal
        ? `${goal.text}: ${!r.requests ? '– (no answer in the window)' : rel == null ? '–' : rel >= goal.min ? 'met' : '**not met**'}`
        : '',
      `${(r.loadCpuS / r.durationS).toFixed(2)} cores`,
      r.otherCpuS == null ? '–' : `${(r.otherCpuS / r.durationS).toFixed(2)} cores${r.otherCpuS / r.durationS > 0.25 ? ' ⚠' : ''}`,
    ];
  });
  const table = mdTable(
    [
      ['path', 'left'],
      ['req/s', 'right'],
      ['p50', 'right'],
      ['p99', 'right'],
      ['latency at 1 conn (mean)', 'right'],
      ['responses', 'left'],
      ['server CPU', 'right'],
      ['server CPU per request', 'right'],
      ['× hello', 'right'],
      ['goal', 'left'],
      ['load-gen CPU', 'right'],
      ['other CPU', 'right'],
    ],
    rows,
  );

  const traced = PATHS.filter((k) => results[k]?.trace);
  const traceKinds = [...new Set(traced.flatMap((k) => Object.keys(results[k].trace.kinds)))];
  const traceTable = traced.length
    ? mdTable(
        [
          ['path', 'left'],
          ['client latency', 'right'],
          ['Worker wall time', 'right'],
          ...traceKinds.map((k) => [`${k} round trips`, 'right']),
          ['what it called, per request', 'left'],
        ],
        traced.map((k) => {
          const t = results[k].trace;
          return [
            k,
            fmtMs(t.clientMs),
            fmtMs(t.wallMs),
            ...traceKinds.map((kind) => (t.kinds[kind] ? `${t.kinds[kind].calls.toFixed(1)} × → ${t.kinds[kind].ms.toFixed(1)} ms` : '0')),
            Object.entries(t.what)
              .sort((a, b) => b[1] - a[1])
              .map(([w, c]) => `${w} ×${Number(c.toFixed(2))}`)
              .join('; ') || '–',
          ];
        }),
      )
    : 'not traced (--trace 0)';

  const o = results.order;
  const orderLine = o
    ? `- **createOrder**: ${fmtInt(o.check.created)} orders created (201) in ${o.durationS.toFixed(1)} s → **${fmtInt(o.check.created / o.durationS)} orders/s**, p99 ${fmtMs(o.latency.p99)}; in D1 afterwards: ${fmtInt(o.check.checkouts)} checkouts with the run's Idempotency-Keys, ${fmtInt(o.check.orders)} orders, ${fmtInt(o.check.lines)} order lines (${fmtInt(o.check.total)} orders in all: these, the warm-up's, the check's and the 1-connection probe's, and the shop's own) → ${o.check.consistent ? `consistent${o.check.inFlight ? ` (${fmtInt(o.check.inFlight)} committed for requests still in flight when the clock stopped, which autocannon does not count)` : ''}` : '**INCONSISTENT**'}`
    : '- **createOrder**: not run';
  const qd = results.quote ? meta.quote : null;
  const quoteLine = qd
    ? `- **quoteCheckout**: p99 ${fmtMs(results.quote.latency.p99)}; each quote: goods ¥${(qd.goodsTotal / 100).toFixed(2)}, ${qd.discounts.join('; ')} → payable ¥${(qd.payableTotal / 100).toFixed(2)}${qd.others.length ? ` (also applied: ${qd.others.join(', ')})` : ''}`
    : '- **quoteCheckout**: not run';
  const bad = non2xx();
  const shop =
    meta.shop.products === null
      ? `the small shop: ${meta.shop.demo ? `the demo seed (${meta.shop.demo.products} products, ${meta.shop.demo.orders} orders in every state, its 双十一 promotions) plus ` : ''}the bench's own catalog (${meta.shop.bench.products} products × 3 SKUs under a 3-level category tree)`
      : `grown by bench/seed-scale.mjs to **${fmtInt(meta.shop.products)} products and ${fmtInt(meta.shop.orders)} orders** (seeded straight into the local D1 file in ${meta.shop.seed.seconds.toFixed(0)} s, workerd stopped meanwhile), plus ${meta.shop.demo ? 'the demo seed and ' : ''}the bench's own ${meta.shop.bench.products} products`;

  const md = `# Everyday paths benchmark

Generated by \`npm run bench:everyday\` (bench/everyday.mjs) — do not edit by hand; rerun it.

- **date**: ${m.date}
- **machine**: ${m.nproc} cores, ${m.model}, ${m.memGiB} GiB RAM, Linux ${m.kernel}
- **software**: Node ${m.node}, workerd ${m.workerd}, Miniflare ${m.miniflare} (wrangler ${m.wrangler}), autocannon ${m.autocannon}
- **code**: ${m.commit}${m.dirty ? ' **plus uncommitted changes** in workers/, durable-objects/ or migrations/' : ''}${args.ref ? ` (built from --ref ${args.ref})` : ''}
- **shop**: ${shop}; ${fmtInt(meta.settings.shoppers)} signed-in shoppers, each with the same 5 cart lines and the bench coupon
- **load**: autocannon in its own process, **${meta.settings.connections} connections, ${meta.settings.duration} s** per path after ${meta.settings.warmup} s warm-up, no pipelining; same settings for every path, all in one workerd, one after another
- **served by**: ${meta.listener ? `\`${meta.listener.name}\` (pid ${meta.listener.pid}) listening itself on 127.0.0.1:${meta.settings.port}` : `workerd on 127.0.0.1:${meta.settings.port}`} — a Miniflare \`unsafeDirectSockets\` socket into the worker (bench/harness.mjs, as for bench:flash); rate limits raised to 10⁹. Local D1, DO SQLite and R2 live under bench/.build-everyday/state
- run took ${meta.elapsedS.toFixed(0)} s in total

## Results

${table}

"server CPU" is user+system time of workerd over the measured window, "load-gen CPU" that of the autocannon process, "other CPU" the rest of the machine's busy time then; ⚠ marks a row where other processes took more than a quarter core. "× hello" is req/s over hello's in the same run.${
    bad.length
      ? `\n\n**Non-2xx answers**: ${bad
          .map(
            ([k, r]) =>
              `${k}: ${statusSummary(r)}${
                Object.keys(r.counts?.otherSamples ?? {}).length
                  ? ` — ${Object.entries(r.counts.otherSamples)
                      .map(([s, b]) => `${s} \`${b.replace(/`/g, "'").slice(0, 200)}\``)
                      .join('; ')}`
                  : ''
              }`,
          )
          .join('; ')}.`
      : '\n\nEvery measured request was answered 2xx.'
  }${
    unanswered().length
      ? `\n\n**No answer within the measured window** for ${unanswered()
          .map(([k]) => k)
          .join(', ')}: the machine was too busy, or -d too short, for these paths; their rows say nothing.`
      : ''
  }

${quoteLine}
${orderLine}

## What each path requested

${PATHS.filter((k) => results[k])
  .map((k) => `- **${k}**: ${results[k].rotation}`)
  .join('\n')}

## Where the time goes, one request at a time

After the load, ${TRACE} requests per path with \`x-bench-trace: 1\` (bench/worker.ts wraps the bindings and reports each D1 statement or batch, DO call, queue send and rate-limit check with its wall time; the load never sends it):

${traceTable}

## What limits each number

- **all rows**: two cores shared by workerd and the load generator (its share is the "load-gen CPU" column; it is what bounds hello). Locally D1 is a SQLite-backed object inside the same workerd: each D1 round trip above costs workerd CPU here (an actor hop plus SQLite), where production pays a network round trip to the database instead. So on this machine a path's cost is mostly its number of D1 round trips and the JSON it builds.
- **hello**: workerd's HTTP handling and isolate entry per request; nothing else runs.
- **product / category / search** (anonymous reads): routing, validation, the catalog reads that the trace lists, and the JSON body (a category page carries 20 products). Whatever the isolate or the Cache API answers without D1 shows as fewer D1 round trips in the trace. Search by 2 characters cannot use the trigram index (LIKE over the FTS table), 4 characters can (MATCH).
- **cart / quote** (signed in): the JWT and the session (a D1 read once per shopper per 30 s per isolate), then the cart lines with live SKU data; the quote adds the active promotion rules, the stacking policy, the shopper's usable coupons, shipping, and the promotion engine's pricing of every line.
- **console lists**: the staff token and permissions, then one page of orders or products by the console's own query; at scale the filters decide how much of the table each page reads.
- **order**: everything the quote does, then one D1 batch that writes the checkout, the order and its lines and decrements each SKU's stock under a guard, plus a payment-timeout message. Local D1 has one writer, so orders are written one batch at a time: that, not the Worker, bounds orders/s here.

## How to run

\`\`\`
npm run bench:everyday                          # the small shop, every path, 64 connections, 8 s each (+2 s warm-up)
npm run bench:everyday -- -d 2 -w 1             # a quick check that everything answers
npm run bench:everyday -- --only product,category
npm run bench:everyday -- --products 100000 --orders 1000000   # the grown shop (bench/seed-scale.mjs)
npm run bench:scale                             # 1k/10k and 100k/1M, growth per path → bench/SCALE-RESULTS.md
\`\`\`

See bench/README.md for every flag.
`;

  console.log(`\n${table}\n`);
  console.log(`${quoteLine}\n${orderLine}\n`);
  if (traced.length) console.log(`${traceTable}\n`);
  if (!args['no-write']) {
    writeFileSync(args.out, md);
    log(`wrote ${path.relative(ROOT, args.out)}`);
  }
}

let exitCode = 0;
try {
  const meta = await main();
  if (args.json) {
    mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    writeFileSync(args.json, JSON.stringify({ ...meta, results }, null, 2));
    log(`wrote ${args.json}`);
  }
  const silent = unanswered();
  if (silent.length) {
    console.error(
      `[bench] no answer within the measured window: ${silent.map(([k]) => k).join(', ')} (the machine was too busy or -d too short for them)`,
    );
    exitCode = 2;
  }
  const bad = non2xx();
  if (bad.length) {
    console.error(`[bench] non-2xx answers: ${bad.map(([k, r]) => `${k}: ${statusSummary(r)}`).join('; ')}`);
    exitCode = 2;
  }
  if (results.order && !results.order.check.consistent) {
    console.error(`[bench] createOrder: the orders in D1 do not match the answers: ${JSON.stringify(results.order.check)}`);
    exitCode = 2;
  }
} catch (e) {
  console.error(`[bench] error: ${e?.stack ?? e}`);
  exitCode = 1;
} finally {
  await cleanup();
  if (!args['keep-state'] && exitCode === 0) rmSync(BUILD, { recursive: true, force: true });
}
process.exit(exitCode);
