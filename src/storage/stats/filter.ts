/** What a statistics query reads: always one organization, some items, some ledger kinds. */
import type { UsageKind } from '../../contract/domain.ts';

export interface UsageFilter {
  /** every query is scoped by organization, even when the items were already checked */
  organizationId: string;
  itemIds: readonly string[];
  kinds: readonly UsageKind[];
  /** undefined: usage of every project and unassigned; a project id: only usage attributed to it */
  projectId?: string | undefined;
}

/** A summed row: `t` is the quarter-hour start (rollups) or the event time (ledger); null when not grouped by time. */
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
