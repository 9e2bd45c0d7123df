import { useEffect, useRef, useState } from 'react';
import { Text } from '@tarojs/components';
import { formatCountdown, msToNextTick, serverNow, toMs } from '@/lib/countdown';
import './countdown.css';

export interface CountdownProps {
  /** When it reaches zero: an ISO string or epoch ms, on the server's clock. */
  target: string | number;
  /** server − local clock, from `clockOffset` of the answer that carried the target. */
  offset: number;
  /** Called once when the countdown reaches zero (not when it is mounted already at zero). */
  onEnd?: () => void;
  testId?: string;
  className?: string;
}

/**
 * "HH:MM:SS" (or "N天 HH:MM:SS") to `target`, on the server's clock: ticks at each whole second of
 * the remaining time (so the digits change together with the server's), stops at zero.
 */
export function Countdown({ target, offset, onEnd, testId = 'flash-countdown', className }: CountdownProps) {
  const targetMs = toMs(target);
  const [left, setLeft] = useState(() => targetMs - serverNow(offset));
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;
  // Per target: was it ever running, and has onEnd fired — so a re-sync (new offset) never fires twice.
  const state = useRef({ target: NaN, running: false, fired: false });

  useEffect(() => {
    if (state.current.target !== targetMs) state.current = { target: targetMs, running: false, fired: false };
    let timer: ReturnType<typeof setTimeout> | undefined;
    let alive = true;
    const tick = () => {
      if (!alive) return;
      const ms = targetMs - serverNow(offset);
      setLeft(ms);
      const s = state.current;
      if (ms > 0) {
        s.running = true;
        timer = setTimeout(tick, msToNextTick(ms));
      } else if (s.running && !s.fired) {
        s.fired = true;
        onEndRef.current?.();
      }
    };
    tick();
    return () => {
      alive = false;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [targetMs, offset]);

  return (
    <Text className={`countdown ${className ?? ''}`} data-testid={testId}>
      {formatCountdown(left)}
    </Text>
  );
}
