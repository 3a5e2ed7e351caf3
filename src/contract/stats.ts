/**
 * Statistics responses of the portal API (SPEC §4.1, §4.2, §5), shared by the server and the web
 * portal. Instants are ISO 8601 strings with the viewer's zone offset, e.g. 2026-03-08T03:00:00-04:00.
 */
import { Type } from 'typebox';
import { GRANULARITIES, type Granularity, type LicenseModel, type QuotaType } from './domain.ts';
import type { LicenseItem } from './resources.ts';

/**
 * What an item's usage counts: `scans` (per-scan: sum of scan counts), `devices` (per-device:
 * distinct devices, not additive across buckets), `starts` (single-/multi-user: program starts,
 * split full/limited/declined), `none` (hardware-key: no usage at all).
 */
export type UsageMeasure = 'scans' | 'devices' | 'starts' | 'none';

/** Fixed slice/series keys besides project ids (item page) and license item ids (project page). */
export const SLICE_KEYS = {
  unassigned: 'unassigned',
  remaining: 'remaining',
  full: 'full',
  limited: 'limited',
  declined: 'declined',
  total: 'total',
  peak: 'peak',
} as const;

export interface PieSlice {
  /** a project id, `unassigned`, `remaining`, `full`, `limited`, `declined`, or a license item id */
  key: string;
  label: string;
  value: number;
}

export interface Pie {
  /** every known key is listed, with 0 when the window has no usage for it */
  slices: PieSlice[];
  /**
   * The window's usage (without `remaining`). Equals the sum of the other slices, except for
   * per-device items, where it is the number of distinct devices overall: a device seen in two
   * projects is one device.
   */
  total: number;
  /** the window; null for All History */
  window: { start: string; end: string } | null;
}

export interface Pies {
  allHistory: Pie;
  period: Pie;
  today: Pie;
}

export interface TrendInterval {
  start: string;
  end: string;
}

export interface TrendSeries {
  /** a project id, `unassigned`, a license item id, `full`, `limited`, `declined`, `total`, or `peak` */
  key: string;
  label: string;
  /** one value per interval, in interval order (oldest first) */
  values: number[];
}

export interface Trend {
  granularity: Granularity;
  /** the intervals tile the period exactly: the first and last are clipped to it */
  intervals: TrendInterval[];
  series: TrendSeries[];
  /** multi-user: the seat count (quota) to draw the `peak` series against; otherwise null */
  seatCount: number | null;
}

/** The resolved period of a stats request. */
export interface StatsPeriod {
  from: string;
  to: string;
  timeZone: string;
  granularity: Granularity;
  today: { start: string; end: string };
}

export interface ItemUsage {
  /**
   * per-scan: scans since the validity start; per-device: active devices (live activations);
   * single-user: live activations; multi-user: seats in use now.
   */
  value: number;
  /** value ÷ quota × 100, rounded to one decimal; null when the quota is 0 */
  percentage: number | null;
}

export interface ItemStatus {
  state: 'valid' | 'expired' | 'not-yet-valid';
  /** `Expires 2027-01-31` / `Expired 2026-01-31` (date in the viewer's zone) */
  label: string;
}

export interface ItemDetail extends LicenseItem {
  quotaType: QuotaType;
  measure: UsageMeasure;
  status: ItemStatus;
  /** null for hardware-key items, and for members (no usage figures) */
  usage: ItemUsage | null;
  projects: { id: string; name: string }[];
  activationCodes: {
    id: string;
    prefix: string;
    maxActivations: number;
    /** live activations through this code */
    activations: number;
  }[];
}

/** GET /license-items/{id} */
export interface ItemDetailResponse {
  licenseItem: ItemDetail;
}

/** GET /license-items/{id}/stats */
export interface ItemStatsResponse {
  licenseItem: { id: string; name: string; model: LicenseModel; quota: number; quotaType: QuotaType };
  /** false for hardware-key items: no usage at all; pies and trend are then null */
  applicable: boolean;
  measure: UsageMeasure;
  period: StatsPeriod;
  pies: Pies | null;
  trend: Trend | null;
  /** multi-user: the most seats held at once during the period; otherwise null */
  peakConcurrent: number | null;
}

export interface ProjectTableRow {
  start: string;
  end: string;
  /** one entry per license item of the project, 0 when the interval has no usage */
  values: Record<string, number>;
  total: number;
}

/** GET /projects/{id}/stats */
export interface ProjectStatsResponse {
  project: {
    id: string;
    name: string;
    /** the project's license items (hardware-key items are listed with measure `none`) */
    items: { id: string; name: string; model: LicenseModel; measure: UsageMeasure }[];
  };
  period: StatsPeriod;
  /** slices keyed by license item id; a seat item counts program starts (full + limited + declined) */
  pies: Pies;
  /** one series per license item plus `total` */
  trend: Trend;
  /** 2-hour rows over the period, newest first (the requested page of them, see `tablePage`) */
  table: ProjectTableRow[];
  /** which rows `table` holds: `offset` from the newest, `total` rows in the whole period */
  tablePage: { offset: number; limit: number; total: number };
}

const periodFields = {
  /** a local date YYYY-MM-DD (local midnight in `tz`) or an ISO 8601 instant; default: 30 days before `to` */
  from: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  /** exclusive; a local date or an ISO 8601 instant; default: the end of today */
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  /** IANA time zone; default: the user's saved zone, else UTC */
  tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
};

/** Query of GET /projects/{id}/stats: the period, plus an optional page of the 2-hour table. */
export const ProjectStatsQuerySchema = Type.Object(
  {
    ...periodFields,
    granularity: Type.Optional(Type.Union(GRANULARITIES.map((g) => Type.Literal(g)))),
    /** rows to skip, counted from the newest; default 0 */
    tableOffset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    /** rows to return; default every row of the period (a year holds 4,380) */
    tableLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);

/** Query of the statistics routes (the CSV table is always in 2-hour rows and ignores `granularity`). */
export const StatsQuerySchema = Type.Object(
  {
    ...periodFields,
    /** default: 2h up to 7 days, day up to 92 days, week beyond */
    granularity: Type.Optional(Type.Union(GRANULARITIES.map((g) => Type.Literal(g)))),
  },
  { additionalProperties: false },
);
