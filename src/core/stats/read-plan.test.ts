import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUARTER_MS } from '../time-buckets.ts';
import { bucketsReadPlan, inRanges, type Range, readPlan, snapBuckets } from './read-plan.ts';

const Q = QUARTER_MS;
const H = 4 * Q;
const D = 24 * H;
const UNITS = [Q, H, D];

/** Every instant of the window is covered exactly once, at a level whose units fit. */
function covered(plan: ReturnType<typeof readPlan>, t: number): number {
  let n = 0;
  for (const ranges of [...plan.levels, plan.raw]) for (const r of ranges) if (inRanges([r], t)) n++;
  return n;
}

describe('read plan: coarsest whole units inside, finer levels towards the edges', () => {
  it('an aligned day window is read from the day level only', () => {
    expect(readPlan({ from: 2 * D, to: 5 * D }, UNITS)).toEqual({
      levels: [[], [], [{ from: 2 * D, to: 5 * D }]],
      raw: [],
    });
  });
  it('unaligned edges go to the ledger, then quarters, then hours', () => {
    const p = readPlan({ from: 2 * D - H - Q - 7, to: 5 * D + H + Q + 9 }, UNITS);
    expect(p.raw).toEqual([
      { from: 2 * D - H - Q - 7, to: 2 * D - H - Q },
      { from: 5 * D + H + Q, to: 5 * D + H + Q + 9 },
    ]);
    expect(p.levels[0]).toEqual([
      { from: 2 * D - H - Q, to: 2 * D - H },
      { from: 5 * D + H, to: 5 * D + H + Q },
    ]);
    expect(p.levels[1]).toEqual([
      { from: 2 * D - H, to: 2 * D },
      { from: 5 * D, to: 5 * D + H },
    ]);
    expect(p.levels[2]).toEqual([{ from: 2 * D, to: 5 * D }]);
  });
  it('a window inside one quarter is read from the ledger; inside one day, from hours', () => {
    expect(readPlan({ from: 4 * Q + 7, to: 4 * Q + 90 }, UNITS)).toEqual({
      levels: [[], [], []],
      raw: [{ from: 4 * Q + 7, to: 4 * Q + 90 }],
    });
    expect(readPlan({ from: D + H, to: D + 5 * H }, UNITS).levels[1]).toEqual([
      { from: D + H, to: D + 5 * H },
    ]);
  });
  it('unbounded sides stay unbounded at the coarsest level', () => {
    expect(readPlan({ from: null, to: null }, UNITS).levels[2]).toEqual([{ from: null, to: null }]);
    const p = readPlan({ from: D + 3, to: null }, UNITS);
    expect(p.levels[2]).toEqual([{ from: 2 * D, to: null }]);
    expect(covered(p, D + 3)).toBe(1);
    expect(covered(p, D + 2)).toBe(0);
  });
  it('buckets are split one by one, so no level range straddles a bucket boundary', () => {
    // local days of a zone at UTC+1: [23:00, 23:00) UTC, three of them
    const buckets = [0, 1, 2].map((i) => ({ start: i * D - H, end: (i + 1) * D - H }));
    const p = bucketsReadPlan(buckets, UNITS);
    expect(p.raw).toEqual([]);
    // no whole UTC day lies inside any bucket: all hours, merged into one range
    expect(p.levels[1]).toEqual([{ from: -H, to: 3 * D - H }]);
    expect(p.levels[2]).toEqual([]);
    // weeks at UTC+1: days inside, the hour before each midnight from the hour level
    const weeks = [0, 1].map((i) => ({ start: i * 7 * D - H, end: (i + 1) * 7 * D - H }));
    const w = bucketsReadPlan(weeks, UNITS);
    // touching ranges merge; each hour or day unit still lies inside one week
    expect(w.levels[1]).toEqual([
      { from: -H, to: 0 },
      { from: 6 * D, to: 7 * D },
      { from: 13 * D, to: 14 * D - H },
    ]);
    expect(w.levels[2]).toEqual([
      { from: 0, to: 6 * D },
      { from: 7 * D, to: 13 * D },
    ]);
    for (let t = -H; t < 14 * D - H; t += Q / 3) expect(covered(w, t)).toBe(1);
    const weekOf = (t: number) => weeks.findIndex((b) => t >= b.start && t < b.end);
    UNITS.forEach((u, i) => {
      for (const r of w.levels[i] as Range[])
        for (let t = r.from!; t < r.to!; t += u) expect(weekOf(t)).toBe(weekOf(t + u - 1));
    });
  });
});

describe('snapped buckets (sums): whole units, and what snapping moved, moved back', () => {
  const inside = (b: { start: number; end: number }, t: number) => t >= b.start && t < b.end;
  it('every instant counts once in the bucket that holds it and nowhere else', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10 * D, max: 10 * D }),
        fc.array(fc.integer({ min: D, max: 9 * D }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: -12 * D, max: 90 * D }), { minLength: 20, maxLength: 20 }),
        (start, lengths, probes) => {
          const buckets = [];
          let t = start;
          for (const len of lengths) {
            buckets.push({ start: t, end: t + len });
            t += len;
          }
          const snap = snapBuckets(buckets, D)!;
          // probes: random instants, and each boundary and its neighbours
          const points = [...probes, ...buckets.flatMap((b) => [b.start - 1, b.start, b.end - 1, b.end])];
          for (const p of points) {
            const got = buckets.map((_, i) => {
              let n = inside(snap.snapped[i]!, p) ? 1 : 0;
              for (const m of snap.moves) {
                if (!inside(m.range, p)) continue;
                if (m.taker === i) n++;
                if (m.giver === i) n--;
              }
              return n;
            });
            expect(got).toEqual(buckets.map((b) => (inside(b, p) ? 1 : 0)));
          }
          // snapped buckets are whole units; moves are sorted, disjoint and shorter than half a unit
          for (const b of snap.snapped)
            expect(Number.isInteger(b.start / D) && Number.isInteger(b.end / D)).toBe(true);
          for (let i = 0; i < snap.moves.length; i++) {
            const m = snap.moves[i]!;
            expect(m.range.end - m.range.start).toBeLessThanOrEqual(D / 2);
            if (i > 0) expect(m.range.start).toBeGreaterThanOrEqual(snap.moves[i - 1]!.range.end);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
  it('buckets shorter than a unit, or not consecutive, are not snapped', () => {
    expect(snapBuckets([{ start: 0, end: D - 1 }], D)).toBeNull();
    expect(
      snapBuckets(
        [
          { start: 0, end: D },
          { start: D + 1, end: 3 * D },
        ],
        D,
      ),
    ).toBeNull();
    expect(snapBuckets([], D)).toBeNull();
  });
});
