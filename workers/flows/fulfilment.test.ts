import { describe, expect, it } from 'vitest';
import { api, staffToken } from '../../test/helpers';
import { placeOrder, sellable, shopperWithAddress } from '../../test/shop';

describe('shipOrder and after-sales', () => {
  it('a refund asked for before shipping must be answered before the order can ship', async () => {
    const { skuId } = await sellable(3000, 10);
    const s = await shopperWithAddress();
    const placed = await placeOrder(s.token, s.addressId, skuId, 2);
    const orderId = placed.body.orders[0].id;
    await api('POST', `/store/v1/orders/${orderId}/pay`, { token: s.token });
    await api('POST', `/sandbox/wechatpay/transactions/${placed.body.checkoutId}/pay`);
    const detail = await api('GET', `/store/v1/orders/${orderId}`, { token: s.token });
    const as = await api('POST', `/store/v1/orders/${orderId}/after-sales`, {
      token: s.token,
      body: { type: 'refund_only', reason: '不想要了', lines: [{ orderLineId: detail.body.lines[0].id, quantity: 1 }] },
      headers: { 'idempotency-key': `as-${crypto.randomUUID()}` },
    });
    expect(as.status).toBe(201);
    const ops = await staffToken('operator');
    const ship = await api('POST', `/admin/v1/orders/${orderId}/ship`, {
      token: ops,
      body: { carrierCode: 'SF', trackingNo: 'SF5550000001' },
    });
    expect(ship.status).toBe(409);
    expect(ship.body.error.code).toBe('orders.aftersale_pending');
    const support = await staffToken('support'); // after-sales are customer service's job
    const rejected = await api('POST', `/admin/v1/after-sales/${as.body.id}/review`, {
      token: support,
      body: { decision: 'reject', reason: '已在打包' },
    });
    expect(rejected.body.status).toBe('rejected');
    const shipped = await api('POST', `/admin/v1/orders/${orderId}/ship`, {
      token: ops,
      body: { carrierCode: 'SF', trackingNo: 'SF5550000001' },
    });
    expect(shipped.status).toBe(200);
    expect(shipped.body.status).toBe('shipped');
  });
});
