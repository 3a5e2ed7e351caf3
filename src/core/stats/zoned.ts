/**
 * Fast paths for long periods (a 5-year 2-hour table has ~22,000 intervals): Temporal is exact but
 * costs tens of microseconds per call. Both helpers ask Temporal once per offset change and do
 * plain arithmetic in between; days holding a zone transition take the exact slow
 * path (time-buckets.ts), so the results are identical (checked by zoned.test.ts).
 */
import { Temporal } from 'temporal-polyfill';
import type { Granularity } from '../../contract/domain.ts';
import {
  addLocalDays,
  type Bucket,
  bucketStartOf,
  bucketsBetween,
  nextBucketStart,
  startOfLocalDay,
} from '../time-buckets.ts';

const TWO_H = 2 * 3_600_000;
const DAY = 24 * 3_600_000;

/** The instant of the next offset change after `ms`, or +∞. */
function nextTransition(ms: number, tz: string): number {
  const t = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz).getTimeZoneTransition('next');
  return t ? t.epochMilliseconds : Number.POSITIVE_INFINITY;
}

/** Same as bucketsBetween(from, to, granularity, tz). */
export function periodBuckets(from: number, to: number, granularity: Granularity, tz: string): Bucket[] {
  return granularity === '2h' ? twoHourBuckets(from, to, tz) : dayOrWeekBuckets(from, to, granularity, tz);
}

/** Days or weeks: from a local 00:00 with no offset change before the next boundary, it is 24 h or 7 × 24 h on. */
function dayOrWeekBuckets(from: number, to: number, granularity: 'day' | 'week', tz: string): Bucket[] {
  const step = granularity === 'day' ? DAY : 7 * DAY;
  const out: Bucket[] = [];
  let transition = Number.NEGATIVE_INFINITY;
  let start = bucketStartOf(from, granularity, tz);
  // `start` is known to be a local 00:00 with no offset change at it (the first one is not checked)
  let plainStart = false;
  while (start < to) {
    if (transition <= start) transition = nextTransition(start, tz);
    const end: number =
      plainStart && transition > start + step ? start + step : nextBucketStart(start, granularity, tz);
    plainStart = transition > end;
    out.push({ start: Math.max(start, from), end: Math.min(end, to) });
    start = end;
  }
  return out;
}

function twoHourBuckets(from: number, to: number, tz: string): Bucket[] {
  const out: Bucket[] = [];
  let transition = Number.NEGATIVE_INFINITY;
  let day = startOfLocalDay(from, tz);
  // `day` is known to be a local 00:00 with no offset change at it (the first day is not checked)
  let plainStart = false;
  while (day < to) {
    if (transition <= day) transition = nextTransition(day, tz);
    // from 00:00, no offset change up to and including the next midnight: a 24-hour day
    const next: number = plainStart && transition > day + DAY ? day + DAY : addLocalDays(day, 1, tz);
    plainStart = transition > next;
    const a = Math.max(day, from);
    const b = Math.min(next, to);
    if (next - day === DAY && transition >= next) {
      // a plain 24-hour day: even local hours are every 2 hours from local midnight
      for (let s = day; s < next; s += TWO_H) {
        const e = s + TWO_H;
        if (e > a && s < b) out.push({ start: Math.max(s, a), end: Math.min(e, b) });
      }
    } else out.push(...bucketsBetween(a, b, '2h', tz));
    day = next;
  }
  return out;
}

/**
 * A formatter of instants as ISO 8601 with the zone's offset (as isoInZone): the offset is reused
 * for every instant between the same two transitions, so ascending or descending runs are cheap.
 */
export function isoFormatter(tz: string): (ms: number) => string {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  let offsetMs = 0;
  let offset = '';
  const zoned = (ms: number) => Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(tz);
  return (ms) => {
    if (ms < lo || ms >= hi) {
      const z = zoned(ms);
      offsetMs = z.offsetNanoseconds / 1e6;
      offset = z.offset;
      const next = z.getTimeZoneTransition('next');
      const prev = z.getTimeZoneTransition('previous');
      hi = next ? next.epochMilliseconds : Number.POSITIVE_INFINITY;
      // 'previous' is strictly before ms: when ms is itself a transition, the range starts at ms
      lo = prev ? prev.epochMilliseconds : Number.NEGATIVE_INFINITY;
      if (zoned(ms - 1).offsetNanoseconds !== z.offsetNanoseconds) lo = ms;
      // sub-minute offsets (historical) keep the exact Temporal rendering
      if (offsetMs % 60_000 !== 0) {
        hi = Number.NEGATIVE_INFINITY;
        return z.toString({ timeZoneName: 'never', fractionalSecondDigits: ms % 1000 === 0 ? 0 : 3 });
      }
    }
    const d = new Date(ms + offsetMs).toISOString();
    return (ms % 1000 === 0 ? d.slice(0, 19) : d.slice(0, 23)) + offset;
  };
}
