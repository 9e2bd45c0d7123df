import { describe, expect, it } from 'vitest';
import { AttemptKeys, newIdempotencyKey } from '@/lib/promo-keys';

const NOW = 1_796_400_000_000;

describe('newIdempotencyKey', () => {
  it('is prefix-time36-16 random base36 chars', () => {
    // 0.5 × 36^6 = 18 × 36^5 → "i00000"
    expect(newIdempotencyKey('fs', () => 0.5, NOW)).toBe(`fs-${NOW.toString(36)}-i00000i00000i000`);
    expect(newIdempotencyKey('gbo', () => 0, NOW)).toBe(`gbo-${NOW.toString(36)}-0000000000000000`);
  });
  it('is what the API accepts (8–100 of letters, digits, ._:-)', () => {
    for (let i = 0; i < 50; i++) expect(newIdempotencyKey('cpn')).toMatch(/^[\w.:-]{8,100}$/);
  });
  it('cleans the prefix, falling back to sf', () => {
    expect(newIdempotencyKey('a b!', () => 0, NOW).startsWith('ab-')).toBe(true);
    expect(newIdempotencyKey('', () => 0, NOW).startsWith('sf-')).toBe(true);
    expect(newIdempotencyKey('!!!', () => 0, NOW).startsWith('sf-')).toBe(true);
  });
  it('differs between calls', () => {
    expect(newIdempotencyKey('x')).not.toBe(newIdempotencyKey('x'));
  });
});

describe('AttemptKeys', () => {
  const counter = () => {
    let n = 0;
    return (p: string) => `${p}-${++n}`;
  };
  it('keeps one key per scope until the attempt is settled', () => {
    const k = new AttemptKeys('gbj', counter());
    expect(k.keyFor('team_1')).toBe('gbj-1');
    expect(k.keyFor('team_1')).toBe('gbj-1'); // a retry sends the same key
    expect(k.keyFor('team_2')).toBe('gbj-2');
    k.settle('team_1');
    expect(k.keyFor('team_1')).toBe('gbj-3'); // the next tap is a new attempt
    expect(k.keyFor('team_2')).toBe('gbj-2');
  });
  it('settling an unknown scope is harmless', () => {
    const k = new AttemptKeys('x', counter());
    k.settle('nothing');
    expect(k.keyFor('a')).toBe('x-1');
  });
  it('makes real keys by default', () => {
    const k = new AttemptKeys('cpn');
    expect(k.keyFor('cpt_1')).toMatch(/^cpn-[0-9a-z]+-[0-9a-z]{16}$/);
  });
});
