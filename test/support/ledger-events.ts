/** A ledger event with the fields a storage test does not care about left empty. */
import type { LedgerEvent } from '../../src/core/ledger-event.ts';

export const ledgerEvent = (
  e: Pick<LedgerEvent, 'organizationId' | 'licenseItemId' | 'kind' | 'at'> & Partial<LedgerEvent>,
): LedgerEvent => ({
  projectId: null,
  activationCodeId: null,
  activationId: null,
  sessionId: null,
  count: 1,
  receivedAt: e.at,
  email: null,
  fingerprint: null,
  batchId: null,
  ...e,
});
