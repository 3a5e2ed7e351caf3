/**
 * Seat-need insight of a multi-user item (GET /license-items/{id}/insight), shared by the server
 * and the web portal. Figures come from the session ledger (sessions holding a seat from their
 * start until the earliest of their end, their lease expiry and now).
 */
import { Type } from 'typebox';

export interface InsightQuery {
  from?: string;
  to?: string;
  tz?: string;
  graceMinutes?: number;
  targetPct?: number;
}

export const InsightQuerySchema = Type.Object(
  {
    /** a local date YYYY-MM-DD or an ISO 8601 instant; default: 30 days before `to` */
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    /** exclusive; default: the end of today */
    to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** a decline is not "true" when the same user got a full start within this many minutes; default 10 */
    graceMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440 })),
    /** the recommendation keeps declines at most this share of starts (percent); default 1 */
    targetPct: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

export interface InsightUtilization {
  /** seats held (the last entry, = quota, also holds any time above a since-lowered quota) */
  seats: number;
  ms: number;
  /** share of the observed period in percent, one decimal; the shares sum to exactly 100 */
  pct: number;
}

export interface InsightReplayRow {
  seats: number;
  /** starts the replay with this many seats declines (at the current quota: the recorded declines) */
  declines: number;
  declinePct: number;
}

export interface ItemInsight {
  /** the part of the period that has happened: [from, min(to, now)) */
  observed: { from: string; to: string; ms: number };
  utilization: InsightUtilization[];
  starts: {
    /** attempted starts in the period: full + declined */
    total: number;
    full: number;
    declined: number;
    /** declines not followed by a full start of the same email on this item within the grace */
    trueDeclines: number;
  };
  replay: {
    rows: InsightReplayRow[];
    /** how long a really declined start holds a seat when a replay admits it: the median holding time of the period's full sessions (else the item's refresh interval) */
    declinedHoldMs: number;
    /** null when no k in the table meets the target, or there were no starts */
    recommendedSeats: number | null;
    sentence: string;
  };
}

/** GET /license-items/{id}/insight */
export interface ItemInsightResponse {
  licenseItem: { id: string; name: string; model: string; quota: number };
  /** false for every model but multi-user: `insight` is then null */
  applicable: boolean;
  period: { from: string; to: string; timeZone: string };
  graceMinutes: number;
  targetPct: number;
  insight: ItemInsight | null;
}
