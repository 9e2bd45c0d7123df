import { describe, expect, it } from 'vitest';
import { estimateRefund, lineRefundShare, remainingQty, reservedByLine, returnShipmentProblem } from '@/lib/after-sale';

const line = (id: string, quantity: number, payable: number, refundedQuantity = 0, refundedAmount = 0) => ({
  id,
  quantity,
  payable,
  refundedQuantity,
  refundedAmount,
});
const as = (type: string, status: string, lines: [string, number, number][]) => ({
  type,
  status,
  lines: lines.map(([orderLineId, quantity, amount]) => ({ orderLineId, quantity, amount })),
});

describe('after-sale units', () => {
  it('other open requests hold units (exchanges hold no money); finished ones do not', () => {
    const r = reservedByLine([
      as('refund_only', 'requested', [['l1', 1, 500]]),
      as('exchange', 'approved', [['l1', 1, 0]]),
      as('refund_only', 'refunded', [['l1', 1, 500]]),
    ]);
    expect(r.get('l1')).toEqual({ quantity: 2, refundQuantity: 1, amount: 500 });
    expect(remainingQty(line('l1', 4, 4000, 1, 1000), r)).toBe(1);
    expect(remainingQty(line('l2', 2, 2000), r)).toBe(2);
  });
});

describe('refund estimate', () => {
  it('is the floored paid share, the exact remainder for the last units', () => {
    const l = line('l1', 3, 1000);
    const none = { quantity: 0, refundQuantity: 0, amount: 0 };
    expect(lineRefundShare(l, none, 1)).toBe(333);
    expect(lineRefundShare(l, none, 3)).toBe(1000);
    expect(lineRefundShare(line('l1', 3, 1000, 2, 666), none, 1)).toBe(334);
  });

  it('gives the shipping fee back when a whole unshipped order is refunded', () => {
    const order = { status: 'paid', shippingFee: 800, lines: [line('l1', 2, 12740)] };
    expect(estimateRefund(order, [{ orderLineId: 'l1', quantity: 2 }], [], 'refund_only')).toBe(13540);
    expect(estimateRefund(order, [{ orderLineId: 'l1', quantity: 1 }], [], 'refund_only')).toBe(6370);
    expect(estimateRefund({ ...order, status: 'shipped' }, [{ orderLineId: 'l1', quantity: 2 }], [], 'return_refund')).toBe(12740);
    expect(estimateRefund(order, [{ orderLineId: 'l1', quantity: 2 }], [], 'exchange')).toBe(0);
  });

  it('leaves out what another open request already holds', () => {
    const order = { status: 'paid', shippingFee: 800, lines: [line('l1', 2, 12740)] };
    const open = [as('refund_only', 'requested', [['l1', 1, 6370]])];
    expect(estimateRefund(order, [{ orderLineId: 'l1', quantity: 1 }], open, 'refund_only')).toBe(6370);
  });
});

describe('return parcel', () => {
  it('checks the carrier and tracking number like the API', () => {
    expect(returnShipmentProblem('顺丰速运', 'SF1234567890')).toBeNull();
    expect(returnShipmentProblem('', 'SF1234567890')).toBe('请选择或填写快递公司');
    expect(returnShipmentProblem('顺丰速运', '12 34')).toBe('请填写正确的快递单号');
  });
});
