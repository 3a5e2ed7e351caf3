/** A small data hook: loads a GET, keeps the last data while reloading, exposes errors as words. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from './client.ts';

export interface ApiState<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload(): void;
}

type Query = Record<string, string | number | undefined | null>;

export function useApi<T>(path: string | null, query?: Query): ApiState<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  const key = path === null ? null : `${path}?${JSON.stringify(query ?? {})}`;
  const lastKey = useRef<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` encodes path and query
  useEffect(() => {
    if (path === null) return;
    const ctrl = new AbortController();
    if (lastKey.current !== key) setData(undefined);
    lastKey.current = key;
    setLoading(true);
    setError(undefined);
    api<T>(path, { query, signal: ctrl.signal })
      .then((d) => setData(d))
      .catch((e: unknown) => {
        if ((e as Error).name === 'AbortError') return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'CLIENT', (e as Error).message));
      })
      .finally(() => {
        if (!ctrl.signal.aborted) setLoading(false);
      });
    return () => ctrl.abort();
  }, [key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
