/**
 * Rules of the license usage statistics table (SPEC §4.3): labels, which counters a model has,
 * and which Reset Stats baseline applies to a row. Pure; storage supplies the facts.
 */
import type { LicenseModel, UsageKind } from '../contract/domain.ts';
import { localDateOf } from './time-buckets.ts';

export const MODEL_ABBR: Record<LicenseModel, string> = {
  'single-user': 'SUL',
  'multi-user': 'MUL',
  'hardware-key': 'HWK',
  'per-device': 'DEV',
  'per-scan': 'SCAN',
};

export const licensesLabel = (quota: number, model: LicenseModel): string => `${quota} ${MODEL_ABBR[model]}`;

export function statusLabel(validTo: number, now: number, tz: string): { status: string; expired: boolean } {
  const expired = now >= validTo;
  return { status: `${expired ? 'Expired' : 'Expires'} ${localDateOf(validTo, tz)}`, expired };
}

/** The ledger kinds the table counts. */
export const COUNTED_KINDS = [
  'full_access',
  'limited_access',
  'declined',
  'take',
  'take_denied',
  'checkout',
] as const;
export type CountedKind = (typeof COUNTED_KINDS)[number] & UsageKind;

export interface Counters {
  fullAccess: number | null;
  limitedAccess: number | null;
  declinedAccess: number | null;
  takes: number | null;
  takeDenied: number | null;
  checkouts: number | null;
}

/** Counters of a row from its sums by kind: HWK shows none; takes for SUL only, checkouts for MUL only. */
export function countersFor(model: LicenseModel, sums: ReadonlyMap<string, number>): Counters {
  if (model === 'hardware-key')
    return {
      fullAccess: null,
      limitedAccess: null,
      declinedAccess: null,
      takes: null,
      takeDenied: null,
      checkouts: null,
    };
  const n = (k: CountedKind) => sums.get(k) ?? 0;
  return {
    fullAccess: n('full_access'),
    limitedAccess: n('limited_access'),
    declinedAccess: n('declined'),
    takes: model === 'single-user' ? n('take') : 0,
    takeDenied: model === 'single-user' ? n('take_denied') : 0,
    checkouts: model === 'multi-user' ? n('checkout') : 0,
  };
}

/** stats_baselines.activation_code_id for the project-key row; '' = whole item or organization. */
export const PROJECT_KEY_ROW = '-';
export const WHOLE = '';

export interface Baseline {
  licenseItemId: string | null;
  activationCodeId: string | null;
  resetAt: number;
}

/**
 * The latest reset that covers a row: organization-wide, the row's item, or the row itself.
 * Counters include events received strictly after it. null = count all history.
 */
export function rowBaseline(baselines: readonly Baseline[], itemId: string, rowCode: string): number | null {
  let at: number | null = null;
  for (const b of baselines) {
    const covers =
      (b.licenseItemId === null && !b.activationCodeId) ||
      (b.licenseItemId === itemId && (!b.activationCodeId || b.activationCodeId === rowCode));
    if (covers && (at === null || b.resetAt > at)) at = b.resetAt;
  }
  return at;
}
