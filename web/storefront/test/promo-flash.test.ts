import { describe, expect, it } from 'vitest';
import {
  clockLabel,
  defaultSessionKey,
  flashSessions,
  flashView,
  hasRounds,
  payMinutesLeft,
  PHASE_TEXT,
  type FlashSale,
} from '@/lib/promo-flash';

// 2026-12-04 10:00 Beijing time
const NOW = Date.parse('2026-12-04T02:00:00.000Z');
const H = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

function sale(over: Partial<FlashSale> = {}): FlashSale {
  return {
    id: 'fs_1',
    skuId: 'sku_1',
    productId: 'prd_1',
    merchantId: 'mch_1',
    title: '保温杯',
    salePrice: 3900,
    originalPrice: 6900,
    allocated: 100,
    remaining: 40,
    perShopperLimit: 1,
    startsAt: iso(NOW - H),
    endsAt: iso(NOW + H),
    state: 'live',
    status: 'active',
    seriesId: 'fss_1',
    roundLabel: '',
    requireToken: false,
    buckets: 1,
    ...over,
  };
}

describe('clockLabel (Beijing time)', () => {
  it('is the time alone today', () => {
    expect(clockLabel('2026-12-04T10:30:00.000Z', NOW)).toBe('18:30');
    expect(clockLabel('2026-12-04T15:59:00.000Z', NOW)).toBe('23:59');
  });
  it('says 明天 for tomorrow (from Beijing midnight)', () => {
    expect(clockLabel('2026-12-04T16:00:00.000Z', NOW)).toBe('明天 00:00');
  });
  it('gives the date further out', () => {
    expect(clockLabel('2026-12-06T02:00:00.000Z', NOW)).toBe('12-06 10:00');
  });
});

describe('flashView', () => {
  it('upcoming: 即将开始, "HH:MM 开抢", 限量 N 件, counts to the start', () => {
    const v = flashView(sale({ startsAt: '2026-12-04T03:00:00.000Z', endsAt: '2026-12-04T04:00:00.000Z', remaining: 100 }), NOW);
    expect(v).toEqual({
      phase: 'upcoming',
      statusKey: 'upcoming',
      status: '即将开始',
      buyText: '11:00 开抢',
      canBuy: false,
      progressText: '限量 100 件',
      soldPercent: 0,
      countdownTarget: '2026-12-04T03:00:00.000Z',
      countdownLabel: '距开始',
    });
  });

  it('live: 抢购中 with 已抢 N% and counts to the end', () => {
    const v = flashView(sale(), NOW);
    expect(v.statusKey).toBe('live');
    expect(v.status).toBe('抢购中');
    expect(v.buyText).toBe('立即抢购');
    expect(v.canBuy).toBe(true);
    expect(v.progressText).toBe('已抢 60%');
    expect(v.soldPercent).toBe(60);
    expect(v.countdownTarget).toBe(iso(NOW + H));
    expect(v.countdownLabel).toBe('距结束');
  });

  it('is live exactly at the start', () => {
    expect(flashView(sale({ startsAt: iso(NOW) }), NOW).status).toBe('抢购中');
  });

  it('says 仅剩 N 件 when few are left (at most a tenth, at least 3)', () => {
    expect(flashView(sale({ remaining: 3 }), NOW).progressText).toBe('仅剩 3 件');
    expect(flashView(sale({ remaining: 10 }), NOW).progressText).toBe('仅剩 10 件');
    expect(flashView(sale({ remaining: 11 }), NOW).progressText).toBe('已抢 89%');
    expect(flashView(sale({ allocated: 5, remaining: 3 }), NOW).progressText).toBe('仅剩 3 件');
  });

  it('shows 限量 N 件 and no bar when the stock is unknown', () => {
    const v = flashView(sale({ remaining: null }), NOW);
    expect(v.progressText).toBe('限量 100 件');
    expect(v.soldPercent).toBeNull();
    expect(v.canBuy).toBe(true);
  });

  it('已抢光 when none remain, still counting to the end', () => {
    const v = flashView(sale({ remaining: 0 }), NOW);
    expect(v).toMatchObject({
      statusKey: 'sold_out',
      status: '已抢光',
      buyText: '已抢光',
      canBuy: false,
      progressText: '已抢 100%',
      soldPercent: 100,
      countdownLabel: '距结束',
    });
  });

  it('已抢光 from this device’s own sold-out answer, ahead of the list', () => {
    expect(flashView(sale({ remaining: 50 }), NOW, { soldOut: true }).status).toBe('已抢光');
  });

  it('已达限购 keeps the sale live but not buyable', () => {
    const v = flashView(sale(), NOW, { limitReached: true });
    expect(v).toMatchObject({ statusKey: 'live', status: '抢购中', buyText: '已达限购', canBuy: false });
  });

  it('已结束 after the end, with no countdown', () => {
    const v = flashView(sale({ endsAt: iso(NOW) }), NOW);
    expect(v).toEqual({
      phase: 'ended',
      statusKey: 'ended',
      status: '已结束',
      buyText: '已结束',
      canBuy: false,
      progressText: '已抢 60%',
      soldPercent: 60,
      countdownTarget: null,
      countdownLabel: '',
    });
  });
});

describe('flashSessions / hasRounds / defaultSessionKey', () => {
  const at10 = '2026-12-04T02:00:00.000Z'; // 10:00 today (live)
  const at20 = '2026-12-04T12:00:00.000Z'; // 20:00 today
  const tmr10 = '2026-12-05T02:00:00.000Z'; // 10:00 tomorrow
  const items = [
    sale({ id: 'b', startsAt: at20, endsAt: '2026-12-04T13:00:00.000Z', roundLabel: '20:00场' }),
    sale({ id: 'a1', startsAt: at10, endsAt: '2026-12-04T03:00:00.000Z', roundLabel: '10:00场' }),
    sale({ id: 'c', startsAt: tmr10, endsAt: '2026-12-05T03:00:00.000Z', roundLabel: '10:00场' }),
    sale({ id: 'a2', startsAt: at10, endsAt: '2026-12-04T03:00:00.000Z', roundLabel: '10:00场' }),
  ];

  it('groups by start, soonest first, with the round labels (明天 for tomorrow)', () => {
    const s = flashSessions(items, NOW);
    expect(s.map((x) => x.label)).toEqual(['10:00场', '20:00场', '明天 10:00场']);
    expect(s.map((x) => x.phase)).toEqual(['live', 'upcoming', 'upcoming']);
    expect(s[0]!.items.map((i) => i.id)).toEqual(['a1', 'a2']);
    expect(s[0]!.key).toBe(String(Date.parse(at10)));
  });

  it('labels unnamed sessions by their start time', () => {
    const s = flashSessions([sale({ startsAt: '2026-12-04T10:30:00.000Z', endsAt: '2026-12-04T11:30:00.000Z' })], NOW);
    expect(s.map((x) => x.label)).toEqual(['18:30场']);
  });

  it('marks a session ended only when all its sales ended', () => {
    const s = flashSessions([sale({ id: 'x', startsAt: iso(NOW - 2 * H), endsAt: iso(NOW - H) })], NOW);
    expect(s[0]!.phase).toBe('ended');
  });

  it('shows tabs only for sales in rounds', () => {
    expect(hasRounds(items)).toBe(true);
    expect(hasRounds([sale()])).toBe(false);
  });

  it('opens the session holding the highlighted sale, else the live one, else the first upcoming', () => {
    const s = flashSessions(items, NOW);
    expect(defaultSessionKey(s, 'c')).toBe(String(Date.parse(tmr10)));
    expect(defaultSessionKey(s)).toBe(String(Date.parse(at10)));
    expect(defaultSessionKey(s.slice(1))).toBe(String(Date.parse(at20)));
    expect(defaultSessionKey([])).toBeUndefined();
  });

  it('PHASE_TEXT names the phases', () => {
    expect(PHASE_TEXT).toEqual({ upcoming: '即将开始', live: '抢购中', ended: '已结束' });
  });
});

describe('payMinutesLeft', () => {
  it('rounds up to whole minutes, at least 1', () => {
    expect(payMinutesLeft(iso(NOW + 15 * 60_000), NOW)).toBe(15);
    expect(payMinutesLeft(iso(NOW + 14 * 60_000 + 1000), NOW)).toBe(15);
    expect(payMinutesLeft(iso(NOW + 30_000), NOW)).toBe(1);
    expect(payMinutesLeft(iso(NOW - 60_000), NOW)).toBe(1);
  });
  it('is 0 without an expiry', () => {
    expect(payMinutesLeft(null, NOW)).toBe(0);
    expect(payMinutesLeft(undefined, NOW)).toBe(0);
  });
});
