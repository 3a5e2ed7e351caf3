/**
 * The period of a statistics request (SPEC §5): `from`/`to` as local dates (local midnight in the
 * viewer's zone; `to` exclusive) or ISO instants; the zone from the request, else the user's saved
 * zone, else UTC; by default the last 30 days ending at the end of today.
 */
import { Temporal } from 'temporal-polyfill';
import type { Granularity } from '../../contract/domain.ts';
import { LicstatError } from '../../contract/errors.ts';
import type { StatsPeriod, TrendInterval } from '../../contract/stats.ts';
import {
  addLocalDays,
  type Bucket,
  defaultGranularity,
  isValidTimeZone,
  localDateStart,
  todayWindow,
} from '../time-buckets.ts';
import { isoFormatter } from './zoned.ts';

const DAY_MS = 86_400_000;
/** "a range over ~5 years" is refused: 5 × 366 days. */
export const MAX_PERIOD_MS = 5 * 366 * DAY_MS;
/** 2-hour points are offered for up to a year; longer periods would be tens of thousands of points. */
export const MAX_2H_PERIOD_MS = 366 * DAY_MS;
export const DEFAULT_PERIOD_DAYS = 30;
// Instants the time-zone database and both databases handle without surprises.
const MIN_INSTANT = Date.UTC(1970, 0, 1);
const MAX_INSTANT = Date.UTC(2200, 0, 1);

export interface PeriodQuery {
  from?: string | undefined;
  to?: string | undefined;
  tz?: string | undefined;
  granularity?: Granularity | undefined;
}

export interface ResolvedPeriod {
  from: number;
  to: number;
  tz: string;
  granularity: Granularity;
  today: Bucket;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A local date → local midnight; an instant with offset → that instant; a local date-time → in tz. */
export function parseBoundary(text: string, tz: string, name: 'from' | 'to'): number {
  try {
    if (DATE.test(text)) return localDateStart(text, tz);
    if (/[zZ]|[+-]\d{2}(:?\d{2})?$/.test(text.slice(10)))
      return Temporal.Instant.from(text).epochMilliseconds;
    return Temporal.PlainDateTime.from(text).toZonedDateTime(tz).epochMilliseconds;
  } catch {
    throw new LicstatError(
      'INVALID_PERIOD',
      `${name} must be a date (YYYY-MM-DD) or an ISO 8601 date-time, got ${JSON.stringify(text.slice(0, 40))}`,
    );
  }
}

export function resolveTimeZone(requested: string | undefined, saved: string | null | undefined): string {
  if (requested !== undefined) {
    if (!isValidTimeZone(requested))
      throw new LicstatError(
        'INVALID_TIME_ZONE',
        `unknown time zone ${JSON.stringify(requested.slice(0, 64))}`,
      );
    return requested;
  }
  return saved && isValidTimeZone(saved) ? saved : 'UTC';
}

export function resolvePeriod(
  q: PeriodQuery,
  ctx: { now: number; savedTimeZone?: string | null | undefined },
): ResolvedPeriod {
  const tz = resolveTimeZone(q.tz, ctx.savedTimeZone);
  const today = todayWindow(ctx.now, tz);
  const to = q.to !== undefined ? parseBoundary(q.to, tz, 'to') : today.end;
  const from =
    q.from !== undefined ? parseBoundary(q.from, tz, 'from') : addLocalDays(to, -DEFAULT_PERIOD_DAYS, tz);
  if (from < MIN_INSTANT || to > MAX_INSTANT)
    throw new LicstatError('INVALID_PERIOD', 'the period must lie between 1970 and 2200');
  if (from >= to) throw new LicstatError('INVALID_PERIOD', '`from` must be before `to`');
  if (to - from > MAX_PERIOD_MS)
    throw new LicstatError('INVALID_PERIOD', 'the period may be at most 5 years long');
  const granularity = q.granularity ?? defaultGranularity(from, to, tz);
  if (granularity === '2h' && to - from > MAX_2H_PERIOD_MS)
    throw new LicstatError('INVALID_PERIOD', '2-hour points are available for periods up to a year');
  return { from, to, tz, granularity, today };
}

/** The resolved period as the API reports it (ISO 8601 with the zone's offset). */
export function describePeriod(p: ResolvedPeriod): StatsPeriod {
  return {
    from: isoInZone(p.from, p.tz),
    to: isoInZone(p.to, p.tz),
    timeZone: p.tz,
    granularity: p.granularity,
    today: { start: isoInZone(p.today.start, p.tz), end: isoInZone(p.today.end, p.tz) },
  };
}

export function describeBuckets(buckets: readonly Bucket[], tz: string): TrendInterval[] {
  const iso = isoFormatter(tz);
  return buckets.map((b) => ({ start: iso(b.start), end: iso(b.end) }));
}

/** ISO 8601 with the zone's offset; milliseconds only when the instant has some. */
export function isoInZone(ms: number, tz: string): string {
  return Temporal.Instant.fromEpochMilliseconds(ms)
    .toZonedDateTimeISO(tz)
    .toString({ timeZoneName: 'never', fractionalSecondDigits: ms % 1000 === 0 ? 0 : 3 });
}
