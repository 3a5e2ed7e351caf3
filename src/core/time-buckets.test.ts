import { Temporal } from 'temporal-polyfill';
import { describe, expect, it } from 'vitest';
import {
  bucketsBetween,
  defaultGranularity,
  isValidTimeZone,
  localDateStart,
  todayWindow,
} from './time-buckets.ts';

const H = 3600_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('2-hour buckets in a time zone', () => {
  it('New York spring forward: 12 buckets, the one holding the change lasts 1 hour', () => {
    const tz = 'America/New_York';
    const from = localDateStart('2026-03-08', tz);
    const to = localDateStart('2026-03-09', tz);
    const b = bucketsBetween(from, to, '2h', tz);
    expect(b).toHaveLength(12);
    expect(to - from).toBe(23 * H);
    expect(iso(b[0]!.start)).toBe('2026-03-08T05:00:00.000Z');
    expect(b[1]!.end - b[1]!.start).toBe(1 * H);
    expect(iso(b[1]!.start)).toBe('2026-03-08T07:00:00.000Z');
    expect(b.filter((x) => x.end - x.start === 2 * H)).toHaveLength(11);
  });

  it('New York fall back: the interval holding the change lasts 3 hours', () => {
    const tz = 'America/New_York';
    const b = bucketsBetween(localDateStart('2026-11-01', tz), localDateStart('2026-11-02', tz), '2h', tz);
    expect(b).toHaveLength(12);
    expect(b[0]!.end - b[0]!.start).toBe(3 * H);
    expect(iso(b[0]!.start)).toBe('2026-11-01T04:00:00.000Z');
  });

  it('Berlin spring forward and fall back', () => {
    const tz = 'Europe/Berlin';
    const spring = bucketsBetween(
      localDateStart('2026-03-29', tz),
      localDateStart('2026-03-30', tz),
      '2h',
      tz,
    );
    expect(spring).toHaveLength(12);
    expect(spring.map((x) => (x.end - x.start) / H)).toEqual([2, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
    const fall = bucketsBetween(localDateStart('2026-10-25', tz), localDateStart('2026-10-26', tz), '2h', tz);
    expect(fall.map((x) => (x.end - x.start) / H)).toEqual([2, 3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]); // 03:00 CEST -> 02:00 CET
  });

  it('Kathmandu (+05:45) and Kolkata (+05:30): boundaries at local even hours', () => {
    const ktm = bucketsBetween(
      localDateStart('2026-06-01', 'Asia/Kathmandu'),
      localDateStart('2026-06-02', 'Asia/Kathmandu'),
      '2h',
      'Asia/Kathmandu',
    );
    expect(ktm).toHaveLength(12);
    expect(iso(ktm[0]!.start)).toBe('2026-05-31T18:15:00.000Z');
    expect(iso(ktm[1]!.start)).toBe('2026-05-31T20:15:00.000Z');
    const kol = bucketsBetween(
      localDateStart('2026-06-01', 'Asia/Kolkata'),
      localDateStart('2026-06-02', 'Asia/Kolkata'),
      '2h',
      'Asia/Kolkata',
    );
    expect(iso(kol[0]!.start)).toBe('2026-05-31T18:30:00.000Z');
  });

  it('weeks start on local Monday, days at local midnight, clipped to the period', () => {
    const tz = 'Europe/Berlin';
    const from = localDateStart('2026-03-25', tz); // a Wednesday
    const to = localDateStart('2026-04-08', tz);
    const w = bucketsBetween(from, to, 'week', tz);
    expect(w.map((x) => iso(x.start))).toEqual([
      '2026-03-24T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
      '2026-04-05T22:00:00.000Z',
    ]);
    expect(w[2]!.end).toBe(to);
    const d = bucketsBetween(from, to, 'day', tz);
    expect(d).toHaveLength(14);
  });

  it('granularity follows the period length; today is a local day', () => {
    const tz = 'Asia/Kathmandu';
    const from = localDateStart('2026-01-01', tz);
    expect(defaultGranularity(from, localDateStart('2026-01-08', tz), tz)).toBe('2h');
    expect(defaultGranularity(from, localDateStart('2026-03-01', tz), tz)).toBe('day');
    expect(defaultGranularity(from, localDateStart('2026-12-01', tz), tz)).toBe('week');
    const t = todayWindow(Date.parse('2026-06-01T20:00:00Z'), tz);
    expect(iso(t.start)).toBe('2026-06-01T18:15:00.000Z');
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('zones that change their offset at midnight (the day then starts at 01:00)', () => {
  // Independent computation: every local date of the year, its first instant from Temporal.
  const dayStarts = (tz: string, year: number): number[] => {
    const out: number[] = [];
    for (let d = Temporal.PlainDate.from(`${year}-01-01`); d.year === year; d = d.add({ days: 1 }))
      out.push(d.toZonedDateTime({ timeZone: tz }).epochMilliseconds);
    out.push(
      Temporal.PlainDate.from(`${year + 1}-01-01`).toZonedDateTime({ timeZone: tz }).epochMilliseconds,
    );
    return out;
  };
  for (const tz of ['America/Havana', 'Asia/Beirut', 'America/Santiago', 'America/Asuncion']) {
    it(`${tz}: a year of day buckets starts at each local date's first instant`, () => {
      const starts = dayStarts(tz, 2026);
      const b = bucketsBetween(starts[0]!, starts.at(-1)!, 'day', tz);
      expect(b.map((x) => x.start)).toEqual(starts.slice(0, -1));
      expect(b.map((x) => x.end)).toEqual(starts.slice(1));
      // a day that skipped its midnight is 23 hours long and still ends at the next local 00:00
      expect(b.every((x) => [23, 24, 25].includes((x.end - x.start) / H))).toBe(true);
    });
    it(`${tz}: today's window ends where the next local date starts`, () => {
      const starts = dayStarts(tz, 2026);
      for (let i = 0; i < starts.length - 1; i++) {
        const w = todayWindow(starts[i]! + 1, tz);
        expect([w.start, w.end]).toEqual([starts[i], starts[i + 1]]);
      }
    });
  }
});
