import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { recommendationSentence } from './recommendation.ts';
import { type Arrival, median, replayDeclines, seatNeed } from './replay.ts';
import { countTrueDeclines } from './true-declines.ts';
import { sharesOf, utilization } from './utilization.ts';

describe('utilization', () => {
  test('time at each level, clipped to the window, releases before acquisitions', () => {
    const h = utilization(
      [
        { start: 0, end: 10 },
        { start: 5, end: 20 },
        { start: 10, end: 15 }, // starts as the first ends: level stays 2
        { start: 90, end: 200 },
      ],
      { from: 0, to: 100 },
      2,
    );
    expect(h.map((b) => b.ms)).toEqual([70, 20, 10]);
    expect(h.map((b) => b.pct)).toEqual([70, 20, 10]);
  });

  test('levels above the quota count in the top bucket; an empty window is all zero', () => {
    const over = utilization(
      [
        { start: 0, end: 10 },
        { start: 0, end: 10 },
      ],
      { from: 0, to: 10 },
      1,
    );
    expect(over.map((b) => b.ms)).toEqual([0, 10]);
    expect(utilization([], { from: 5, to: 5 }, 2).map((b) => b.pct)).toEqual([0, 0, 0]);
  });

  test('matches a per-millisecond brute force and the shares sum to 100', () => {
    const iv = fc.record({ start: fc.integer({ min: -20, max: 120 }), len: fc.integer({ min: 0, max: 60 }) });
    fc.assert(
      fc.property(fc.array(iv, { maxLength: 12 }), fc.integer({ min: 0, max: 6 }), (raw, quota) => {
        const intervals = raw.map((r) => ({ start: r.start, end: r.start + r.len }));
        const h = utilization(intervals, { from: 0, to: 100 }, quota);
        const brute = new Array<number>(quota + 1).fill(0);
        for (let t = 0; t < 100; t++) {
          const level = intervals.filter((i) => i.start <= t && t < i.end).length;
          brute[Math.min(level, quota)]!++;
        }
        expect(h.map((b) => b.ms)).toEqual(brute);
        expect(Math.round(h.reduce((a, b) => a + b.pct, 0) * 10)).toBe(1000);
      }),
    );
  });

  test('sharesOf rounds to tenths that sum to exactly 100', () => {
    expect(sharesOf([1, 1, 1])).toEqual([33.4, 33.3, 33.3]);
    expect(sharesOf([0, 0])).toEqual([0, 0]);
  });
});

describe('true declines', () => {
  const min = 60_000;
  test('a decline followed by the same user (any case) getting a seat within the grace is not true', () => {
    const declines = [
      { at: 0, email: 'a@x.test' },
      { at: 0, email: 'b@x.test' },
      { at: 100 * min, email: 'c@x.test' },
    ];
    const full = [
      { at: 10 * min, email: 'A@x.test' }, // exactly at the grace end: served
      { at: 11 * min, email: 'b@x.test' }, // too late
      { at: 100 * min, email: 'c@x.test' }, // same instant is not after
    ];
    expect(countTrueDeclines(declines, full, 10 * min)).toBe(2);
    expect(countTrueDeclines(declines, full, 11 * min)).toBe(1);
  });

  test('matches a nested-loop brute force', () => {
    const rec = fc.record({
      at: fc.integer({ min: 0, max: 100 }),
      email: fc.constantFrom('a', 'b', 'C', 'c'),
    });
    fc.assert(
      fc.property(fc.array(rec), fc.array(rec), fc.integer({ min: 0, max: 30 }), (d, f, grace) => {
        const brute = d.filter(
          (x) =>
            !f.some(
              (y) => y.email.toLowerCase() === x.email.toLowerCase() && y.at > x.at && y.at <= x.at + grace,
            ),
        ).length;
        expect(countTrueDeclines(d, f, grace)).toBe(brute);
      }),
    );
  });
});

/** An independent replay: a list of release times scanned linearly, no heap. */
function bruteReplay(occupants: number[], arrivals: Arrival[], declinedHoldMs: number, k: number): number {
  let held = [...occupants];
  let declines = 0;
  for (const a of arrivals) {
    held = held.filter((r) => r > a.at);
    if (held.length < k) held.push(a.at + (a.heldMs ?? declinedHoldMs));
    else declines++;
  }
  return declines;
}

describe('seat-need replay', () => {
  test('a worked example: two seats, three overlapping users', () => {
    const arrivals: Arrival[] = [
      { at: 0, heldMs: 100 },
      { at: 10, heldMs: 100 },
      { at: 20, heldMs: null }, // really declined
      { at: 100, heldMs: 5 }, // the first seat was released at 100: free again
    ];
    const input = { occupants: [], arrivals, declinedHoldMs: 50 };
    expect(replayDeclines(input, 2)).toBe(1);
    expect(replayDeclines(input, 1)).toBe(2); // 10 and 20 declined; 100 gets the seat
    expect(replayDeclines(input, 3)).toBe(0);
    const need = seatNeed(input, 2, 1);
    expect(need.rows.map((r) => r.seats)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(need.rows.map((r) => r.declines)).toEqual([2, 1, 0, 0, 0, 0, 0]);
    expect(need.recommended).toBe(3);
    expect(seatNeed(input, 2, 25).recommended).toBe(2); // 1 of 4 = 25% allowed
  });

  test('occupants from before the period hold their seats until their real release', () => {
    const input = {
      occupants: [50],
      arrivals: [
        { at: 10, heldMs: 10 },
        { at: 50, heldMs: 1 },
      ],
      declinedHoldMs: 1,
    };
    expect(replayDeclines(input, 1)).toBe(1);
  });

  test('matches a linear-scan brute force for every k', () => {
    const arr = fc.record({
      gap: fc.integer({ min: 0, max: 20 }),
      held: fc.option(fc.integer({ min: 0, max: 80 })),
    });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { maxLength: 4 }),
        fc.array(arr, { maxLength: 40 }),
        fc.integer({ min: 0, max: 50 }),
        fc.integer({ min: 0, max: 6 }),
        (occupants, raw, hold, quota) => {
          let t = 0;
          const arrivals = raw.map((r) => {
            t += r.gap;
            return { at: t, heldMs: r.held };
          });
          const need = seatNeed({ occupants, arrivals, declinedHoldMs: hold }, quota, 1);
          for (const row of need.rows)
            expect(row.declines).toBe(bruteReplay(occupants, arrivals, hold, row.seats));
          const ok = need.rows.find((r) => r.declines <= arrivals.length / 100);
          expect(need.recommended).toBe(arrivals.length === 0 ? null : (ok?.seats ?? null));
        },
      ),
    );
  });

  test('median takes the lower middle', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2);
  });

  test('sentences', () => {
    const s = (recommended: number | null, starts = 100) =>
      recommendationSentence({
        quota: 5,
        starts,
        targetPct: 1,
        recommended,
        maxTried: 10,
        declinesAtRecommended: 1,
      });
    expect(s(7)).toContain('Recommended: 7 seats (2 more than now)');
    expect(s(5)).toContain('as now');
    expect(s(3)).toContain('2 fewer than now');
    expect(s(null)).toContain('more than 10 seats are needed');
    expect(s(null, 0)).toContain('No program starts');
  });
});
