import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketsBetween, localDateStart } from '../time-buckets.ts';
import { isoInZone } from './period.ts';
import { isoFormatter, periodBuckets } from './zoned.ts';

const ZONES = [
  'UTC',
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
];
const H = 3_600_000;

describe('fast zoned buckets and formatting equal the exact Temporal ones', () => {
  it('2-hour buckets over random periods (DST days included)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }),
        fc.integer({ min: 1, max: 40 * 24 * H }),
        (tz, from, span) => {
          expect(periodBuckets(from, from + span, '2h', tz)).toEqual(
            bucketsBetween(from, from + span, '2h', tz),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a year of 2-hour buckets around the DST changes of 2026', () => {
    for (const tz of ZONES) {
      const from = localDateStart('2026-01-01', tz);
      const to = localDateStart('2027-01-01', tz);
      expect(periodBuckets(from, to, '2h', tz)).toEqual(bucketsBetween(from, to, '2h', tz));
    }
  });

  it('ISO strings with the offset, ascending and in any order', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(
          fc.integer({ min: Date.parse('1971-01-01T00:00:00Z'), max: Date.parse('2199-01-01T00:00:00Z') }),
          {
            maxLength: 50,
          },
        ),
        fc.boolean(),
        (tz, instants, sorted) => {
          const xs = sorted ? [...instants].sort((a, b) => a - b) : instants;
          const f = isoFormatter(tz);
          expect(xs.map(f)).toEqual(xs.map((x) => isoInZone(x, tz)));
        },
      ),
      { numRuns: 200 },
    );
    const f = isoFormatter('America/New_York');
    expect(f(Date.parse('2026-03-08T07:00:00Z'))).toBe('2026-03-08T03:00:00-04:00');
    expect(f(Date.parse('2026-03-08T06:59:59.999Z'))).toBe('2026-03-08T01:59:59.999-05:00');
  });
});
