/**
 * "True" declines: a declined start is a nuisance when the user retries a minute later and gets
 * a seat; it is a real shortfall when they do not. A decline at t is true unless the same user
 * (email, case-insensitive) made a successful full start of the same item in (t, t + grace].
 */

export interface StartRecord {
  at: number;
  email: string;
}

export function countTrueDeclines(
  declines: readonly StartRecord[],
  fullStarts: readonly StartRecord[],
  graceMs: number,
): number {
  const byUser = new Map<string, number[]>();
  for (const s of fullStarts) {
    const k = s.email.toLowerCase();
    const list = byUser.get(k);
    if (list) list.push(s.at);
    else byUser.set(k, [s.at]);
  }
  for (const list of byUser.values()) list.sort((a, b) => a - b);
  let n = 0;
  for (const d of declines) {
    const list = byUser.get(d.email.toLowerCase());
    const next = list ? firstAfter(list, d.at) : undefined;
    if (next === undefined || next > d.at + graceMs) n++;
  }
  return n;
}

/** The smallest element of the sorted list strictly greater than t. */
function firstAfter(sorted: readonly number[], t: number): number | undefined {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo];
}
