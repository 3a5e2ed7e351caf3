/** What a statistics query reads: always one organization, some items, some ledger kinds. */
import type { UsageKind } from '../../contract/domain.ts';
import type { Bucket } from '../../core/time-buckets.ts';

export interface UsageFilter {
  /** every query is scoped by organization, even when the items were already checked */
  organizationId: string;
  itemIds: readonly string[];
  kinds: readonly UsageKind[];
  /** undefined: usage of every project and unassigned; a project id: only usage attributed to it */
  projectId?: string | undefined;
}

/** A summed row: `t` is the unit start (rollups), the event time (ledger) or the bucket start (grouped per bucket); null when not grouped by time. */
export interface SumRow {
  itemId: string;
  /** null = unassigned */
  projectId: string | null;
  kind: string;
  t: number | null;
  value: number;
}

export interface DeviceRow {
  itemId: string;
  projectId: string | null;
  fingerprint: string;
  t: number | null;
}

/**
 * How a query groups rows by time: not at all (totals), per unit (a rollup unit or an event
 * instant; folded into buckets in JavaScript), or per bucket in SQL (see bucket-index.ts).
 */
export type TimeGrouping = { by: 'none' } | { by: 'unit' } | { by: 'bucket'; buckets: readonly Bucket[] };
