/**
 * Calendar windows and buckets in the viewer's IANA time zone. All instants are epoch ms.
 * Boundaries are computed from local wall-clock times with Temporal, so they are exact across
 * daylight-saving changes and in half- and quarter-hour zones.
 */
import { Temporal } from 'temporal-polyfill';
import type { Granularity } from '../contract/domain.ts';

export interface Bucket {
  start: number;
  end: number;
}

export function isValidTimeZone(tz: string): boolean {
  try {
    Temporal.Now.zonedDateTimeISO(tz);
    return true;
  } catch {
    return false;
  }
}

const zdt = (ms: number, tz: string) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz);

/** Local midnight (start of day) of the local date holding `ms`. */
export function startOfLocalDay(ms: number, tz: string): number {
  return zdt(ms, tz).startOfDay().epochMilliseconds;
}

/** Start of the local day `date` (YYYY-MM-DD) in `tz`. */
export function localDateStart(date: string, tz: string): number {
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: tz }).epochMilliseconds;
}

/**
 * The same wall-clock time `days` local days later; from the start of a local day, the start of
 * the target day. (Where a zone skips midnight — Havana, Beirut, Santiago change their offset at
 * 00:00 — a day starts at 01:00, and the day after it still starts at 00:00.)
 */
export function addLocalDays(ms: number, days: number, tz: string): number {
  const z = zdt(ms, tz);
  const target = z.add({ days });
  return z.startOfDay().epochMilliseconds === ms
    ? target.startOfDay().epochMilliseconds
    : target.epochMilliseconds;
}

export function localDateOf(ms: number, tz: string): string {
  return zdt(ms, tz).toPlainDate().toString();
}

/** ISO 8601 with the zone's offset at that instant, e.g. 2026-03-08T03:00:00-04:00. */
export function isoInZone(ms: number, tz: string): string {
  return zdt(ms, tz).toString({ timeZoneName: 'never', smallestUnit: 'second' });
}

/** Today's window [local midnight, next local midnight). */
export function todayWindow(now: number, tz: string): Bucket {
  const start = startOfLocalDay(now, tz);
  return { start, end: addLocalDays(start, 1, tz) };
}

/** Default granularity for a period: 2-hour points up to 7 days, daily up to 92, weekly beyond. */
export function defaultGranularity(from: number, to: number, tz: string): Granularity {
  const days = zdt(from, tz).toPlainDate().until(zdt(to, tz).toPlainDate(), { largestUnit: 'days' }).days;
  if (days <= 7) return '2h';
  if (days <= 92) return 'day';
  return 'week';
}

/** The start of the bucket (of `granularity`) that holds `ms`. Weeks start on Monday (ISO 8601). */
export function bucketStartOf(ms: number, granularity: Granularity, tz: string): number {
  const z = zdt(ms, tz);
  const day = z.startOfDay();
  if (granularity === 'day') return day.epochMilliseconds;
  if (granularity === 'week') return day.subtract({ days: z.dayOfWeek - 1 }).startOfDay().epochMilliseconds;
  // 2h: the latest even local hour boundary at or before ms (a nonexistent hour maps forward).
  const date = z.toPlainDate();
  let hour = z.hour - (z.hour % 2);
  for (;;) {
    const b = evenHourStart(date, hour, tz);
    if (b <= ms || hour === 0) return b;
    hour -= 2;
  }
}

function evenHourStart(date: Temporal.PlainDate, hour: number, tz: string): number {
  if (hour === 0) return date.toZonedDateTime({ timeZone: tz }).epochMilliseconds;
  // 'compatible': a skipped wall time (spring forward) maps to the instant after the gap,
  // a repeated one (fall back) to its first occurrence.
  return date.toZonedDateTime({ timeZone: tz, plainTime: { hour } }).epochMilliseconds;
}

/** The boundary following a bucket start. */
export function nextBucketStart(start: number, granularity: Granularity, tz: string): number {
  if (granularity === 'day') return addLocalDays(start, 1, tz);
  if (granularity === 'week') return addLocalDays(start, 7, tz);
  const z = zdt(start, tz);
  const date = z.toPlainDate();
  const nextHour = z.hour - (z.hour % 2) + 2;
  if (nextHour >= 24) return date.add({ days: 1 }).toZonedDateTime({ timeZone: tz }).epochMilliseconds;
  const b = evenHourStart(date, nextHour, tz);
  // In a zone where local midnight is skipped, guard against a non-advancing boundary.
  return b > start ? b : evenHourStart(date, nextHour + 2, tz);
}

/**
 * Buckets covering [from, to): the first starts at the bucket holding `from` clipped to `from`,
 * the last is clipped to `to`, so the buckets tile the period exactly.
 */
export function bucketsBetween(from: number, to: number, granularity: Granularity, tz: string): Bucket[] {
  const out: Bucket[] = [];
  let start = bucketStartOf(from, granularity, tz);
  while (start < to) {
    const end = nextBucketStart(start, granularity, tz);
    out.push({ start: Math.max(start, from), end: Math.min(end, to) });
    start = end;
  }
  return out;
}

/** Index of the bucket holding `ms` (buckets sorted, contiguous), or -1. */
export function bucketIndex(buckets: readonly Bucket[], ms: number): number {
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = buckets[mid]!;
    if (ms < b.start) hi = mid - 1;
    else if (ms >= b.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

export const QUARTER_MS = 15 * 60 * 1000;
export const quarterOf = (ms: number): number => ms - (((ms % QUARTER_MS) + QUARTER_MS) % QUARTER_MS);
