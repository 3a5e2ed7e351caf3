/** autocannon wrapper: one run, summarised as req/s and latency percentiles. */
import autocannon from 'autocannon';

export interface LoadResult {
  requests: number;
  ok: number;
  errors: number;
  non2xx: number;
  seconds: number;
  reqPerSec: number;
  p50: number;
  p99: number;
}

export async function load(opts: autocannon.Options): Promise<LoadResult> {
  const r = await autocannon({ ...opts });
  const total = r.requests.total;
  return {
    requests: total,
    ok: r['2xx'],
    errors: r.errors,
    non2xx: r.non2xx,
    seconds: r.duration,
    reqPerSec: total / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
