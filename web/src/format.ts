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

/** 25 Nov 2026 */
export const formatDate = (v: string | number | Date, tz: string): string =>
  fmt(tz, { day: 'numeric', month: 'short', year: 'numeric' }).format(toDate(v));

/** 25 Nov 2026, 14:05 */
export const formatDateTime = (v: string | number | Date, tz: string): string =>
  fmt(tz, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(toDate(v));

/** 25 Nov 14:00 (compact axis label) */
export const formatShort = (v: string | number | Date, tz: string, withTime: boolean): string =>
  fmt(
    tz,
    withTime
      ? { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }
      : { day: 'numeric', month: 'short' },
  ).format(toDate(v));

export const formatTime = (v: string | number | Date, tz: string): string =>
  fmt(tz, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(toDate(v));

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

export const MODEL_SHORT: Record<string, string> = {
  'single-user': 'SUL',
  'multi-user': 'MUL',
  'hardware-key': 'HWK',
  'per-device': 'devices',
  'per-scan': 'scans',
};

/** "Expires 31 Dec 2026" / "Expired 1 Jan 2026" */
export function validityStatus(
  validTo: string,
  tz: string,
  now = Date.now(),
): { text: string; expired: boolean } {
  const expired = new Date(validTo).getTime() <= now;
  return { text: `${expired ? 'Expired' : 'Expires'} ${formatDate(validTo, tz)}`, expired };
}
