import { describe, expect, it } from 'vitest';
import { clockOffset, formatCountdown, msToNextTick, phaseOf, secondsLeft, serverNow, toMs } from '@/lib/countdown';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');

describe('toMs', () => {
  it('reads ISO strings and passes epoch ms through', () => {
    expect(toMs('2026-12-04T10:00:00.000Z')).toBe(T0);
    expect(toMs(T0)).toBe(T0);
  });
  it('is NaN for nothing or garbage', () => {
    expect(toMs(null)).toBeNaN();
    expect(toMs(undefined)).toBeNaN();
    expect(toMs('')).toBeNaN();
    expect(toMs('soon')).toBeNaN();
  });
});

describe('clockOffset / serverNow', () => {
  it('is server − local, taking the request midpoint as when the server stamped it', () => {
    // sent at T0, answered at T0+200: the server's stamp is taken as local T0+100
    expect(clockOffset('2026-12-04T10:00:05.100Z', T0, T0 + 200)).toBe(5000);
  });
  it('is negative for a device that runs fast', () => {
    expect(clockOffset('2026-12-04T10:00:00.000Z', T0 + 3_600_000, T0 + 3_600_000)).toBe(-3_600_000);
  });
  it('is 0 when serverTime or the local times are unusable', () => {
    expect(clockOffset('not a time', T0, T0)).toBe(0);
    expect(clockOffset('2026-12-04T10:00:00Z', NaN, T0)).toBe(0);
  });
  it('serverNow adds the offset to the local clock', () => {
    expect(serverNow(-3_600_000, T0 + 3_600_000)).toBe(T0);
    expect(serverNow(250, T0)).toBe(T0 + 250);
  });
});

describe('phaseOf', () => {
  const w = { startsAt: '2026-12-04T10:00:00.000Z', endsAt: '2026-12-04T11:00:00.000Z' };
  it('is upcoming before the start, with the time to the start', () => {
    expect(phaseOf(w, T0 - 1500)).toEqual({ phase: 'upcoming', msLeft: 1500 });
  });
  it('is live from the start (inclusive) to the end (exclusive)', () => {
    expect(phaseOf(w, T0)).toEqual({ phase: 'live', msLeft: 3_600_000 });
    expect(phaseOf(w, T0 + 3_599_999)).toEqual({ phase: 'live', msLeft: 1 });
  });
  it('is ended from the end on', () => {
    expect(phaseOf(w, T0 + 3_600_000)).toEqual({ phase: 'ended', msLeft: 0 });
    expect(phaseOf({ startsAt: T0, endsAt: T0 + 10 }, T0 + 99)).toEqual({ phase: 'ended', msLeft: 0 });
  });
});

describe('secondsLeft / msToNextTick', () => {
  it('rounds up, so zero shows only at zero', () => {
    expect(secondsLeft(1)).toBe(1);
    expect(secondsLeft(1000)).toBe(1);
    expect(secondsLeft(1001)).toBe(2);
    expect(secondsLeft(0)).toBe(0);
    expect(secondsLeft(-5)).toBe(0);
    expect(secondsLeft(NaN)).toBe(0);
  });
  it('waits until the shown second changes', () => {
    expect(msToNextTick(2500)).toBe(500);
    expect(msToNextTick(3000)).toBe(1000);
    expect(msToNextTick(1)).toBe(1);
    expect(msToNextTick(0)).toBe(0);
    expect(msToNextTick(-100)).toBe(0);
  });
});

describe('formatCountdown', () => {
  it('formats HH:MM:SS', () => {
    expect(formatCountdown(3_723_000)).toBe('01:02:03');
    expect(formatCountdown(59_001)).toBe('00:01:00');
    expect(formatCountdown(86_399_000)).toBe('23:59:59');
  });
  it('adds days from 24 h on', () => {
    expect(formatCountdown(86_400_000)).toBe('1天 00:00:00');
    expect(formatCountdown(2 * 86_400_000 + 3_661_000)).toBe('2天 01:01:01');
  });
  it('shows zero for negative or unknown time', () => {
    expect(formatCountdown(-1)).toBe('00:00:00');
    expect(formatCountdown(NaN)).toBe('00:00:00');
  });
});
