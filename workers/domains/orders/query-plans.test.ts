// The order lists never read the orders table whole: the shopper's history (every status tab,
// page 2) and order detail, the console's list with each filter it offers (status, order number,
// date range; merchant staff scoped to their own; merchant and shopper filters of the API), and
// the cron sweeps that run every minute over all orders. Each request goes through the real app;
// every statement it runs is explained (test/query-plans.ts).
import { beforeAll, describe, expect, it } from 'vitest';
import { adminToken, api, staffToken } from '../../../test/helpers';
import { placeOrder, sellable, shopperWithAddress } from '../../../test/shop';
import { captureCall, expectBoundedPlans, expectRequestPlans } from '../../../test/query-plans';
import { ORDER_STATUSES } from './schema';
import { autoConfirmDue, expiredPendingCheckoutIds } from './orders.service';
import { ordersDueForSettlement } from './settlement-queries';

let shopper: { token: string; addressId: string };
let admin: string;
let merchant: string;
let order: { id: string; orderNo: string };

beforeAll(async () => {
  const { skuId, admin: a } = await sellable(1990, 50);
  admin = a;
  // sellable() creates platform products: the platform merchant's staff see these orders.
  merchant = await staffToken('merchant', 'mch_platform');
  shopper = await shopperWithAddress();
  for (let i = 0; i < 3; i++) {
    const r = await placeOrder(shopper.token, shopper.addressId, skuId, 1);
    expect(r.status).toBe(201);
    order = { id: r.body.orders[0].id, orderNo: r.body.orders[0].orderNo };
  }
  const cancelled = await api('POST', `/store/v1/orders/${order.id}/cancel`, { token: shopper.token, body: {} });
  expect(cancelled.status).toBe(200);
});

// Lines of a page of orders are sorted by id after an index lookup per order.
const pageLines = { order_lines: 'the lines of one page of orders (at most 100 orders)' };
const byShopper = { table: 'orders', first: /^SEARCH orders USING INDEX orders_user_created_idx \(user_id=\?/ };
// A status tab seeks the shopper's orders in that status: the whole key, no filtering walk.
const byShopperStatus = { table: 'orders', first: /^SEARCH orders USING INDEX orders_user_status_created_idx \(user_id=\? AND status=\?/ };

async function secondPage(name: string, path: string, opts: Parameters<typeof expectRequestPlans>[3]) {
  const sep = path.includes('?') ? '&' : '?';
  const first = await expectRequestPlans(`${name} (page 1)`, 'GET', `${path}${sep}limit=1`, opts);
  expect(first.body.nextCursor, `${name}: a second page exists`).toBeTruthy();
  await expectRequestPlans(`${name} (page 2)`, 'GET', `${path}${sep}limit=1&cursor=${first.body.nextCursor}`, { ...opts, seek: true });
}

describe("the shopper's order history", () => {
  it('all orders, each status tab, page 2, one order', async () => {
    const all = await expectRequestPlans('listOrders', 'GET', '/store/v1/orders', {
      token: shopper.token,
      drives: byShopper,
      sorts: pageLines,
    });
    expect(all.body.items).toHaveLength(3);
    for (const status of ORDER_STATUSES)
      await expectRequestPlans(`listOrders status=${status}`, 'GET', `/store/v1/orders?status=${status}`, {
        token: shopper.token,
        drives: byShopperStatus,
        sorts: pageLines,
      });
    await secondPage('listOrders', '/store/v1/orders', { token: shopper.token, drives: byShopper, sorts: pageLines });
    await secondPage('listOrders unpaid tab', '/store/v1/orders?status=pending_payment', {
      token: shopper.token,
      drives: byShopperStatus,
      sorts: pageLines,
    });
    await expectRequestPlans('getOrder', 'GET', `/store/v1/orders/${order.id}`, {
      token: shopper.token,
      drives: { table: 'orders', first: /^SEARCH orders USING INDEX sqlite_autoindex_orders_1 \(id=\?\)/ },
      sorts: { order_lines: "one order's lines", order_events: "one order's timeline" },
    });
  });
});

describe("the console's order list", () => {
  const day = 86_400_000;
  const range = `createdFrom=${new Date(Date.now() - 7 * day).toISOString()}&createdTo=${new Date(Date.now() + day).toISOString()}`;

  it('without filters, by each status, by order number, by date range, with status and dates, page 2', async () => {
    await expectRequestPlans('listAdminOrders', 'GET', '/admin/v1/orders', {
      token: admin,
      sorts: pageLines,
      walks: { 'orders/orders_created_idx': 'newest first over all orders: the first page ends the walk' },
      drives: { table: 'orders', first: /^SCAN orders USING INDEX orders_created_idx$/ },
    });
    for (const status of ORDER_STATUSES)
      await expectRequestPlans(`listAdminOrders status=${status}`, 'GET', `/admin/v1/orders?status=${status}`, {
        token: admin,
        sorts: pageLines,
        drives: { table: 'orders', first: /^SEARCH orders USING INDEX orders_status_created_idx \(status=\?\)/ },
      });
    const byNo = await expectRequestPlans('listAdminOrders orderNo', 'GET', `/admin/v1/orders?orderNo=${order.orderNo}`, {
      token: admin,
      sorts: { ...pageLines, orders: 'at most one order has this number' },
      drives: { table: 'orders', first: /^SEARCH orders USING INDEX orders_order_no_unique \(order_no=\?\)/ },
    });
    expect(byNo.body.items.map((o: { id: string }) => o.id)).toEqual([order.id]);
    await expectRequestPlans('listAdminOrders date range', 'GET', `/admin/v1/orders?${range}`, {
      token: admin,
      sorts: pageLines,
      drives: { table: 'orders', first: /^SEARCH orders USING INDEX orders_created_idx \(created_at>\? AND created_at<\?\)/ },
    });
    await expectRequestPlans('listAdminOrders status + date range', 'GET', `/admin/v1/orders?status=pending_payment&${range}`, {
      token: admin,
      sorts: pageLines,
      drives: {
        table: 'orders',
        first: /^SEARCH orders USING INDEX orders_status_created_idx \(status=\? AND created_at>\? AND created_at<\?\)/,
      },
    });
    await secondPage('listAdminOrders', '/admin/v1/orders', {
      token: admin,
      sorts: pageLines,
      walks: { 'orders/orders_created_idx': 'newest first over all orders: the first page ends the walk' },
      drives: { table: 'orders', first: /^(SCAN|SEARCH) orders USING INDEX orders_created_idx/ },
    });
    await secondPage('listAdminOrders status', '/admin/v1/orders?status=pending_payment', {
      token: admin,
      sorts: pageLines,
      drives: { table: 'orders', first: /^SEARCH orders USING INDEX orders_status_created_idx \(status=\?/ },
    });
  });

  it("merchant staff see their own merchant's orders: alone, by status, by date range, page 2", async () => {
    const own = { table: 'orders', first: /^SEARCH orders USING INDEX orders_merchant_created_idx \(merchant_id=\?/ };
    const ownStatus = {
      table: 'orders',
      first: /^SEARCH orders USING INDEX orders_merchant_status_created_idx \(merchant_id=\? AND status=\?/,
    };
    await expectRequestPlans('listAdminOrders (merchant)', 'GET', '/admin/v1/orders', { token: merchant, sorts: pageLines, drives: own });
    for (const status of ORDER_STATUSES)
      await expectRequestPlans(`listAdminOrders (merchant) status=${status}`, 'GET', `/admin/v1/orders?status=${status}`, {
        token: merchant,
        sorts: pageLines,
        drives: ownStatus,
      });
    await expectRequestPlans('listAdminOrders (merchant) date range', 'GET', `/admin/v1/orders?${range}`, {
      token: merchant,
      sorts: pageLines,
      drives: own,
    });
    await secondPage('listAdminOrders (merchant)', '/admin/v1/orders', { token: merchant, sorts: pageLines, drives: own });
  });

  it("the API's merchant and shopper filters", async () => {
    const me = await api('GET', '/store/v1/me', { token: shopper.token });
    const userId = me.body.id ?? me.body.user?.id;
    expect(userId, JSON.stringify(me.body)).toBeTruthy();
    await expectRequestPlans('listAdminOrders merchantId', 'GET', '/admin/v1/orders?merchantId=mch_platform', {
      token: admin,
      sorts: pageLines,
      drives: { table: 'orders', first: /^SEARCH orders USING INDEX orders_merchant_created_idx \(merchant_id=\?\)/ },
    });
    await expectRequestPlans('listAdminOrders userId', 'GET', `/admin/v1/orders?userId=${userId}`, {
      token: admin,
      sorts: pageLines,
      drives: byShopper,
    });
    await expectRequestPlans('listAdminOrders userId + status', 'GET', `/admin/v1/orders?userId=${userId}&status=cancelled`, {
      token: admin,
      sorts: pageLines,
      drives: byShopperStatus,
    });
    await expectRequestPlans(
      'listAdminOrders merchantId + status + date range',
      'GET',
      `/admin/v1/orders?merchantId=mch_platform&status=paid&${range}`,
      {
        token: admin,
        sorts: pageLines,
        drives: {
          table: 'orders',
          first:
            /^SEARCH orders USING INDEX orders_merchant_status_created_idx \(merchant_id=\? AND status=\? AND created_at>\? AND created_at<\?\)/,
        },
      },
    );
  });
});

describe('cron sweeps over all orders (every minute)', () => {
  it('expired unpaid checkouts, orders to auto-confirm, orders due for settlement', async () => {
    await expectBoundedPlans({
      name: 'expiredPendingCheckoutIds',
      statements: await captureCall((ctx) => expiredPendingCheckoutIds(ctx, Date.now())),
      drives: { table: 'checkouts', first: /^SEARCH checkouts USING INDEX checkouts_status_expires_idx \(status=\? AND expires_at<\?\)/ },
    });
    await expectBoundedPlans({
      name: 'autoConfirmDue',
      statements: await captureCall((ctx) => autoConfirmDue(ctx)),
      drives: { table: 'orders', first: /^SEARCH orders USING INDEX orders_status_confirm_idx \(status=\? AND auto_confirm_at<\?\)/ },
    });
    await expectBoundedPlans({
      name: 'ordersDueForSettlement',
      statements: await captureCall((ctx) => ordersDueForSettlement(ctx)),
      // Only completed, unsettled orders are in this index: a sweep reads what is due, not history.
      drives: { table: 'orders', first: /^SEARCH orders USING INDEX orders_settlement_due_idx \(completed_at<\?\)/ },
    });
  });
});
