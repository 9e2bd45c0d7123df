// The demo's orders, one in every state a console operator and a shopper meet: unpaid, paid and
// waiting to ship, shipped with tracking, completed six days ago, completed with an after-sale in
// progress, and refunded. Each is played through the real flows as its shopper and the admin:
// createOrder, payment in the WeChat Pay sandbox, shipOrder, carrier tracking, confirmReceipt,
// applyAfterSale, reviewAfterSale and the sandbox's refund notification.
//
// Each part belongs to one demo shopper; a re-run recreates only the parts no order plays any
// more (the unpaid order closes after 30 minutes, a shipped one completes itself after a while),
// so running the seed again never doubles an order that is still what it was made to be.
import type { Ctx } from '../shared/context';
import { AppError } from '../shared/errors';
import { iso } from '../shared/db';
import { createOrder } from '../flows/checkout';
import { shipOrder } from '../flows/fulfilment';
import { applyTrackingUpdate } from '../flows/tracking-update';
import { refundNoOf, reviewAfterSale } from '../flows/refund';
import { confirmReceipt, getOrderDetail, listMyOrders } from '../domains/orders/orders.service';
import { CreateOrderInput } from '../domains/orders/dto';
import type { OrderStatus } from '../domains/orders/orders.service';
import { TrackingWebhookInput } from '../domains/logistics/dto';
import { applyAfterSale, listMyAfterSales } from '../domains/aftersales/aftersales.service';
import { ApplyAfterSaleInput } from '../domains/aftersales/dto';
import { PLATFORM_MERCHANT, TEA_MERCHANT } from './demo-seed-data';
import type { DemoShopper, ShopperKey } from './demo-shoppers';
import type { NotificationDeliver } from './wechatpay-sandbox';
import { afterwards, completeRefundInSandbox, payInSandbox } from './demo-payments';
import { backdateOrder } from './backdate';
import { demoSku, needStock } from './demo-catalog';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** From order to confirmed receipt in deliverAndConfirm (a backdated order must be moved back further). */
const CONFIRMED_AFTER = 36 * HOUR;

interface Line {
  merchantId: string;
  title: string;
  quantity: number;
}

/** What an order's life needs: its shopper, the admin (ctx), and how notifications reach us. */
interface Stage {
  ctx: Ctx;
  shopper: DemoShopper;
  orderId: string;
  deliver: NotificationDeliver;
}

interface Part {
  name: string;
  shopper: ShopperKey;
  lines: Line[];
  buyerNote: string;
  /** True when the shopper already has an order playing this part. */
  present(shopper: DemoShopper): Promise<boolean>;
  /** Lives the order's life after createOrder. */
  live(stage: Stage): Promise<void>;
}

/** After-sales that are still being worked on (not rejected, refunded, exchanged or cancelled). */
const AFTERSALE_OPEN = ['requested', 'approved', 'returning', 'received', 'refunding'];

async function hasOrder(
  s: DemoShopper,
  statuses: OrderStatus[],
  also: (o: { promo: unknown; expiresAt: string | null }) => boolean = () => true,
): Promise<boolean> {
  for (const status of statuses) {
    const page = await listMyOrders(s.ctx, { limit: 100, status });
    // Group-buy and flash-sale orders play other parts (the demo's teams).
    if (page.items.some((o) => o.promo === null && also(o))) return true;
  }
  return false;
}

const afterSalesOf = async (s: DemoShopper) => (await listMyAfterSales(s.ctx, { limit: 100 })).items;

const PARTS: Part[] = [
  {
    name: 'unpaid',
    shopper: 'lin',
    lines: [{ merchantId: PLATFORM_MERCHANT, title: '毛巾浴巾套装 礼盒 3件套', quantity: 1 }],
    buyerNote: '',
    present: (s) => hasOrder(s, ['pending_payment'], (o) => Date.parse(o.expiresAt ?? '') > s.ctx.now),
    // Placed two minutes ago: still 28 minutes to pay before it closes.
    live: async (st) => backdateOrder(st.ctx, st.orderId, 2 * MINUTE),
  },
  {
    name: 'paid, to ship',
    shopper: 'chen',
    lines: [
      { merchantId: PLATFORM_MERCHANT, title: '65W氮化镓充电器 多口快充', quantity: 1 },
      { merchantId: PLATFORM_MERCHANT, title: 'Type-C数据线 编织快充线 100W', quantity: 2 },
    ],
    buyerNote: '工作日白天送公司前台',
    present: (s) => hasOrder(s, ['paid']),
    live: async (st) => {
      await payInSandbox(st.shopper.ctx, st.orderId, st.deliver);
      await backdateOrder(st.ctx, st.orderId, 45 * MINUTE);
    },
  },
  {
    name: 'shipped with tracking',
    shopper: 'wang',
    lines: [{ merchantId: TEA_MERCHANT.id, title: '桐木关正山小种 红茶 松烟香', quantity: 2 }],
    buyerNote: '送人的，请不要放价签',
    present: (s) => hasOrder(s, ['shipped', 'delivered']),
    live: async (st) => {
      const t0 = st.ctx.now;
      await payInSandbox(st.shopper.ctx, st.orderId, st.deliver);
      const parcel = await ship(st, 'YTO', t0 + 2 * HOUR);
      await track(st, parcel, [
        [t0 + 3 * HOUR, 'picked_up', '圆通速递 已揽收', '福建武夷山'],
        [t0 + 14 * HOUR, 'in_transit', '快件已到达【广州转运中心】，正发往【深圳南山】', '广州'],
      ]);
      // Ordered yesterday; its last scan two hours ago.
      await backdateOrder(st.ctx, st.orderId, 16 * HOUR);
    },
  },
  {
    name: 'completed last week',
    shopper: 'lin',
    lines: [{ merchantId: PLATFORM_MERCHANT, title: '纯棉短袖T恤 男 圆领 重磅', quantity: 2 }],
    buyerNote: '',
    present: (s) => hasOrder(s, ['completed']),
    live: async (st) => {
      await deliverAndConfirm(st, 'SF', '浙江杭州');
      // Paid six days ago (inside the dashboard's default week), received a day and a half later.
      await backdateOrder(st.ctx, st.orderId, 6 * DAY);
    },
  },
  {
    name: 'after-sale in progress',
    shopper: 'chen',
    lines: [{ merchantId: PLATFORM_MERCHANT, title: '圆领卫衣 纯色基础款 男女同款', quantity: 1 }],
    buyerNote: '',
    present: async (s) => (await afterSalesOf(s)).some((a) => AFTERSALE_OPEN.includes(a.status)),
    live: async (st) => {
      await deliverAndConfirm(st, 'ZTO', '上海浦东');
      await backdateOrder(st.ctx, st.orderId, 3 * DAY);
      // A day and a half after receiving it the shopper asks to return it; nobody has reviewed that yet.
      const [line] = await lineIds(st);
      await applyAfterSale(
        st.shopper.ctx,
        st.orderId,
        ApplyAfterSaleInput.parse({
          type: 'return_refund',
          reason: '尺码不合适',
          description: '平时穿L，这件偏大一码，想退货',
          lines: [{ orderLineId: line!.id, quantity: 1 }],
        }),
        `demo-seed:aftersale:${st.orderId}`,
      );
    },
  },
  {
    name: 'refunded',
    shopper: 'wang',
    lines: [{ merchantId: PLATFORM_MERCHANT, title: '法式碎花连衣裙 收腰显瘦', quantity: 1 }],
    buyerNote: '',
    present: async (s) => (await afterSalesOf(s)).some((a) => a.status === 'refunded'),
    live: async (st) => {
      await payInSandbox(st.shopper.ctx, st.orderId, st.deliver);
      // Changed her mind before it shipped: refund only, approved, WeChat pays it back. WeChat's
      // notifications carry the real time, so these steps follow the real clock too.
      const lines = await lineIds(st);
      const { afterSale } = await applyAfterSale(
        afterwards(st.shopper.ctx),
        st.orderId,
        ApplyAfterSaleInput.parse({
          type: 'refund_only',
          reason: '不想要了',
          lines: lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity })),
        }),
        `demo-seed:refund:${st.orderId}`,
      );
      await reviewAfterSale(afterwards(st.ctx), afterSale.id, { decision: 'approve' });
      await completeRefundInSandbox(st.ctx, refundNoOf(afterSale.id), st.deliver);
      const done = (await afterSalesOf(st.shopper)).find((a) => a.id === afterSale.id);
      if (done?.status !== 'refunded')
        throw new AppError('dev.seed_refund_incomplete', 500, `the demo refund ${afterSale.id} is ${done?.status}, not refunded`);
      await backdateOrder(st.ctx, st.orderId, 2 * HOUR);
    },
  },
];

/** Pays, ships, tracks to the door and confirms receipt, on a clock running ahead of the real one (see backdate.ts). */
async function deliverAndConfirm(st: Stage, carrier: 'SF' | 'ZTO', from: string): Promise<void> {
  const t0 = st.ctx.now;
  await payInSandbox(st.shopper.ctx, st.orderId, st.deliver);
  const parcel = await ship(st, carrier, t0 + 3 * HOUR);
  await track(st, parcel, [
    [t0 + 4 * HOUR, 'picked_up', '快递员已揽收', from],
    [t0 + 12 * HOUR, 'in_transit', '快件已到达转运中心，正发往派送网点', from],
    [t0 + 30 * HOUR, 'out_for_delivery', '快递员正在派送，请保持电话畅通', null],
    [t0 + 33 * HOUR, 'delivered', '已签收，签收人：本人', null],
  ]);
  await confirmReceipt({ ...st.shopper.ctx, now: t0 + CONFIRMED_AFTER }, st.orderId);
}

/** The admin ships the order at `at` with a fresh tracking number of `carrier`. */
async function ship(st: Stage, carrier: string, at: number): Promise<{ carrierCode: string; trackingNo: string }> {
  const digits = [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b % 10).join('');
  const parcel = { carrierCode: carrier, trackingNo: `${carrier}${digits}` };
  await shipOrder({ ...st.ctx, now: at }, st.orderId, parcel);
  return parcel;
}

/** The carrier reports scans (time, status, description, location), as its webhook would. */
async function track(
  st: Stage,
  parcel: { carrierCode: string; trackingNo: string },
  scans: [number, string, string, string | null][],
): Promise<void> {
  const input = TrackingWebhookInput.parse({
    ...parcel,
    events: scans.map(([at, status, description, location]) => ({ at: iso(at), status, description, ...(location ? { location } : {}) })),
  });
  await applyTrackingUpdate({ ...st.ctx, now: scans.at(-1)![0] }, input);
}

async function lineIds(st: Stage): Promise<{ id: string; quantity: number }[]> {
  return (await getOrderDetail(st.shopper.ctx, st.orderId)).lines.map((l) => ({ id: l.id, quantity: l.quantity }));
}

/** Plays every part no order plays yet; returns how many orders it placed. Runs as the admin (ctx). */
export async function seedDemoOrders(ctx: Ctx, shoppers: Record<ShopperKey, DemoShopper>, deliver: NotificationDeliver): Promise<number> {
  let placed = 0;
  for (const part of PARTS) {
    const shopper = shoppers[part.shopper];
    if (await part.present(shopper)) continue;
    const items = [];
    for (const l of part.lines) {
      const p = await demoSku(ctx, l.merchantId, l.title);
      needStock(p, l.quantity);
      items.push({ skuId: p.sku.id, quantity: l.quantity });
    }
    const input = CreateOrderInput.parse({ items, addressId: shopper.addressId, buyerNote: part.buyerNote });
    const created = await createOrder(shopper.ctx, input, `demo-seed:order:${part.shopper}:${ctx.now}:${placed}`);
    if (created.orders.length !== 1)
      throw new AppError(
        'dev.seed_data_invalid',
        500,
        `demo order "${part.name}" should be one merchant's order, got ${created.orders.length}`,
      );
    await part.live({ ctx, shopper, orderId: created.orders[0]!.id, deliver });
    placed++;
    ctx.log.info('demo order placed', { part: part.name, orderId: created.orders[0]!.id });
  }
  return placed;
}
