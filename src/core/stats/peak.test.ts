import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { peakPerBucket } from './peak.ts';

describe('peak concurrency sweep', () => {
  it('counts the level held at a bucket start and every rise inside it', () => {
    const buckets = [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 20, end: 30 },
    ];
    const peaks = peakPerBucket(buckets, [
      { start: -5, end: 12 },
      { start: 3, end: 4 },
      { start: 4, end: 5 }, // touches the previous one: never two at once
      { start: 12, end: 12 }, // empty
      { start: 19, end: 25 },
    ]);
    expect(peaks).toEqual([2, 1, 1]);
  });

  it('equals a brute force over every instant (integer times)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -20, max: 120 }), fc.integer({ min: 0, max: 60 })), {
          maxLength: 30,
        }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 8 }),
        (raw, widths) => {
          const intervals = raw.map(([s, d]) => ({ start: s, end: s + d }));
          const buckets: { start: number; end: number }[] = [];
          let t = 0;
          for (const w of widths) {
            buckets.push({ start: t, end: t + w });
            t += w;
          }
          const expected = buckets.map((b) => {
            let best = 0;
            for (let x = b.start; x < b.end; x++)
              best = Math.max(best, intervals.filter((i) => i.start <= x && x < i.end).length);
            return best;
          });
          expect(peakPerBucket(buckets, intervals)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
