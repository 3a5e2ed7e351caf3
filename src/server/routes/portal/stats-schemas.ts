/**
 * Response schemas of the statistics routes (item and project stats, seat-need insight), for the
 * OpenAPI document and fast serialisation. The assertions at the end keep them identical to the
 * contract's interfaces.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { GRANULARITIES, LICENSE_MODELS } from '../../../contract/domain.ts';
import type { ItemInsightResponse } from '../../../contract/insight.ts';
import type { LiveSnapshot } from '../../../contract/live.ts';
import type { ItemStatsResponse, ProjectStatsResponse } from '../../../contract/stats.ts';

const Str = Type.String();
const Num = Type.Number();
const Int = Type.Integer();
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ description: 'ISO 8601 with the viewer’s offset' });
const Window = Type.Object({ start: Instant, end: Instant });
const Measure = Type.Enum(['scans', 'devices', 'starts', 'none']);

const PieSchema = Type.Object({
  slices: Type.Array(Type.Object({ key: Str, label: Str, value: Num })),
  total: Type.Number({ description: 'the window’s usage; per-device: distinct devices overall' }),
  window: Nullable(Window),
});
const PiesSchema = Type.Object({ allHistory: PieSchema, period: PieSchema, today: PieSchema });

const TrendSchema = Type.Object({
  granularity: Type.Enum(GRANULARITIES),
  intervals: Type.Array(Window),
  series: Type.Array(Type.Object({ key: Str, label: Str, values: Type.Array(Num) })),
  seatCount: Nullable(Num),
});

const PeriodSchema = Type.Object({
  from: Instant,
  to: Instant,
  timeZone: Str,
  granularity: Type.Enum(GRANULARITIES),
  today: Window,
});

export const ItemStatsSchema = Type.Object({
  licenseItem: Type.Object({
    id: Str,
    name: Str,
    model: Type.Enum(LICENSE_MODELS),
    quota: Num,
    quotaType: Type.Enum(['licenses', 'seats', 'dongles', 'devices', 'scans']),
  }),
  applicable: Type.Boolean({ description: 'false for hardware-key items: pies and trend are null' }),
  measure: Measure,
  period: PeriodSchema,
  pies: Nullable(PiesSchema),
  trend: Nullable(TrendSchema),
  peakConcurrent: Nullable(Num),
});

export const ProjectStatsSchema = Type.Object({
  project: Type.Object({
    id: Str,
    name: Str,
    items: Type.Array(
      Type.Object({ id: Str, name: Str, model: Type.Enum(LICENSE_MODELS), measure: Measure }),
    ),
  }),
  period: PeriodSchema,
  pies: PiesSchema,
  trend: TrendSchema,
  table: Type.Array(
    Type.Object({
      start: Instant,
      end: Instant,
      values: Type.Record(Str, Num, { description: 'one entry per license item id' }),
      total: Num,
    }),
  ),
  tablePage: Type.Object({ offset: Int, limit: Int, total: Int }),
});

export const ItemInsightSchema = Type.Object({
  licenseItem: Type.Object({ id: Str, name: Str, model: Str, quota: Num }),
  applicable: Type.Boolean({ description: 'false for every model but multi-user' }),
  period: Type.Object({ from: Instant, to: Instant, timeZone: Str }),
  graceMinutes: Num,
  targetPct: Num,
  insight: Nullable(
    Type.Object({
      observed: Type.Object({ from: Instant, to: Instant, ms: Num }),
      utilization: Type.Array(Type.Object({ seats: Num, ms: Num, pct: Num })),
      starts: Type.Object({ total: Num, full: Num, declined: Num, trueDeclines: Num }),
      replay: Type.Object({
        rows: Type.Array(Type.Object({ seats: Num, declines: Num, declinePct: Num })),
        declinedHoldMs: Num,
        recommendedSeats: Nullable(Num),
        sentence: Str,
      }),
    }),
  ),
});

export const LiveSnapshotSchema = Type.Object({
  at: Instant,
  sessions: Type.Array(
    Type.Object({
      id: Str,
      licenseItemId: Str,
      projectId: Nullable(Str),
      program: Str,
      version: Nullable(Str),
      email: Str,
      machine: Str,
      mode: Type.Enum(['full', 'limited']),
      startedAt: Instant,
      leaseExpiresAt: Instant,
    }),
  ),
  truncated: Type.Boolean(),
  today: Type.Object({
    start: Instant,
    timeZone: Str,
    counts: Type.Record(Str, Num, { description: 'ledger events by kind; `scan` sums the counts' }),
  }),
});

/** GET /live: one JSON snapshot, or a stream of them. */
export const LiveResponse = {
  200: {
    description:
      'With `Accept: text/event-stream`: a `snapshot` event now and on every change (data: the snapshot as JSON), a comment every 25 s; otherwise one JSON `{snapshot}`',
    content: {
      'application/json': { schema: Type.Object({ snapshot: LiveSnapshotSchema }) },
      'text/event-stream': { schema: Type.String() },
    },
  },
};

// Compile-time: each schema describes exactly its contract type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_: T) => undefined;
same<Same<Static<typeof ItemStatsSchema>, ItemStatsResponse>>(true);
same<Same<Static<typeof ProjectStatsSchema>, ProjectStatsResponse>>(true);
same<Same<Static<typeof ItemInsightSchema>, ItemInsightResponse>>(true);
same<Same<Static<typeof LiveSnapshotSchema>, LiveSnapshot>>(true);
