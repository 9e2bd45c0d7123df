import { useEffect, useRef, useState } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';

/**
 * Calls `fn` every `everyMs` while `active` is true and the page is on screen. A page that is
 * hidden (another page on top, the mini-program in the background) stops asking the server; when
 * it comes back it is refreshed by its own `refreshOnShow` and the timer starts again.
 */
export function usePolling(fn: () => unknown, everyMs: number, active = true): void {
  const [visible, setVisible] = useState(true);
  useDidShow(() => setVisible(true));
  useDidHide(() => setVisible(false));
  const fnRef = useRef(fn);
  fnRef.current = fn;

  useEffect(() => {
    if (!active || !visible) return;
    const timer = setInterval(() => void fnRef.current(), everyMs);
    return () => clearInterval(timer);
  }, [active, visible, everyMs]);
}
