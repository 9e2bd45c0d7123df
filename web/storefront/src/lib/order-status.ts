/**
 * What an order's (and an after-sale's) status means to a shopper: the Chinese label, a line of
 * explanation, and which buttons the order offers. Also the tabs of 我的订单 and the statuses each
 * tab lists. Pure: no Taro.
 */

export type OrderStatus = 'pending_payment' | 'paid' | 'shipped' | 'delivered' | 'completed' | 'cancelled' | 'closed';
export type AfterSaleStatus =
  'requested' | 'approved' | 'rejected' | 'returning' | 'received' | 'refunding' | 'refunded' | 'exchanged' | 'cancelled';
export type AfterSaleType = 'refund_only' | 'return_refund' | 'exchange';

export const ORDER_STATUS_LABEL: Record<OrderStatus, string> = {
  pending_payment: '待付款',
  paid: '待发货',
  shipped: '待收货',
  delivered: '待收货',
  completed: '已完成',
  cancelled: '已取消',
  closed: '已关闭',
};

/**
 * Buttons an order offers the shopper:
 * pay 去支付 · cancel 取消订单 · refund 申请退款 (whole order, before shipping) ·
 * logistics 查看物流 · confirm 确认收货 · afterSale 申请售后 · team 邀请好友 (a group-buy order waiting for its team).
 */
export type OrderAction = 'pay' | 'cancel' | 'refund' | 'logistics' | 'confirm' | 'afterSale' | 'team';

export const ORDER_ACTION_LABEL: Record<OrderAction, string> = {
  pay: '去支付',
  cancel: '取消订单',
  refund: '申请退款',
  logistics: '查看物流',
  confirm: '确认收货',
  afterSale: '申请售后',
  team: '邀请好友',
};

const ACTIONS: Record<OrderStatus, OrderAction[]> = {
  pending_payment: ['cancel', 'pay'],
  paid: ['refund'],
  shipped: ['logistics', 'confirm'],
  delivered: ['logistics', 'confirm'],
  completed: ['afterSale'],
  cancelled: [],
  closed: [],
};

/** Statuses whose lines accept an after-sale request (the server also checks the 15-day window). */
const AFTER_SALE_OPEN_TO: ReadonlySet<OrderStatus> = new Set(['paid', 'shipped', 'delivered', 'completed']);

/** After-sales still being worked on (they hold units of the order). */
export const OPEN_AFTER_SALE: ReadonlySet<AfterSaleStatus> = new Set(['requested', 'approved', 'returning', 'received', 'refunding']);

/** What the order list and detail know of an order beyond its status. */
export interface OrderFlags {
  /** one of its after-sales is still in progress */
  afterSaleOpen?: boolean;
  /** a paid group-buy order whose team is not full yet (the server's `awaitingGroup`) */
  awaitingGroup?: boolean;
}

export interface OrderView {
  /** 待付款 / 待发货 / 待收货 / 已完成 / 已取消 / 已关闭, 待成团 while its team forms, or 售后中 while a request is open */
  label: string;
  /** one line under the label */
  desc: string;
  /** for styling: the banner colour */
  tone: 'pay' | 'progress' | 'done' | 'closed' | 'aftersale';
  actions: OrderAction[];
  /** whether each line may get its own 申请售后 / 退款 button */
  lineAfterSale: boolean;
}

export function isOrderStatus(s: string): s is OrderStatus {
  return s in ORDER_STATUS_LABEL;
}

/** A paid group-buy order waiting for its team: it neither ships nor takes after-sales until the team forms. */
function waitsForTeam(status: string, awaitingGroup: boolean | undefined): boolean {
  return status === 'paid' && !!awaitingGroup;
}

/** The label of a status, also for statuses this storefront does not know yet. */
export function orderStatusLabel(status: string, { awaitingGroup }: OrderFlags = {}): string {
  if (waitsForTeam(status, awaitingGroup)) return '待成团';
  return isOrderStatus(status) ? ORDER_STATUS_LABEL[status] : '处理中';
}

/** The order's banner and buttons. */
export function orderView(status: string, { afterSaleOpen = false, awaitingGroup }: OrderFlags = {}): OrderView {
  if (!isOrderStatus(status))
    return { label: '处理中', desc: '订单处理中，请稍后刷新', tone: 'progress', actions: [], lineAfterSale: false };
  if (waitsForTeam(status, awaitingGroup))
    return {
      label: '待成团',
      desc: '拼团中，人满后商家发货；超时未成团将自动全额退款',
      tone: 'progress',
      actions: ['team'],
      lineAfterSale: false,
    };
  const actions = [...ACTIONS[status]];
  const lineAfterSale = AFTER_SALE_OPEN_TO.has(status);
  if (afterSaleOpen && lineAfterSale) {
    // The whole-order refund would collide with the open request; the lines still say what is left.
    return {
      label: '售后中',
      desc: '售后申请处理中，请留意商家处理结果',
      tone: 'aftersale',
      actions: actions.filter((a) => a !== 'refund'),
      lineAfterSale,
    };
  }
  const desc: Record<OrderStatus, string> = {
    pending_payment: '请尽快完成支付，超时订单将自动取消',
    paid: '商家正在备货，请耐心等待',
    shipped: '商品已发出，请注意查收',
    delivered: '商品已送达，请确认收货',
    completed: '交易完成，感谢您的购买',
    cancelled: '订单已取消',
    closed: '订单已关闭',
  };
  const tone: OrderView['tone'] =
    status === 'pending_payment'
      ? 'pay'
      : status === 'completed'
        ? 'done'
        : status === 'cancelled' || status === 'closed'
          ? 'closed'
          : 'progress';
  return { label: ORDER_STATUS_LABEL[status], desc: desc[status], tone, actions, lineAfterSale };
}

/** Buttons of an order card in the list (no after-sale knowledge there): 查看物流 is left to the detail page. */
export function orderCardActions(status: string, { awaitingGroup }: OrderFlags = {}): OrderAction[] {
  if (!isOrderStatus(status)) return [];
  if (waitsForTeam(status, awaitingGroup)) return ['team'];
  return ACTIONS[status].filter((a) => a !== 'logistics');
}

// ---- 我的订单 tabs ----------------------------------------------------------------------------

export type OrdersTabKey = 'all' | 'unpaid' | 'unshipped' | 'unreceived' | 'completed' | 'aftersale';

export interface OrdersTab {
  key: OrdersTabKey;
  label: string;
  /** the order statuses it lists (empty: all); the 售后 tab lists after-sales instead */
  statuses: OrderStatus[];
}

export const ORDER_TABS: readonly OrdersTab[] = [
  { key: 'all', label: '全部', statuses: [] },
  { key: 'unpaid', label: '待付款', statuses: ['pending_payment'] },
  { key: 'unshipped', label: '待发货', statuses: ['paid'] },
  { key: 'unreceived', label: '待收货', statuses: ['shipped', 'delivered'] },
  { key: 'completed', label: '已完成', statuses: ['completed'] },
  { key: 'aftersale', label: '售后', statuses: [] },
];

const TAB_ALIASES: Record<string, OrdersTabKey> = {
  pending_payment: 'unpaid',
  paid: 'unshipped',
  shipped: 'unreceived',
  delivered: 'unreceived',
  after_sale: 'aftersale',
  'after-sale': 'aftersale',
  aftersales: 'aftersale',
  refund: 'aftersale',
};

/** The tab a `?status=` parameter asks for: a tab key or an order status; anything else is 全部. */
export function ordersTabOf(param: string | undefined | null): OrdersTabKey {
  if (!param) return 'all';
  if (ORDER_TABS.some((t) => t.key === param)) return param as OrdersTabKey;
  return TAB_ALIASES[param] ?? 'all';
}

// ---- after-sales ------------------------------------------------------------------------------

export const AFTER_SALE_TYPE_LABEL: Record<AfterSaleType, string> = { refund_only: '仅退款', return_refund: '退货退款', exchange: '换货' };

/** Which kinds of request an order allows: before shipping only a refund. */
export function afterSaleTypesFor(status: string): AfterSaleType[] {
  if (status === 'paid') return ['refund_only'];
  if (status === 'shipped' || status === 'delivered' || status === 'completed') return ['refund_only', 'return_refund', 'exchange'];
  return [];
}

/** The status of an after-sale as the shopper reads it (an approved return waits for the parcel). */
export function afterSaleStatusLabel(type: string, status: string): string {
  switch (status) {
    case 'requested':
      return '待商家处理';
    case 'approved':
      return type === 'refund_only' ? '商家已同意，待退款' : '商家已同意，请寄回商品';
    case 'rejected':
      return '商家已拒绝';
    case 'returning':
      return '退货寄回中';
    case 'received':
      return type === 'exchange' ? '商家已收货，待换货' : '商家已收货，待退款';
    case 'refunding':
      return '退款中';
    case 'refunded':
      return '退款成功';
    case 'exchanged':
      return '换货完成';
    case 'cancelled':
      return '已撤销';
    default:
      return '处理中';
  }
}

/** Whether the shopper should send the goods back now (approved return / exchange, no tracking yet or fixing it). */
export function needsReturnShipment(type: string, status: string): boolean {
  return type !== 'refund_only' && (status === 'approved' || status === 'returning');
}

/** A request not reviewed yet can be withdrawn. */
export function canCancelAfterSale(status: string): boolean {
  return status === 'requested';
}

// ---- logistics --------------------------------------------------------------------------------

export const TRACKING_STATUS_LABEL: Record<string, string> = {
  picked_up: '已揽收',
  in_transit: '运输中',
  out_for_delivery: '派送中',
  delivered: '已签收',
  exception: '异常',
  shipped: '已发货',
};

export function trackingStatusLabel(status: string): string {
  return TRACKING_STATUS_LABEL[status] ?? '运输中';
}

/** Tracking events newest first (the API says it sends them so; sorting keeps it true). */
export function newestFirst<T extends { at: string }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}
