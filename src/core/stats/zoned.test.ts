import fc from 'fast-check';
import { Temporal } from 'temporal-polyfill';
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
  // offset changes at local midnight: the day before or after is not 24 hours from midnight
  'America/Santiago',
  'America/Havana',
  'Asia/Beirut',
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

  it('day and week buckets over random periods up to 5 years', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom('day' as const, 'week' as const),
        fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') }),
        fc.integer({ min: 1, max: 5 * 366 * 24 * H }),
        (tz, g, from, span) => {
          expect(periodBuckets(from, from + span, g, tz)).toEqual(bucketsBetween(from, from + span, g, tz));
        },
      ),
      { numRuns: 60 },
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
        fc.constantFrom('asc', 'desc', 'any'),
        (tz, instants, order) => {
          const asc = [...instants].sort((a, b) => a - b);
          const xs = order === 'asc' ? asc : order === 'desc' ? asc.reverse() : instants;
          const f = isoFormatter(tz);
          expect(xs.map(f)).toEqual(xs.map((x) => isoInZone(x, tz)));
        },
      ),
      { numRuns: 200 },
    );
    // exactly on, and around, every transition of 2025–2027, both directions
    for (const tz of ZONES) {
      const around: number[] = [];
      let z = Temporal.Instant.from('2025-01-01T00:00:00Z').toZonedDateTimeISO(tz);
      for (;;) {
        const next = z.getTimeZoneTransition('next');
        if (!next || next.epochMilliseconds > Date.parse('2027-12-31T00:00:00Z')) break;
        const t = next.epochMilliseconds;
        around.push(t - H, t - 1, t, t + 1, t + H);
        z = next;
      }
      for (const xs of [around, [...around].reverse()]) {
        const g = isoFormatter(tz);
        expect(xs.map(g)).toEqual(xs.map((x) => isoInZone(x, tz)));
      }
    }
    const f = isoFormatter('America/New_York');
    expect(f(Date.parse('2026-03-08T07:00:00Z'))).toBe('2026-03-08T03:00:00-04:00');
    expect(f(Date.parse('2026-03-08T06:59:59.999Z'))).toBe('2026-03-08T01:59:59.999-05:00');
    expect(f(Date.parse('2026-03-08T07:00:00Z'))).toBe('2026-03-08T03:00:00-04:00');
    expect(f(Date.parse('2026-03-08T06:00:00Z'))).toBe('2026-03-08T01:00:00-05:00');
  });
});
