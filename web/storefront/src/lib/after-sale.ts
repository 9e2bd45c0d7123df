/**
 * The after-sale form's arithmetic: how many units of a line can still be asked for, and the
 * refund the server will compute by default (the same rules as the API's planRequest: the paid
 * share of the units, the exact remainder for the last ones, plus the shipping fee when a whole
 * unshipped order is refunded). Pure: no Taro.
 */

export const AFTER_SALE_REASONS = [
  '不想要了',
  '拍错/多拍',
  '商品破损',
  '质量问题',
  '与描述不符',
  '少件/漏发',
  '发错货',
  '尺码不合适',
  '其他',
] as const;

/** photoKeys holds at most this many. */
export const MAX_AFTER_SALE_PHOTOS = 9;

/** After-sales that hold units of their lines (the server's open statuses). */
const RESERVING = new Set(['requested', 'approved', 'returning', 'received']);

export interface OrderLineLike {
  id: string;
  quantity: number;
  payable: number;
  refundedQuantity: number;
  refundedAmount: number;
}

export interface AfterSaleLike {
  type: string;
  status: string;
  lines: { orderLineId: string; quantity: number; amount: number }[];
}

export interface Reserved {
  quantity: number;
  refundQuantity: number;
  amount: number;
}

/** Units and fen other open requests hold, per order line (exchanges hold units, no money). */
export function reservedByLine(afterSales: readonly AfterSaleLike[]): Map<string, Reserved> {
  const out = new Map<string, Reserved>();
  for (const a of afterSales) {
    if (!RESERVING.has(a.status)) continue;
    for (const l of a.lines) {
      const r = out.get(l.orderLineId) ?? { quantity: 0, refundQuantity: 0, amount: 0 };
      r.quantity += l.quantity;
      if (a.type !== 'exchange') r.refundQuantity += l.quantity;
      r.amount += l.amount;
      out.set(l.orderLineId, r);
    }
  }
  return out;
}

const NONE: Reserved = { quantity: 0, refundQuantity: 0, amount: 0 };

/** Units of a line that are neither refunded nor in another open request. */
export function remainingQty(line: OrderLineLike, reserved: Map<string, Reserved>): number {
  const r = reserved.get(line.id) ?? NONE;
  return Math.max(0, line.quantity - line.refundedQuantity - r.quantity);
}

/** The paid share of `quantity` units of a line (the API's lineRefundShare). */
export function lineRefundShare(line: OrderLineLike, r: Reserved, quantity: number): number {
  const left = line.payable - line.refundedAmount - r.amount;
  if (line.refundedQuantity + r.refundQuantity + quantity >= line.quantity) return Math.max(0, left);
  return Math.max(0, Math.min(left, Math.floor((line.payable * quantity) / line.quantity)));
}

/**
 * The refund a request would get by default, in fen (0 for an exchange). `shippingRefunded` is
 * what earlier refunds already gave back of the shipping fee (usually 0).
 */
export function estimateRefund(
  order: { status: string; shippingFee: number; lines: readonly OrderLineLike[] },
  want: readonly { orderLineId: string; quantity: number }[],
  afterSales: readonly AfterSaleLike[],
  type: string,
  shippingRefunded = 0,
): number {
  if (type === 'exchange') return 0;
  const reserved = reservedByLine(afterSales);
  const byId = new Map(order.lines.map((l) => [l.id, l]));
  let total = 0;
  for (const w of want) {
    const l = byId.get(w.orderLineId);
    if (!l || w.quantity <= 0) continue;
    total += lineRefundShare(l, reserved.get(l.id) ?? NONE, w.quantity);
  }
  const open = afterSales.filter((a) => RESERVING.has(a.status)).length;
  const qty = new Map(want.map((w) => [w.orderLineId, w.quantity]));
  const wholeOrder =
    order.status === 'paid' && open === 0 && order.lines.every((l) => l.refundedQuantity + (qty.get(l.id) ?? 0) === l.quantity);
  if (wholeOrder) total += Math.max(0, order.shippingFee - shippingRefunded);
  return total;
}

/** What is wrong with a return parcel's carrier / tracking number (the API's rules), or null. */
export function returnShipmentProblem(carrier: string, trackingNo: string): string | null {
  const c = carrier.trim();
  if (Array.from(c).length < 2) return '请选择或填写快递公司';
  if (Array.from(c).length > 20) return '快递公司名称最多20个字';
  if (!/^[0-9A-Za-z-]{6,40}$/.test(trackingNo.trim())) return '请填写正确的快递单号';
  return null;
}
