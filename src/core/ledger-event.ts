import type { UsageKind } from '../contract/domain.ts';

/** One usage-ledger entry as the domain produces it; storage appends it with its rollups. */
export interface LedgerEvent {
  organizationId: string;
  licenseItemId: string;
  projectId: string | null;
  activationCodeId: string | null;
  activationId: string | null;
  sessionId: string | null;
  kind: UsageKind;
  count: number;
  /** event time (epoch ms): when it happened on the client */
  at: number;
  /** server time (epoch ms) when the ledger received it; Reset Stats baselines compare against this */
  receivedAt: number;
  email: string | null;
  fingerprint: string | null;
  batchId: string | null;
}
