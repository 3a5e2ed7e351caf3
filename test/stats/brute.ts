/**
 * Brute-force figures straight from the raw data a test wrote: no rollups, no folding, no shared
 * code with the engine beyond the model vocabulary.
 */
import { MODELS, type RawEvent, type World } from './fixture.ts';

export interface Win {
  from: number | null;
  to: number | null;
}
export const ALL: Win = { from: null, to: null };
const inWin = (at: number, w: Win) => (w.from === null || at >= w.from) && (w.to === null || at < w.to);

type Outcome = 'full' | 'limited' | 'declined';
/** The outcome of a program start, from what the client did (not from ledger kinds). */
function outcomeOf(item: number, e: RawEvent): Outcome {
  if (MODELS[item] === 'single-user') return e.variant === 0 ? 'full' : 'limited';
  return e.variant === 0 ? 'full' : e.variant === 1 ? 'limited' : 'declined';
}

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

/** Item page: value per slice key (project id / unassigned, or outcome) and the window total. */
export function itemWindow(w: World, item: number, win: Win): { values: Map<string, number>; total: number } {
  const model = MODELS[item]!;
  const evs = w.raw.events.filter((e) => e.item === item && inWin(e.at, win));
  const key = (e: RawEvent) => (e.project === null ? 'unassigned' : w.projects[e.project]!.id);
  const values = new Map<string, number>();
  if (model === 'per-scan') {
    for (const e of evs) if (e.variant !== 2) add(values, key(e), e.count);
    return { values, total: [...values.values()].reduce((a, b) => a + b, 0) };
  }
  if (model === 'per-device') {
    const sets = new Map<string, Set<number>>();
    for (const e of evs) sets.set(key(e), (sets.get(key(e)) ?? new Set()).add(e.device));
    for (const [k, s] of sets) values.set(k, s.size);
    return { values, total: new Set(evs.map((e) => e.device)).size };
  }
  if (model === 'hardware-key') return { values, total: 0 };
  for (const o of ['full', 'limited', 'declined']) values.set(o, 0);
  for (const e of evs) add(values, outcomeOf(item, e), 1);
  return { values, total: evs.length };
}

/** Project page: value per item id of the project's usage in the window (HWK items have none). */
export function projectWindow(w: World, project: number, win: Win): Map<string, number> {
  const out = new Map<string, number>();
  for (const item of w.raw.projectItems[project]!) {
    const model = MODELS[item]!;
    if (model === 'hardware-key') continue;
    const evs = w.raw.events.filter((e) => e.item === item && e.project === project && inWin(e.at, win));
    let v: number;
    if (model === 'per-scan') v = evs.filter((e) => e.variant !== 2).reduce((a, e) => a + e.count, 0);
    else if (model === 'per-device') v = new Set(evs.map((e) => e.device)).size;
    else v = evs.length;
    out.set(w.items[item]!.id, v);
  }
  return out;
}

/** The most seats held at once at any instant of [from, to). */
export function peak(w: World, item: number, from: number, to: number): number {
  const iv = w.seatIntervals.filter((s) => s.item === item);
  const instants = [from, ...iv.map((s) => s.start).filter((x) => x > from && x < to)];
  let best = 0;
  for (const x of instants) best = Math.max(best, iv.filter((s) => s.start <= x && x < s.end).length);
  return best;
}

/** The item's usage against its quota (the header figure). */
export function used(w: World, item: number): number {
  const model = MODELS[item]!;
  const now = w.raw.now;
  if (model === 'per-scan') {
    const validFrom = w.items[item]!.valid_from;
    return w.raw.events
      .filter((e) => e.item === item && e.variant !== 2 && e.at >= validFrom)
      .reduce((a, e) => a + e.count, 0);
  }
  if (model === 'per-device' || model === 'single-user')
    return new Set(w.raw.activations.filter((a) => a.item === item && a.live).map((a) => a.machine)).size;
  if (model === 'multi-user')
    return w.raw.sessions.filter(
      (s) =>
        s.item === item &&
        s.holdsSeat &&
        s.endAfter === null &&
        s.start <= now &&
        s.start + s.leaseAfter > now,
    ).length;
  return 0;
}
