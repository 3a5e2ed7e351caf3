/**
 * Seat-need replay: "how many starts of this period would k seats have declined?"
 *
 * The model, exactly:
 * - Arrivals are the period's attempted starts in time order, full and declined alike (ties keep
 *   the order the caller gives, which is the recording order).
 * - Occupants: sessions that started before the period and still held a seat at its start keep
 *   their real release times (they are part of the period's state, whatever k is).
 * - An arrival at t first frees every seat whose release time is ≤ t (a session holds [start,
 *   end): a seat released at t is free for a start at t, as the client API counts seats with
 *   `lease_expires_at > now`). It gets a seat when fewer than k are held, else it is declined.
 * - An admitted arrival holds its seat for the duration its real session held one
 *   (end = min(ended, lease expiry, now) − start). A start that was really declined never held a
 *   seat, so when the replay admits it, it holds it for `declinedHoldMs`: the median holding time
 *   of the period's real full sessions (the caller's choice, documented in the route).
 * At k = the real quota this replays reality step by step (a declined arrival finds the same k
 * seats held, a full one finds one free), so its decline count equals the recorded one, provided
 * no two operations on the item share a millisecond in an order the timestamps cannot show.
 * A declined user who retried is two arrivals here, so for k above the quota the estimate errs
 * on the side of more seats.
 */

export interface Arrival {
  at: number;
  /** how long the real session held its seat; null when it was really declined */
  heldMs: number | null;
}

export interface ReplayInput {
  /** release times of the seats held when the period starts */
  occupants: readonly number[];
  /** the period's attempted starts, in time order */
  arrivals: readonly Arrival[];
  /** how long a really declined start holds a seat when the replay admits it */
  declinedHoldMs: number;
}

/** Declines the replay gives with k seats. */
export function replayDeclines(input: ReplayInput, k: number): number {
  const held = new MinHeap();
  for (const r of input.occupants) held.push(r);
  let declines = 0;
  for (const a of input.arrivals) {
    while (held.size > 0 && held.peek()! <= a.at) held.pop();
    if (held.size < k) held.push(a.at + Math.max(0, a.heldMs ?? input.declinedHoldMs));
    else declines++;
  }
  return declines;
}

export interface SeatNeedRow {
  seats: number;
  declines: number;
  /** declines ÷ starts × 100, one decimal; 0 without starts */
  declinePct: number;
}

export interface SeatNeed {
  rows: SeatNeedRow[];
  /** the smallest k in the rows whose declines are at most targetPct of the starts; null when none is (or no starts) */
  recommended: number | null;
}

/** Replays k = quota−2 … quota+5 (k ≥ 1) and picks the smallest k within the target decline share. */
export function seatNeed(input: ReplayInput, quota: number, targetPct: number): SeatNeed {
  const starts = input.arrivals.length;
  const rows: SeatNeedRow[] = [];
  for (let k = Math.max(1, quota - 2); k <= quota + 5; k++) {
    const declines = replayDeclines(input, k);
    rows.push({
      seats: k,
      declines,
      declinePct: starts === 0 ? 0 : Math.round((declines / starts) * 1000) / 10,
    });
  }
  const allowed = (targetPct / 100) * starts;
  const ok = starts === 0 ? undefined : rows.find((r) => r.declines <= allowed + 1e-9);
  return { rows, recommended: ok?.seats ?? null };
}

/** Median of the values (the lower middle for an even count); null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  return s[(s.length - 1) >> 1]!;
}

/** A binary min-heap of numbers (release times). */
class MinHeap {
  private a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  peek(): number | undefined {
    return this.a[0];
  }
  push(v: number): void {
    const a = this.a;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= v) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = v;
  }
  pop(): number | undefined {
    const a = this.a;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}
