/**
 * What a session start gives, per license model. Pure: the caller supplies the facts it read
 * under the item lock (is this machine activated, how many seats are held now).
 */
import type { LicenseModel, SessionMode, UsageKind } from '../../contract/domain.ts';

export const ALL_SEATS_IN_USE = 'ALL_SEATS_IN_USE';
/** single-user and per-device: this machine holds no activation of the item (POST /client/activations first) */
export const NOT_ACTIVATED = 'NOT_ACTIVATED';

export interface StartFacts {
  model: LicenseModel;
  quota: number;
  /** a live activation of this fingerprint exists for the item */
  activated: boolean;
  /** sessions holding a seat right now (multi-user) */
  seatsInUse: number;
}

export interface StartOutcome {
  mode: SessionMode;
  reason?: string;
  /** ledger kinds to append, in order */
  kinds: UsageKind[];
  holdsSeat: boolean;
}

export function startOutcome(f: StartFacts): StartOutcome {
  switch (f.model) {
    case 'single-user':
      return f.activated
        ? { mode: 'full', kinds: ['full_access'], holdsSeat: false }
        : { mode: 'limited', reason: NOT_ACTIVATED, kinds: ['limited_access'], holdsSeat: false };
    case 'multi-user':
      return f.seatsInUse < f.quota
        ? { mode: 'full', kinds: ['checkout', 'full_access'], holdsSeat: true }
        : {
            mode: 'limited',
            reason: ALL_SEATS_IN_USE,
            kinds: ['declined', 'limited_access'],
            holdsSeat: false,
          };
    case 'per-device':
      return f.activated
        ? { mode: 'full', kinds: ['device_seen', 'full_access'], holdsSeat: false }
        : {
            mode: 'limited',
            reason: NOT_ACTIVATED,
            kinds: ['device_seen', 'limited_access'],
            holdsSeat: false,
          };
    case 'per-scan':
      return { mode: 'full', kinds: ['full_access'], holdsSeat: false };
    case 'hardware-key':
      throw new Error('hardware-key items are not served online');
  }
}

/**
 * Models whose full access comes from the machine's activation: when the activation is deactivated
 * or its license taken, the full sessions it gave end (a multi-user seat is held by the session itself).
 */
export const ACTIVATION_BOUND_MODELS: readonly LicenseModel[] = ['single-user', 'per-device'];

/** Distinct devices a per-device item may hold: the quota plus the vendor's grace percentage. */
export const deviceLimit = (quota: number, gracePct: number): number =>
  Math.floor((quota * (100 + Math.max(0, gracePct))) / 100);
