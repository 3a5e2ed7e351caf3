/**
 * The period picker's windows, computed with the server's own calendar rules (src/core) so a
 * "7 days" here is exactly the server's 7 local days in the viewer's zone, across DST changes.
 */
import type { Granularity } from '../../src/contract/domain.ts';
import {
  addLocalDays,
  defaultGranularity,
  isoInZone,
  localDateOf,
  localDateStart,
  startOfLocalDay,
} from '../../src/core/time-buckets.ts';

const ALL_PRESETS = [
  { id: 'today', label: 'Today' },
  { id: '7d', label: '7 days' },
  { id: '30d', label: '30 days' },
  { id: '90d', label: '90 days' },
  { id: '3m', label: '3 months' },
  { id: '12m', label: '12 months' },
  { id: 'custom', label: 'Custom' },
] as const;
export type Preset = (typeof ALL_PRESETS)[number]['id'];
export type PresetOption = (typeof ALL_PRESETS)[number];

const pick = (...ids: Preset[]): PresetOption[] => ALL_PRESETS.filter((p) => ids.includes(p.id));
/** The statistics pages' choices (SPEC §4.1). */
export const PRESETS = pick('today', '7d', '30d', '90d', '12m', 'custom');
/** The session history's choices: its default window is the last 3 calendar months (SPEC §4.4). */
export const SESSION_PRESETS = pick('today', '7d', '30d', '3m', '12m', 'custom');

export interface PeriodChoice {
  preset: Preset;
  /** custom only: inclusive local dates YYYY-MM-DD */
  fromDate?: string;
  toDate?: string;
}

export interface Window {
  from: number;
  to: number;
  /** ISO 8601 with the zone's offset, as sent to the API */
  fromIso: string;
  toIso: string;
  /** inclusive local dates, for the custom inputs and labels */
  fromDate: string;
  toDate: string;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** [from, to) of a choice in `tz`; every preset ends at the end of today. */
export function windowOf(choice: PeriodChoice, tz: string, now = Date.now()): Window {
  const today = startOfLocalDay(now, tz);
  const tomorrow = addLocalDays(today, 1, tz);
  let from: number;
  let to = tomorrow;
  switch (choice.preset) {
    case 'today':
      from = today;
      break;
    case '7d':
      from = addLocalDays(today, -6, tz);
      break;
    case '30d':
      from = addLocalDays(today, -29, tz);
      break;
    case '90d':
      from = addLocalDays(today, -89, tz);
      break;
    case '3m': {
      // the server's default session window: the end of today minus 3 calendar months (day clamped)
      const d = localDateOf(tomorrow, tz);
      let y = Number(d.slice(0, 4));
      let m = Number(d.slice(5, 7)) - 3;
      if (m < 1) {
        m += 12;
        y -= 1;
      }
      const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
      const day = Math.min(Number(d.slice(8)), last);
      from = localDateStart(`${y}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`, tz);
      break;
    }
    case '12m': {
      const d = localDateOf(today, tz);
      const y = Number(d.slice(0, 4)) - 1;
      // same day one year ago, plus one day: 12 whole months ending today
      from = addLocalDays(
        localDateStart(
          `${y}${d.slice(4, 7)}-${d.slice(8) === '29' && d.slice(5, 7) === '02' ? '28' : d.slice(8)}`,
          tz,
        ),
        1,
        tz,
      );
      break;
    }
    case 'custom': {
      const f =
        choice.fromDate && DATE_RE.test(choice.fromDate)
          ? choice.fromDate
          : localDateOf(addLocalDays(today, -6, tz), tz);
      const t = choice.toDate && DATE_RE.test(choice.toDate) ? choice.toDate : localDateOf(today, tz);
      const [lo, hi] = f <= t ? [f, t] : [t, f];
      from = localDateStart(lo, tz);
      to = addLocalDays(localDateStart(hi, tz), 1, tz);
      break;
    }
  }
  return {
    from,
    to,
    fromIso: isoInZone(from, tz),
    toIso: isoInZone(to, tz),
    fromDate: localDateOf(from, tz),
    toDate: localDateOf(addLocalDays(to, -1, tz), tz),
  };
}

/** The default trend interval (SPEC §4.1): 2-hour points up to 7 days, daily up to 92, weekly beyond. */
export function autoGranularity(w: Window, tz: string): Granularity {
  return defaultGranularity(w.from, w.to, tz);
}

/**
 * The trend intervals a period can be drawn in readably: a chart about a thousand pixels wide
 * holds a few hundred points at most. 2-hour points up to a month (372 points), days from two
 * days up to a year (366), weeks from two weeks on. A 12-month trend in 2-hour points would be
 * 4,380 points: unreadable, so it is not offered. The automatic choice is always among these.
 */
export const GRANULARITY_DAYS: Record<Granularity, { min: number; max: number }> = {
  '2h': { min: 0, max: 31 },
  day: { min: 2, max: 366 },
  week: { min: 14, max: Number.POSITIVE_INFINITY },
};

/** Local days in the window (a DST day is still one day). */
export const windowDays = (w: Window): number => Math.round((w.to - w.from) / 86_400_000);

export function granularityFits(g: Granularity, w: Window): boolean {
  const days = windowDays(w);
  return days >= GRANULARITY_DAYS[g].min && days <= GRANULARITY_DAYS[g].max;
}

export function parsePreset(v: string | null): Preset {
  return ALL_PRESETS.some((p) => p.id === v) ? (v as Preset) : '30d';
}
