import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '@/api';
import type { AfterSale } from './after-sale-card';

/** The shopper's after-sales, newest first, a page at a time (more on `loadMore`). */
export function useAfterSales(enabled: boolean) {
  const [items, setItems] = useState<AfterSale[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const seq = useRef(0);
  const inFlight = useRef(false);
  const cursorRef = useRef<string | null | undefined>(undefined);

  const load = useCallback(async (reset: boolean) => {
    if (inFlight.current && !reset) return;
    const n = ++seq.current;
    inFlight.current = true;
    setLoading(true);
    try {
      const page = await api.call('listMyAfterSales', {
        query: { limit: 10, cursor: reset ? undefined : (cursorRef.current ?? undefined) },
      });
      if (n !== seq.current) return;
      setItems((cur) => (reset ? page.items : [...cur, ...page.items.filter((x) => !cur.some((c) => c.id === x.id))]));
      setCursor(page.nextCursor);
      cursorRef.current = page.nextCursor;
      setError(undefined);
    } catch (e) {
      if (n === seq.current) setError(e);
    } finally {
      if (n === seq.current) {
        inFlight.current = false;
        setLoading(false);
      }
    }
  }, []);

  useEffect(() => {
    if (enabled) void load(true);
  }, [enabled, load]);

  return {
    items,
    loading,
    error,
    /** everything is loaded */
    done: cursor === null,
    loaded: cursor !== undefined,
    reload: () => load(true),
    loadMore: () => (cursorRef.current ? load(false) : Promise.resolve()),
    replaceItem: (a: AfterSale) => setItems((cur) => cur.map((x) => (x.id === a.id ? a : x))),
  };
}
