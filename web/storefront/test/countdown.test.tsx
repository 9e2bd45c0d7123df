// The Countdown component on fake timers: what it shows, when it ticks, the server-clock offset,
// and onEnd (once at zero, never when mounted already at zero, again for a new target).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render, screen } from '@testing-library/react';
import { Countdown } from '@/components/countdown';

const T0 = Date.parse('2026-12-04T10:00:00.000Z');
const text = (id = 'cd') => screen.getByTestId(id).textContent;
const advance = (ms: number) => act(() => void vi.advanceTimersByTime(ms));

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(T0);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Countdown', () => {
  it('shows the time left as HH:MM:SS', () => {
    render(<Countdown target={T0 + 3_723_000} offset={0} testId="cd" />);
    expect(text()).toBe('01:02:03');
  });

  it('takes an ISO target and shows days from 24 h on', () => {
    render(<Countdown target="2026-12-05T11:01:01.000Z" offset={0} testId="cd" />);
    expect(text()).toBe('1天 01:01:01');
  });

  it('uses flash-countdown as its default test id', () => {
    render(<Countdown target={T0 + 5000} offset={0} />);
    expect(screen.getByTestId('flash-countdown').textContent).toBe('00:00:05');
  });

  it('ticks once a second', () => {
    render(<Countdown target={T0 + 10_000} offset={0} testId="cd" />);
    expect(text()).toBe('00:00:10');
    advance(1000);
    expect(text()).toBe('00:00:09');
    advance(1000);
    expect(text()).toBe('00:00:08');
    advance(3000);
    expect(text()).toBe('00:00:05');
  });

  it('rounds a part second up and changes exactly on the whole second of the time left', () => {
    render(<Countdown target={T0 + 2500} offset={0} testId="cd" />);
    expect(text()).toBe('00:00:03');
    advance(499);
    expect(text()).toBe('00:00:03');
    advance(1);
    expect(text()).toBe('00:00:02');
    advance(1000);
    expect(text()).toBe('00:00:01');
  });

  it('counts on the server clock: a device 1 hour fast still shows the server time left', () => {
    // The server says 10:00:00; this phone says 11:00:00, so offset = server − local = −1 h.
    vi.setSystemTime(T0 + 3_600_000);
    render(<Countdown target={T0 + 600_000} offset={-3_600_000} testId="cd" />);
    expect(text()).toBe('00:10:00');
    advance(1000);
    expect(text()).toBe('00:09:59');
  });

  it('without the offset the same fast device would think the sale was over', () => {
    vi.setSystemTime(T0 + 3_600_000);
    render(<Countdown target={T0 + 600_000} offset={0} testId="cd" />);
    expect(text()).toBe('00:00:00');
  });

  it('a device 30 s slow counts 30 s less than its own clock says', () => {
    vi.setSystemTime(T0 - 30_000);
    render(<Countdown target={T0 + 60_000} offset={30_000} testId="cd" />);
    expect(text()).toBe('00:01:00');
  });

  it('fires onEnd exactly once when it reaches zero, and stops there', () => {
    const onEnd = vi.fn();
    render(<Countdown target={T0 + 2000} offset={0} onEnd={onEnd} testId="cd" />);
    advance(1000);
    expect(text()).toBe('00:00:01');
    expect(onEnd).not.toHaveBeenCalled();
    advance(1000);
    expect(text()).toBe('00:00:00');
    expect(onEnd).toHaveBeenCalledTimes(1);
    advance(10_000);
    expect(text()).toBe('00:00:00');
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('does not fire again when a re-sync changes the offset after the end', () => {
    const onEnd = vi.fn();
    const { rerender } = render(<Countdown target={T0 + 1000} offset={0} onEnd={onEnd} testId="cd" />);
    advance(1000);
    expect(onEnd).toHaveBeenCalledTimes(1);
    rerender(<Countdown target={T0 + 1000} offset={-200} onEnd={onEnd} testId="cd" />);
    advance(2000);
    expect(onEnd).toHaveBeenCalledTimes(1);
  });

  it('does not fire onEnd when mounted already at (or past) zero', () => {
    const onEnd = vi.fn();
    render(<Countdown target={T0 - 5000} offset={0} onEnd={onEnd} testId="cd" />);
    expect(text()).toBe('00:00:00');
    advance(5000);
    expect(onEnd).not.toHaveBeenCalled();
  });

  it('calls the latest onEnd, not the one it was mounted with', () => {
    const first = vi.fn();
    const second = vi.fn();
    const { rerender } = render(<Countdown target={T0 + 1000} offset={0} onEnd={first} testId="cd" />);
    rerender(<Countdown target={T0 + 1000} offset={0} onEnd={second} testId="cd" />);
    advance(1000);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('resets on a new target: shows it, counts down to it and fires onEnd for it', () => {
    const onEnd = vi.fn();
    const { rerender } = render(<Countdown target={T0 + 1000} offset={0} onEnd={onEnd} testId="cd" />);
    advance(1000);
    expect(onEnd).toHaveBeenCalledTimes(1);
    // e.g. 距开始 reached zero, the sale is live: now it counts to the end.
    rerender(<Countdown target={T0 + 6000} offset={0} onEnd={onEnd} testId="cd" />);
    expect(text()).toBe('00:00:05');
    advance(1000);
    expect(text()).toBe('00:00:04');
    advance(4000);
    expect(text()).toBe('00:00:00');
    expect(onEnd).toHaveBeenCalledTimes(2);
  });

  it('a new target that is already past shows zero without firing', () => {
    const onEnd = vi.fn();
    const { rerender } = render(<Countdown target={T0 + 60_000} offset={0} onEnd={onEnd} testId="cd" />);
    rerender(<Countdown target={T0 - 1000} offset={0} onEnd={onEnd} testId="cd" />);
    expect(text()).toBe('00:00:00');
    advance(2000);
    expect(onEnd).not.toHaveBeenCalled();
  });

  it('stops its timer when unmounted', () => {
    const onEnd = vi.fn();
    const { unmount } = render(<Countdown target={T0 + 2000} offset={0} onEnd={onEnd} testId="cd" />);
    unmount();
    advance(5000);
    expect(onEnd).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });
});
