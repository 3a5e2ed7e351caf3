/**
 * What each license model's figures are made of (SPEC §2 table, §5). One place, so the item page,
 * the project page, the CSV and the header usage agree.
 */
import type { LicenseModel, QuotaType, UsageKind } from '../../contract/domain.ts';
import { SLICE_KEYS, type UsageMeasure } from '../../contract/stats.ts';

export const measureOf = (model: LicenseModel): UsageMeasure => {
  switch (model) {
    case 'per-scan':
      return 'scans';
    case 'per-device':
      return 'devices';
    case 'single-user':
    case 'multi-user':
      return 'starts';
    case 'hardware-key':
      return 'none';
  }
};

export const quotaTypeOf = (model: LicenseModel): QuotaType => {
  switch (model) {
    case 'single-user':
      return 'licenses';
    case 'multi-user':
      return 'seats';
    case 'hardware-key':
      return 'dongles';
    case 'per-device':
      return 'devices';
    case 'per-scan':
      return 'scans';
  }
};

/**
 * Ledger kinds summed for a measure. Program starts are `full_access` + `limited_access`: a
 * decline writes `declined` and `limited_access` (the program runs limited), so `declined` is a
 * part of `limited_access`, not an extra start.
 */
export const SCAN_KINDS: UsageKind[] = ['scan'];
export const START_KINDS: UsageKind[] = ['full_access', 'limited_access', 'declined'];

/** The All History pie shows the unused rest of the quota only where usage is in quota units. */
export const showsRemaining = (measure: UsageMeasure): boolean =>
  measure === 'scans' || measure === 'devices';

export const OUTCOME_KEYS = [SLICE_KEYS.full, SLICE_KEYS.limited, SLICE_KEYS.declined] as const;
export type Outcome = (typeof OUTCOME_KEYS)[number];

export const OUTCOME_LABELS: Record<Outcome, string> = {
  full: 'Full access',
  limited: 'Limited (not activated)',
  declined: 'Declined (all seats in use)',
};

/**
 * The signed contribution of a ledger kind to the three disjoint start outcomes:
 * full = full_access; limited = limited_access − declined; declined = declined.
 */
export function outcomeContributions(kind: string): [Outcome, number][] {
  switch (kind) {
    case 'full_access':
      return [['full', 1]];
    case 'limited_access':
      return [['limited', 1]];
    case 'declined':
      return [
        ['declined', 1],
        ['limited', -1],
      ];
    default:
      return [];
  }
}

/** A seat item's contribution to "program starts" (its usage on a project page). */
export const startsContribution = (kind: string): number =>
  kind === 'full_access' || kind === 'limited_access' ? 1 : 0;

export const UNASSIGNED_LABEL = 'Unassigned';
export const REMAINING_LABEL = 'Remaining quota';
/**
 * Per-device: the pie's slices count every device seen, which may exceed the quota as devices come
 * and go; the quota limits the devices active now, so the rest is said in those terms.
 */
export const deviceRemainingLabel = (quota: number, active: number): string =>
  `Free device slots (${quota} − ${active} active now)`;
export const TOTAL_LABEL = 'Total';
export const PEAK_LABEL = 'Peak concurrent seats';

/** value ÷ quota as a percentage with one decimal. */
export const percentOfQuota = (value: number, quota: number): number | null =>
  quota > 0 ? Math.round((value / quota) * 1000) / 10 : null;
