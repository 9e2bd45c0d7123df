import { describe, expect, it } from 'vitest';
import {
  ORDER_TABS,
  afterSaleStatusLabel,
  afterSaleTypesFor,
  canCancelAfterSale,
  needsReturnShipment,
  newestFirst,
  orderCardActions,
  orderStatusLabel,
  orderView,
  ordersTabOf,
  trackingStatusLabel,
} from '@/lib/order-status';

describe('order status', () => {
  it('labels each status the way a shop app does', () => {
    expect(orderStatusLabel('pending_payment')).toBe('待付款');
    expect(orderStatusLabel('paid')).toBe('待发货');
    expect(orderStatusLabel('shipped')).toBe('待收货');
    expect(orderStatusLabel('delivered')).toBe('待收货');
    expect(orderStatusLabel('completed')).toBe('已完成');
    expect(orderStatusLabel('cancelled')).toBe('已取消');
    expect(orderStatusLabel('closed')).toBe('已关闭');
    expect(orderStatusLabel('something_new')).toBe('处理中');
  });

  it('offers the buttons each status allows', () => {
    expect(orderView('pending_payment').actions).toEqual(['cancel', 'pay']);
    expect(orderView('paid').actions).toEqual(['refund']);
    expect(orderView('shipped').actions).toEqual(['logistics', 'confirm']);
    expect(orderView('delivered').actions).toEqual(['logistics', 'confirm']);
    expect(orderView('completed').actions).toEqual(['afterSale']);
    expect(orderView('cancelled').actions).toEqual([]);
    expect(orderView('closed').actions).toEqual([]);
  });

  it('lets lines ask for an after-sale only once paid, never on an unpaid or closed order', () => {
    for (const s of ['paid', 'shipped', 'delivered', 'completed']) expect(orderView(s).lineAfterSale).toBe(true);
    for (const s of ['pending_payment', 'cancelled', 'closed', 'weird']) expect(orderView(s).lineAfterSale).toBe(false);
  });

  it('says 售后中 while a request is open, and drops the whole-order refund then', () => {
    const v = orderView('paid', { afterSaleOpen: true });
    expect(v.label).toBe('售后中');
    expect(v.tone).toBe('aftersale');
    expect(v.actions).toEqual([]);
    expect(orderView('shipped', { afterSaleOpen: true }).actions).toEqual(['logistics', 'confirm']);
    // an unpaid order has no after-sales: the flag changes nothing
    expect(orderView('pending_payment', { afterSaleOpen: true }).label).toBe('待付款');
  });

  it('says 待成团 for a paid group-buy order waiting for its team: only 邀请好友, no refund, no line after-sales', () => {
    expect(orderStatusLabel('paid', { awaitingGroup: true })).toBe('待成团');
    const v = orderView('paid', { awaitingGroup: true });
    expect(v).toMatchObject({ label: '待成团', actions: ['team'], lineAfterSale: false });
    expect(v.desc).toContain('未成团将自动全额退款');
    expect(orderCardActions('paid', { awaitingGroup: true })).toEqual(['team']);
    // the team waits only for paid orders: an unpaid seat still pays, a formed team ships as usual
    expect(orderStatusLabel('pending_payment', { awaitingGroup: true })).toBe('待付款');
    expect(orderView('pending_payment', { awaitingGroup: true }).actions).toEqual(['cancel', 'pay']);
    expect(orderView('paid', { awaitingGroup: false }).actions).toEqual(['refund']);
    expect(orderCardActions('paid')).toEqual(['refund']);
  });

  it('leaves 查看物流 to the detail page on a card', () => {
    expect(orderCardActions('shipped')).toEqual(['confirm']);
    expect(orderCardActions('pending_payment')).toEqual(['cancel', 'pay']);
    expect(orderCardActions('nope')).toEqual([]);
  });
});

describe('orders tabs', () => {
  it('are 全部/待付款/待发货/待收货/已完成/售后, 待收货 covering shipped and delivered', () => {
    expect(ORDER_TABS.map((t) => t.label)).toEqual(['全部', '待付款', '待发货', '待收货', '已完成', '售后']);
    expect(ORDER_TABS.find((t) => t.key === 'unreceived')!.statuses).toEqual(['shipped', 'delivered']);
    expect(ORDER_TABS.find((t) => t.key === 'all')!.statuses).toEqual([]);
  });

  it('pick the tab from ?status= given as a tab key or an order status', () => {
    expect(ordersTabOf(undefined)).toBe('all');
    expect(ordersTabOf('')).toBe('all');
    expect(ordersTabOf('unpaid')).toBe('unpaid');
    expect(ordersTabOf('pending_payment')).toBe('unpaid');
    expect(ordersTabOf('paid')).toBe('unshipped');
    expect(ordersTabOf('shipped')).toBe('unreceived');
    expect(ordersTabOf('delivered')).toBe('unreceived');
    expect(ordersTabOf('completed')).toBe('completed');
    expect(ordersTabOf('aftersale')).toBe('aftersale');
    expect(ordersTabOf('refund')).toBe('aftersale');
    expect(ordersTabOf('bogus')).toBe('all');
  });
});

describe('after-sales', () => {
  it('allow only a refund before shipping', () => {
    expect(afterSaleTypesFor('paid')).toEqual(['refund_only']);
    expect(afterSaleTypesFor('shipped')).toEqual(['refund_only', 'return_refund', 'exchange']);
    expect(afterSaleTypesFor('completed')).toEqual(['refund_only', 'return_refund', 'exchange']);
    expect(afterSaleTypesFor('pending_payment')).toEqual([]);
    expect(afterSaleTypesFor('cancelled')).toEqual([]);
  });

  it('read as the shopper expects per kind', () => {
    expect(afterSaleStatusLabel('refund_only', 'requested')).toBe('待商家处理');
    expect(afterSaleStatusLabel('refund_only', 'approved')).toBe('商家已同意，待退款');
    expect(afterSaleStatusLabel('return_refund', 'approved')).toBe('商家已同意，请寄回商品');
    expect(afterSaleStatusLabel('exchange', 'received')).toBe('商家已收货，待换货');
    expect(afterSaleStatusLabel('return_refund', 'received')).toBe('商家已收货，待退款');
    expect(afterSaleStatusLabel('refund_only', 'refunded')).toBe('退款成功');
    expect(afterSaleStatusLabel('refund_only', 'cancelled')).toBe('已撤销');
    expect(afterSaleStatusLabel('refund_only', 'rejected')).toBe('商家已拒绝');
  });

  it('ask for the return parcel only on approved returns and exchanges; withdraw only before review', () => {
    expect(needsReturnShipment('return_refund', 'approved')).toBe(true);
    expect(needsReturnShipment('exchange', 'returning')).toBe(true);
    expect(needsReturnShipment('refund_only', 'approved')).toBe(false);
    expect(needsReturnShipment('return_refund', 'requested')).toBe(false);
    expect(canCancelAfterSale('requested')).toBe(true);
    expect(canCancelAfterSale('approved')).toBe(false);
  });
});

describe('tracking', () => {
  it('labels carrier events and puts the newest first', () => {
    expect(trackingStatusLabel('out_for_delivery')).toBe('派送中');
    expect(trackingStatusLabel('delivered')).toBe('已签收');
    expect(trackingStatusLabel('unknown')).toBe('运输中');
    const evs = [
      { at: '2026-12-01T01:00:00Z', d: 'a' },
      { at: '2026-12-03T01:00:00Z', d: 'c' },
      { at: '2026-12-02T01:00:00Z', d: 'b' },
    ];
    expect(newestFirst(evs).map((e) => e.d)).toEqual(['c', 'b', 'a']);
    expect(evs[0]!.d).toBe('a'); // not sorted in place
  });
});
