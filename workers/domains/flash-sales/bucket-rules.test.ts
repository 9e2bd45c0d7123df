import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketOf, bucketShares, fnv1a, MAX_BUCKETS } from './rules';

describe('bucket routing rules', () => {
  it('routes a shopper to one bucket in 0…N−1, the same every time; one bucket is always 0', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.integer({ min: 1, max: MAX_BUCKETS }), (sale, shopper, n) => {
        const b = bucketOf(sale, shopper, n);
        expect(Number.isInteger(b) && b >= 0 && b < n).toBe(true);
        expect(bucketOf(sale, shopper, n)).toBe(b);
        expect(bucketOf(sale, shopper, 1)).toBe(0);
      }),
    );
    // FNV-1a's published test vectors: the hash is the standard one, so any other runtime agrees
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c);
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
  });

  it('spreads shoppers evenly enough that each bucket gets its share of the crowd', () => {
    for (const n of [4, 16]) {
      const counts = Array<number>(n).fill(0);
      for (let i = 0; i < 16_000; i++) counts[bucketOf('fls_spread', `usr_${i.toString(36)}`, n)]!++;
      for (const c of counts) expect(Math.abs(c - 16_000 / n) / (16_000 / n)).toBeLessThan(0.1);
    }
  });

  it('splits the allocation into N shares that add up to it and differ by at most one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 1, max: MAX_BUCKETS }), (allocated, n) => {
        const shares = bucketShares(allocated, n);
        expect(shares).toHaveLength(n);
        expect(shares.reduce((a, x) => a + x, 0)).toBe(allocated);
        expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
      }),
    );
  });
});
