import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger, Tally } from './log';
import { api } from '../../test/helpers';
import { sellable, shopperWithAddress } from '../../test/shop';
import { skusWithAlarms } from '../../test/sku-stock';

// the reservation's expiry alarm is deleted after the file (DO alarms outlive a test)
const usedSkus = skusWithAlarms();

afterEach(() => vi.restoreAllMocks());

const lines = (spy: { mock: { calls: unknown[][] } }) => spy.mock.calls.map((c) => JSON.parse(String(c[0])) as Record<string, any>);

describe('routine refusals are counted, not logged one by one', () => {
  it('writes one line per window with the counts of the window before', () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
    const tally = new Tally(createLogger({ service: 't' }), 'routine refusals', 1000);
    for (let i = 0; i < 500; i++) tally.count('409 flash_sales.sold_out', 10_000 + i);
    tally.count('429 flash_sales.rate_limited', 10_600);
    expect(spy).not.toHaveBeenCalled();
    tally.count('409 flash_sales.sold_out', 11_200); // the window closed: its counts go out in one line
    expect(lines(spy)).toEqual([
      expect.objectContaining({
        msg: 'routine refusals',
        windowMs: 1200,
        counts: { '409 flash_sales.sold_out': 500, '429 flash_sales.rate_limited': 1 },
      }),
    ]);
  });

  it('a routine refusal gets no request line; any other answer does', async () => {
    const spy = vi.spyOn(console, 'log').mockImplementation(() => {});
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    // a sold-out answer is routine (AppError.routine); a 404 for an unknown sale is not
    const s = await sellable(5000, 5);
    usedSkus.add(s.skuId);
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const sale = await api('POST', '/admin/v1/flash-sales', {
      token: s.admin,
      body: { skuId: s.skuId, salePrice: 100, allocated: 1, perShopperLimit: 1, startsAt: at(-60_000), endsAt: at(3_600_000) },
    });
    const [a, b] = [await shopperWithAddress(), await shopperWithAddress()];
    const reserve = (token: string, id: string) =>
      api('POST', `/store/v1/flash-sales/${id}/reserve`, {
        token,
        body: { quantity: 1 },
        headers: { 'idempotency-key': crypto.randomUUID() },
      });
    expect((await reserve(a.token, sale.body.id)).status).toBe(201);
    spy.mockClear();
    const soldOut = await reserve(b.token, sale.body.id);
    expect(soldOut.body.error.code).toBe('flash_sales.sold_out');
    expect(lines(spy).filter((l) => l.msg === 'request')).toEqual([]);
    expect((await reserve(b.token, 'fls_nosuchsale')).status).toBe(404);
    expect(lines(spy).filter((l) => l.msg === 'request')).toEqual([expect.objectContaining({ status: 404 })]);
  });
});
