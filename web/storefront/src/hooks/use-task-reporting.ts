import { useEffect, useRef } from 'react';
import { useDidHide, useDidShow } from '@tarojs/taro';
import { api } from '@/api';
import { isLoggedIn } from '@/api/session';

/** Browse thresholds (seconds) of the shopper's open browse tasks, fetched once per few minutes for every product page. */
let thresholds: { at: number; value: Promise<number[]> } | null = null;
const THRESHOLDS_TTL_MS = 5 * 60_000;

function browseThresholds(): Promise<number[]> {
  if (!thresholds || Date.now() - thresholds.at > THRESHOLDS_TTL_MS) {
    const value = api
      .call('listTasks')
      .then((r) => [
        ...new Set(r.items.filter((t) => t.kind === 'browse_product' && t.state !== 'claimed').map((t) => t.browseSeconds ?? 15)),
      ])
      .catch(() => [] as number[]);
    thresholds = { at: Date.now(), value };
  }
  return thresholds.value;
}

/** Forgets the cached thresholds (a claim or a new day changes them). */
export function resetTaskReporting() {
  thresholds = null;
}

const report = (body: { kind: 'browse_product' | 'share_product'; productId: string; seconds?: number }) =>
  api.call('reportTaskEvent', { body }).catch(() => undefined); // progress is a bonus: never disturb the page

/**
 * Task-centre progress from a product page (signed-in shoppers only): while the page is on screen
 * its viewing time adds up, and the server hears it as each open browse task's threshold is passed
 * (one short call each, not a stream). Returns `reportShare` for the page's share handler.
 */
export function useTaskReporting(productId: string): { reportShare: () => void } {
  const viewed = useRef(0); // seconds on screen before the current showing
  const shownAt = useRef<number | null>(null);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);

  const stop = () => {
    timers.current.forEach(clearTimeout);
    timers.current = [];
    if (shownAt.current !== null) viewed.current += (Date.now() - shownAt.current) / 1000;
    shownAt.current = null;
  };
  const start = () => {
    stop();
    if (!productId || !isLoggedIn()) return;
    shownAt.current = Date.now();
    const base = viewed.current;
    void browseThresholds().then((ts) => {
      if (shownAt.current === null) return;
      for (const t of ts)
        if (t > base)
          timers.current.push(
            setTimeout(
              () => void report({ kind: 'browse_product', productId, seconds: Math.ceil(base + (Date.now() - shownAt.current!) / 1000) }),
              (t - base) * 1000 + 300,
            ),
          );
    });
  };

  useEffect(() => {
    viewed.current = 0;
    start();
    return stop;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [productId]);
  useDidShow(start);
  useDidHide(stop);

  return { reportShare: () => productId && isLoggedIn() && void report({ kind: 'share_product', productId }) };
}
