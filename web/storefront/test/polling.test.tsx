// usePolling on fake timers: it asks on its interval only while active and on screen, and a
// hidden page stops asking until it is shown again.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { act, render } from '@testing-library/react';
import { usePolling } from '@/hooks/use-polling';
import { pageHide, pageShow } from './shims/taro';

function Poller({ fn, active = true }: { fn: () => void; active?: boolean }) {
  usePolling(fn, 10_000, active);
  return null;
}
const advance = (ms: number) => act(() => void vi.advanceTimersByTime(ms));

beforeEach(() => void vi.useFakeTimers());
afterEach(() => void vi.useRealTimers());

describe('usePolling', () => {
  it('calls on every interval while the page is on screen', () => {
    const fn = vi.fn();
    render(<Poller fn={fn} />);
    advance(9_999);
    expect(fn).not.toHaveBeenCalled();
    advance(1);
    expect(fn).toHaveBeenCalledTimes(1);
    advance(20_000);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('stops while the page is hidden and starts again when it is shown', () => {
    const fn = vi.fn();
    render(<Poller fn={fn} />);
    act(() => pageHide());
    advance(60_000);
    expect(fn).not.toHaveBeenCalled();
    act(() => pageShow());
    advance(10_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does nothing while inactive, and stops when it turns inactive', () => {
    const fn = vi.fn();
    const { rerender } = render(<Poller fn={fn} active={false} />);
    advance(30_000);
    expect(fn).not.toHaveBeenCalled();
    rerender(<Poller fn={fn} active />);
    advance(10_000);
    expect(fn).toHaveBeenCalledTimes(1);
    rerender(<Poller fn={fn} active={false} />);
    advance(30_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('calls the latest function it was given', () => {
    const first = vi.fn();
    const second = vi.fn();
    const { rerender } = render(<Poller fn={first} />);
    rerender(<Poller fn={second} />);
    advance(10_000);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it('stops when the page unmounts', () => {
    const fn = vi.fn();
    const { unmount } = render(<Poller fn={fn} />);
    unmount();
    advance(30_000);
    expect(fn).not.toHaveBeenCalled();
  });
});
