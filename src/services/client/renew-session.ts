/**
 * Heartbeat: extends a live session's lease. A lease that already expired lost its seat (another
 * start may hold it now), so renewal is refused with LEASE_EXPIRED and the client starts again;
 * the session is then marked expired (lazily; readers derive expiry from lease_expires_at).
 *
 * PostgreSQL: a renewal whose lease still has a while to run takes no item lock. It cannot race
 * with a start counting seats: the start counts the seat as held whether it reads the session
 * before or after the renewal. Only a renewal near its lease's end (or one that finds the session
 * ended meanwhile) takes the lock, so that no concurrent start counts the seat free while it is
 * being extended. Every start and renewal of an item used to queue on that one row lock.
 */
import { LicstatError } from '../../contract/errors.ts';
import type { Clock } from '../../core/clock.ts';
import type { LeaseSigner } from '../../core/lease-signer.ts';
import { leaseExpiry } from '../../core/licensing/lease.ts';
import { getLicenseItem, type LicenseItemRow } from '../../storage/catalog-repository.ts';
import type { Db } from '../../storage/db.ts';
import { lockLicenseItems } from '../../storage/license-item-lock.ts';
import {
  endSession,
  getSession,
  renewLiveSessionLease,
  type SessionRow,
} from '../../storage/session-repository.ts';
import { assertValidNow, type ClientKey, ownsSession } from './client-key.ts';
import { type Lease, signLease } from './start-session.ts';

/** How long a lease must still run for a renewal to skip the item lock; also absorbs clock skew between server processes. */
export const UNLOCKED_RENEWAL_MARGIN_MS = 15_000;

/** What the transaction decided: a renewed session, or why there is none. */
type Renewal =
  | { outcome: 'renewed'; session: SessionRow; item: LicenseItemRow }
  | { outcome: 'expired' | 'revoked' };

/**
 * `clock` is read twice: at the start, and again once the item lock is held. A start in another
 * process may have read a later time, found this lease run out and given its seat away while this
 * renewal waited for the lock; judged by its first reading the renewal would keep the seat too.
 */
export async function renewSession(
  db: Db,
  signer: LeaseSigner,
  key: ClientKey,
  sessionId: string,
  clock: Clock,
): Promise<Lease> {
  let now = clock.now();
  const result = await db.transaction(async (trx): Promise<Renewal> => {
    const found = await getSession(trx, key.organizationId, sessionId);
    if (!found || !ownsSession(key, found)) {
      throw new LicstatError('SESSION_NOT_FOUND', 'no such session for this license key');
    }
    if (
      db.dialect.rowLocks &&
      found.ended_at === null &&
      found.lease_expires_at > now + UNLOCKED_RENEWAL_MARGIN_MS
    ) {
      const item = (await getLicenseItem(
        trx,
        { organizationId: key.organizationId },
        found.license_item_id,
      ))!;
      assertValidNow(item, now);
      const expiresAt = leaseExpiry(now, item.refresh_interval_s);
      if (await renewLiveSessionLease(trx, found, now, expiresAt))
        return { outcome: 'renewed', session: found, item };
      // ended (or expired) since it was read: decided under the lock below
    }
    // The item lock orders this renewal against concurrent starts counting seats.
    const item = (await lockLicenseItems(trx, db.dialect, [found.license_item_id])).get(
      found.license_item_id,
    )!;
    // PostgreSQL: read again under the lock (a concurrent end or renewal may have committed
    // meanwhile). SQLite runs one write transaction at a time: nothing changed since the read.
    const s = db.dialect.rowLocks ? (await getSession(trx, key.organizationId, sessionId))! : found;
    now = Math.max(now, clock.now());
    if (s.ended_at !== null) return { outcome: s.end_reason === 'revoked' ? 'revoked' : 'expired' };
    if (s.lease_expires_at <= now) {
      await endSession(trx, s.id, s.lease_expires_at, 'expired');
      return { outcome: 'expired' };
    }
    assertValidNow(item, now);
    // false only if a concurrent end committed since the read (ends take no item lock)
    if (!(await renewLiveSessionLease(trx, s, now, leaseExpiry(now, item.refresh_interval_s))))
      return { outcome: 'expired' };
    return { outcome: 'renewed', session: s, item };
  });
  if (result.outcome !== 'renewed') {
    throw new LicstatError(
      'LEASE_EXPIRED',
      result.outcome === 'revoked'
        ? "the session ended: this machine's activation was deactivated or its license taken; start a new session"
        : 'the lease has expired or the session has ended; start a new session',
    );
  }
  // signed once committed: neither the transaction nor (PostgreSQL) the item lock waits for it
  return signLease(signer, result.session, result.item, now);
}
