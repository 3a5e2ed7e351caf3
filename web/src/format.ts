/** Display formatting in the viewer's time zone. */

/** What an order is called in the portal, after its kind. */
export const ORDER_LABEL = { full: 'Full License', trial: 'Trial License' } as const;

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${tz}|${JSON.stringify(opts)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, ...opts });
    cache.set(key, f);
  }
  return f;
}

const toDate = (v: string | number | Date): Date => (v instanceof Date ? v : new Date(v));

/**
 * Month names are spelled here, not taken from the browser: ICU versions disagree ("Sep" or
 * "Sept" in en-GB), and the portal, its tests and its CSV notes must read the same everywhere.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: string;
  minute: string;
}

/** The wall-clock fields of an instant in `tz`. */
function partsOf(v: string | number | Date, tz: string): Parts {
  const map: Record<string, string> = {};
  for (const p of fmt(tz, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(toDate(v)))
    map[p.type] = p.value;
  return {
    year: Number(map.year),
    month: Number(map.month),
    day: Number(map.day),
    hour: (map.hour ?? '00').padStart(2, '0'),
    minute: (map.minute ?? '00').padStart(2, '0'),
  };
}

const dayMonth = (p: Parts): string => `${p.day} ${MONTHS[p.month - 1]}`;
const dayMonthYear = (p: Parts): string => `${dayMonth(p)} ${p.year}`;
const hourMinute = (p: Parts): string => `${p.hour}:${p.minute}`;

/** 25 Nov 2026 */
export const formatDate = (v: string | number | Date, tz: string): string => dayMonthYear(partsOf(v, tz));

/** 25 Nov 2026, 14:05 */
export function formatDateTime(v: string | number | Date, tz: string): string {
  const p = partsOf(v, tz);
  return `${dayMonthYear(p)}, ${hourMinute(p)}`;
}

/** 25 Nov, 14:00 or 25 Nov (compact axis label); with `withYear`, 25 Nov 2026 */
export function formatShort(
  v: string | number | Date,
  tz: string,
  withTime: boolean,
  withYear = false,
): string {
  const p = partsOf(v, tz);
  const date = withYear ? dayMonthYear(p) : dayMonth(p);
  return withTime ? `${date}, ${hourMinute(p)}` : date;
}

/** 28 Oct – 26 Nov 2026; 29 Dec 2025 – 4 Jan 2026; 26 Nov 2026 (one day) */
function dateRange(a: Parts, b: Parts): string {
  if (a.year === b.year && a.month === b.month && a.day === b.day) return dayMonthYear(a);
  return a.year === b.year
    ? `${dayMonth(a)} – ${dayMonthYear(b)}`
    : `${dayMonthYear(a)} – ${dayMonthYear(b)}`;
}

/** The local days of [from, to) in `tz`: `to` is exclusive, as the API sends it. */
export function formatDateRange(
  from: string | number | Date,
  to: string | number | Date,
  tz: string,
): string {
  return dateRange(partsOf(from, tz), partsOf(toDate(to).getTime() - 1, tz));
}

/** The days of two instants, both included: a validity from its first to its last instant. */
export function formatDateSpan(from: string | number | Date, to: string | number | Date, tz: string): string {
  return dateRange(partsOf(from, tz), partsOf(to, tz));
}

const ymdParts = (ymd: string): Parts | null => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: '00', minute: '00' } : null;
};

/** Inclusive calendar dates (YYYY-MM-DD), e.g. a period picker's first and last day. */
export function formatLocalDateRange(fromYmd: string, toYmd: string): string {
  const a = ymdParts(fromYmd);
  const b = ymdParts(toYmd);
  return a && b ? dateRange(a, b) : `${fromYmd} – ${toYmd}`;
}

/** 14:05 */
export const formatTime = (v: string | number | Date, tz: string): string => hourMinute(partsOf(v, tz));

/** The local calendar year of an instant in `tz`. */
export const yearOf = (v: string | number | Date, tz: string): number => partsOf(v, tz).year;

/** YYYY-MM-DD of an instant in `tz`: the value a date input takes. */
export function isoDateIn(v: string | number | Date, tz: string): string {
  const p = partsOf(v, tz);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** "UTC+05:30" for the zone at that instant */
export function offsetLabel(tz: string, at: number = Date.now()): string {
  const part = fmt(tz, { timeZoneName: 'longOffset' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName');
  const v = part?.value ?? 'GMT';
  return v === 'GMT' ? 'UTC+00:00' : v.replace('GMT', 'UTC');
}

const nf = new Intl.NumberFormat('en-US');
export const formatNumber = (n: number): string => nf.format(n);

export function formatPercent(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  // the API's one decimal, kept: the page agrees with the API and the CSV to the unit
  return `${Number.isInteger(n) ? n : n.toFixed(1)}%`;
}

/** 2 h 05 min; 45 s */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  const mm = m % 60;
  if (h < 48) return `${h} h ${String(mm).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Browsers list some zones under their legacy names; show the current IANA names. */
const MODERN: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
};

export function allTimeZones(): string[] {
  const supported = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf;
  const list = (supported ? supported('timeZone') : []).map((z) => MODERN[z] ?? z);
  return [...new Set(['UTC', ...list])];
}

export const MODEL_LABEL: Record<string, string> = {
  'single-user': 'Single-user (SUL)',
  'multi-user': 'Multi-user (MUL)',
  'hardware-key': 'Hardware key (HWK)',
  'per-device': 'Per device',
  'per-scan': 'Per scan',
};

/** The license type in the Licenses column (SPEC §4.3: `5 MUL`); quota items name their unit. */
const LICENSE_TYPE: Record<string, string> = {
  'single-user': 'SUL',
  'multi-user': 'MUL',
  'hardware-key': 'HWK',
};
const LICENSE_UNIT: Record<string, Unit> = { 'per-device': 'devices', 'per-scan': 'scans' };

/** Everything the portal counts, in the plural; `formatQuantity` picks the singular for 1. */
export type Unit =
  | 'licenses'
  | 'seats'
  | 'dongles'
  | 'devices'
  | 'scans'
  | 'starts'
  | 'uses'
  | 'activations'
  | 'intervals'
  | 'sessions'
  | 'users'
  | 'attempts';

const SINGULAR: Record<Unit, string> = {
  licenses: 'license',
  seats: 'seat',
  dongles: 'dongle',
  devices: 'device',
  scans: 'scan',
  starts: 'start',
  uses: 'use',
  activations: 'activation',
  intervals: 'interval',
  sessions: 'session',
  users: 'user',
  attempts: 'attempt',
};

/** The unit word for a count: `seats`, or `seat` for exactly 1. */
export const unitWord = (n: number, unit: Unit): string => (n === 1 ? SINGULAR[unit] : unit);

/** 400,000 scans · 1 seat */
export const formatQuantity = (n: number, unit: Unit): string => `${formatNumber(n)} ${unitWord(n, unit)}`;

/** 12 of 40 */
export const formatUsedOf = (used: number, available: number): string =>
  `${formatNumber(used)} of ${formatNumber(available)}`;

/** The Licenses column: `4 MUL`, `2 SUL`, `3 HWK`; quota items in words: `12 devices`, `400,000 scans`. */
export function formatLicenses(quota: number, model: string): string {
  const unit = LICENSE_UNIT[model];
  if (unit) return formatQuantity(quota, unit);
  return `${formatNumber(quota)} ${LICENSE_TYPE[model] ?? model}`;
}

/**
 * The usage statistics' Licenses column as SPEC §4.3 and its CSV write it, count and type:
 * `5 MUL`, `12 DEV`, `400,000 SCAN` (the words go in the cell's title).
 */
export const formatLicenseCount = (quota: number, model: string): string =>
  `${formatNumber(quota)} ${LICENSE_TYPE[model] ?? LICENSE_ABBR[model] ?? model}`;
const LICENSE_ABBR: Record<string, string> = { 'per-device': 'DEV', 'per-scan': 'SCAN' };

/** "Expires 31 Dec 2026" / "Expired 1 Jan 2026"; `soon`: it expires within 30 days (the alerts' first warning) */
export function validityStatus(
  validTo: string,
  tz: string,
  now = Date.now(),
): { text: string; expired: boolean; soon: boolean; tone: 'good' | 'warn' | 'bad' } {
  const end = new Date(validTo).getTime();
  const expired = end <= now;
  const soon = !expired && end - now <= 30 * 86_400_000;
  return {
    text: `${expired ? 'Expired' : 'Expires'} ${formatDate(validTo, tz)}`,
    expired,
    soon,
    tone: expired ? 'bad' : soon ? 'warn' : 'good',
  };
}
