/** The lease a session start or renewal answers with: signed payload per contract/lease.ts. */
import type { SessionMode } from '../../contract/domain.ts';
import type { LeasePayload } from '../../contract/lease.ts';

export interface LeaseInput {
  sessionId: string;
  licenseItemId: string;
  mode: SessionMode;
  reason: string | null;
  /** the item's modules; a limited session unlocks none */
  modules: string[];
  fingerprint: string;
  now: number;
  refreshIntervalS: number;
}

export function leasePayload(i: LeaseInput): LeasePayload {
  return {
    v: 1,
    sessionId: i.sessionId,
    licenseItemId: i.licenseItemId,
    mode: i.mode,
    ...(i.reason ? { reason: i.reason } : {}),
    modules: i.mode === 'full' ? i.modules : [],
    fingerprint: i.fingerprint,
    issuedAt: new Date(i.now).toISOString(),
    expiresAt: new Date(leaseExpiry(i.now, i.refreshIntervalS)).toISOString(),
  };
}

export const leaseExpiry = (now: number, refreshIntervalS: number): number => now + refreshIntervalS * 1000;
