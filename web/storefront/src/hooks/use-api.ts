import { useCallback, useEffect, useRef, useState } from 'react';
import { useDidShow, usePullDownRefresh, stopPullDownRefresh } from '@tarojs/taro';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  /** Loads again (keeps showing the old data meanwhile). */
  reload: () => Promise<void>;
  /** Replaces the data locally, e.g. with the answer of a write. */
  setData: (d: T) => void;
}

/**
 * Loads `fn()` when the page mounts, again whenever `deps` change, on pull-down refresh, and —
 * with `refreshOnShow` — each time the page is shown again (coming back from another page).
 * Answers that arrive after a newer load started are dropped.
 */
export function useApi<T>(fn: () => Promise<T>, deps: unknown[] = [], { refreshOnShow = false, enabled = true } = {}): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(enabled);
  const seq = useRef(0);
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const mounted = useRef(false);

  const reload = useCallback(async () => {
    const n = ++seq.current;
    setLoading(true);
    try {
      const d = await fnRef.current();
      if (n === seq.current) {
        setData(d);
        setError(undefined);
      }
    } catch (e) {
      if (n === seq.current) setError(e);
    } finally {
      if (n === seq.current) setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (enabled) void reload();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled, ...deps]);

  useDidShow(() => {
    // The first show is the mount, already loading.
    if (mounted.current && refreshOnShow && enabled) void reload();
    mounted.current = true;
  });

  usePullDownRefresh(() => {
    void reload().finally(() => stopPullDownRefresh());
  });

  return { data, error, loading, reload, setData };
}
