/**
 * The client closes its session: the seat is free at once. Ending an already ended session
 * answers its recorded end again (idempotent for retries); one whose lease ran out is recorded
 * as expired at its lease end, not as closed.
 */
import type { SessionEndReason } from '../../contract/domain.ts';
import { LicstatError } from '../../contract/errors.ts';
import { endReasonOf } from '../../core/session-history.ts';
import type { Db } from '../../storage/db.ts';
import { noteSessionChange } from '../../storage/ledger-feed.ts';
import { getSession, endSession as writeEnd } from '../../storage/session-repository.ts';
import { type ClientKey, ownsSession } from './client-key.ts';

export interface EndedSession {
  id: string;
  endedAt: number;
  endReason: SessionEndReason;
}

export async function endSession(
  db: Db,
  key: ClientKey,
  sessionId: string,
  now: number,
): Promise<EndedSession> {
  return db.transaction(async (trx) => {
    const s = await getSession(trx, key.organizationId, sessionId);
    if (!s || !ownsSession(key, s))
      throw new LicstatError('SESSION_NOT_FOUND', 'no such session for this license key');
    if (s.ended_at !== null) {
      return { id: s.id, endedAt: s.ended_at, endReason: endReasonOf(s.end_reason) };
    }
    const expired = s.lease_expires_at <= now;
    const endedAt = expired ? s.lease_expires_at : now;
    const endReason = expired ? 'expired' : 'closed';
    await writeEnd(trx, s.id, endedAt, endReason);
    noteSessionChange(trx, s.organization_id, s.license_item_id);
    return { id: s.id, endedAt, endReason };
  });
}
