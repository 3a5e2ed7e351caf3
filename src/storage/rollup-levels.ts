/**
 * The rollup levels of the ledger, finest first: usage sums and device presence per UTC quarter
 * hour, hour, 6 hours and day. Each unit is a multiple of the one before, as the read plan
 * (core/stats/read-plan.ts) needs. Quarters stay the finest level because every modern zone
 * offset is a multiple of 15 minutes; hours serve whole-hour zones' 2-hour rows; days serve long
 * periods; 6 hours shorten what a local midnight leaves of a UTC day (in Berlin, the 23 hours
 * before it are 3 six-hour rows and 5 hours instead of 23 hour rows).
 */
import { QUARTER_MS } from '../core/time-buckets.ts';

const HOUR_MS = 3_600_000;
const SIX_HOURS_MS = 6 * HOUR_MS;
const DAY_MS = 86_400_000;

export const SUM_LEVELS = [
  { unit: QUARTER_MS, table: 'usage_rollups' },
  { unit: HOUR_MS, table: 'usage_rollups_hour' },
  { unit: SIX_HOURS_MS, table: 'usage_rollups_6h' },
  { unit: DAY_MS, table: 'usage_rollups_day' },
] as const;

export const PRESENCE_LEVELS = [
  { unit: QUARTER_MS, table: 'device_presence' },
  { unit: HOUR_MS, table: 'device_presence_hour' },
  { unit: SIX_HOURS_MS, table: 'device_presence_6h' },
  { unit: DAY_MS, table: 'device_presence_day' },
] as const;

/**
 * All history in one row per key (bucket 0): what All History pies read, instead of every day
 * ever recorded. Not a level of the read plan: it answers only a window unbounded on both sides.
 */
export const SUM_ALL = { unit: null, table: 'usage_rollups_all' } as const;
export const PRESENCE_ALL = { unit: null, table: 'device_presence_all' } as const;

export type SumTable = (typeof SUM_LEVELS)[number]['table'] | typeof SUM_ALL.table;
export type PresenceTable = (typeof PRESENCE_LEVELS)[number]['table'] | typeof PRESENCE_ALL.table;

export const unitsOf = (levels: readonly { unit: number }[]): number[] => levels.map((l) => l.unit);

/** The unit start of an instant (instants are never before 1970 here); 0 for all history. */
export const unitOf = (ms: number, unit: number | null): number => (unit === null ? 0 : ms - (ms % unit));
