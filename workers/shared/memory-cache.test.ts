import { describe, expect, it } from 'vitest';
import { ageState, LruCache, TimedCache, textBytes } from './memory-cache';

const quiet = { warn: () => undefined };

describe('LruCache', () => {
  it('evicts the least recently used entry past maxEntries; a read counts as a use', () => {
    const c = new LruCache<string>({ maxEntries: 3, maxBytes: 1_000_000 }, textBytes);
    c.set('a', '1');
    c.set('b', '2');
    c.set('c', '3');
    expect(c.get('a')).toBe('1'); // a is now the most recent
    c.set('d', '4');
    expect(c.get('b')).toBeUndefined();
    expect(c.keys()).toEqual(['c', 'a', 'd']);
    expect(c.size).toBe(3);
  });

  it('keeps the estimated bytes under maxBytes, evicting as many as needed; refuses a value larger than the budget', () => {
    // weight = value bytes + 2 per key character: each entry below weighs 2*10 + 2 = 22
    const c = new LruCache<string>({ maxEntries: 100, maxBytes: 70 }, textBytes);
    for (const k of ['a', 'b', 'c']) c.set(k, 'x'.repeat(10));
    expect(c.bytes).toBe(66);
    c.set('d', 'y'.repeat(20)); // 42: a and b must go
    expect(c.keys()).toEqual(['c', 'd']);
    expect(c.bytes).toBe(64);
    c.set('huge', 'z'.repeat(100));
    expect(c.get('huge')).toBeUndefined();
    expect(c.keys()).toEqual(['c', 'd']);
  });

  it('replacing or deleting a key releases its bytes', () => {
    const c = new LruCache<string>({ maxEntries: 10, maxBytes: 1000 }, textBytes);
    c.set('k', 'x'.repeat(50));
    c.set('k', 'x'.repeat(10));
    expect(c.bytes).toBe(22);
    c.delete('k');
    expect(c.bytes).toBe(0);
    expect(c.size).toBe(0);
  });
});

describe('ageState', () => {
  const f = { freshMs: 500, maxAgeMs: 1000 };
  it('is fresh up to freshMs, stale up to maxAgeMs, expired after, and expired for a stamp far in the future', () => {
    expect(ageState(1000, 1500, f)).toBe('fresh');
    expect(ageState(1000, 1501, f)).toBe('stale');
    expect(ageState(1000, 2000, f)).toBe('stale');
    expect(ageState(1000, 2001, f)).toBe('expired');
    expect(ageState(10_000, 1000, f)).toBe('expired');
  });
});

describe('TimedCache', () => {
  const policy = { freshMs: 500, maxAgeMs: 1000 };

  it('serves a fresh value without loading; reloads (and waits) once past the bound without waitUntil', async () => {
    const c = new TimedCache<number>({ maxEntries: 10, maxBytes: 1000 }, () => 8, policy);
    let loads = 0;
    const load = async () => ({ value: ++loads, at: 0 });
    expect(await c.read({ now: 0, log: quiet }, 'k', load)).toBe(1);
    expect(await c.read({ now: 500, log: quiet }, 'k', load)).toBe(1);
    expect(loads).toBe(1);
    expect(await c.read({ now: 700, log: quiet }, 'k', async () => ({ value: ++loads, at: 700 }))).toBe(2);
    expect(c.fresh('k', 800)).toBe(2);
    expect(c.fresh('k', 1300)).toBeUndefined();
  });

  it('past freshMs serves the old value while one background refresh runs; past maxAgeMs it waits', async () => {
    const c = new TimedCache<string>({ maxEntries: 10, maxBytes: 1000 }, () => 8, policy);
    await c.read({ now: 0, log: quiet }, 'k', async () => ({ value: 'v1', at: 0 }));
    const background: Promise<unknown>[] = [];
    const ctx = { now: 600, log: quiet, waitUntil: (p: Promise<unknown>) => void background.push(p) };
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      loads++;
      await gate; // the refresh's D1 read takes a while
      return { value: `v${1 + loads}`, at: 600 };
    };
    expect(await c.read(ctx, 'k', load)).toBe('v1');
    expect(await c.read(ctx, 'k', load)).toBe('v1'); // no second refresh while one is under way
    expect(background).toHaveLength(1);
    release();
    await Promise.all(background);
    expect(await c.read(ctx, 'k', load)).toBe('v2');
    expect(loads).toBe(1);
    // nobody asked for 1.1 s: the old value is past the bound, so this request waits for the reload
    expect(await c.read({ ...ctx, now: 1700 }, 'k', async () => ({ value: 'v3', at: 1700 }))).toBe('v3');
  });

  it('does not store a load that straddles a generation change (a local write), but returns it to its caller', async () => {
    let gen = 0;
    const c = new TimedCache<string>(
      { maxEntries: 10, maxBytes: 1000 },
      () => 8,
      policy,
      () => gen,
    );
    let release!: () => void;
    const slow = c.read({ now: 0, log: quiet }, 'k', async () => {
      await new Promise<void>((r) => (release = r));
      return { value: 'before the write', at: 0 };
    });
    await Promise.resolve();
    gen++; // the write commits while the read is under way
    release();
    expect(await slow).toBe('before the write');
    expect(c.fresh('k', 0)).toBeUndefined();
    expect(await c.read({ now: 0, log: quiet }, 'k', async () => ({ value: 'after', at: 0 }))).toBe('after');
  });

  it('stays within its entry bound', async () => {
    const c = new TimedCache<number>({ maxEntries: 3, maxBytes: 1000 }, () => 8, policy);
    for (let i = 0; i < 10; i++) await c.read({ now: 0, log: quiet }, `k${i}`, async () => ({ value: i, at: 0 }));
    expect(c.size).toBe(3);
    expect(c.fresh('k9', 0)).toBe(9);
    expect(c.fresh('k0', 0)).toBeUndefined();
  });
});
