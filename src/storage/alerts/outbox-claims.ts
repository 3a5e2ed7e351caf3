/**
 * Claiming due rows of an outbox (webhook deliveries, alert e-mails). A claim is a conditional
 * update (`claimed_until` in the past → now + lease), so two server processes never send the same
 * row at the same time, and a worker that dies mid-send loses its claim when the lease runs out.
 */
import type { Selectable } from 'kysely';
import type { Executor } from '../executor.ts';
import type { Database } from '../schema.ts';

export type OutboxTable = 'webhook_deliveries' | 'mail_outbox';

/** Claims up to `limit` due rows for `leaseMs`; each claim counts as an attempt. */
export async function claimDue<T extends OutboxTable>(
  db: Executor,
  table: T,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<Selectable<Database[T]>[]> {
  const t = table as 'mail_outbox'; // both tables have the claim's columns
  const due = await db
    .selectFrom(t)
    .select('id')
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  const out: Selectable<Database[T]>[] = [];
  for (const { id } of due) {
    // the conditional update is the claim: a concurrent claimer re-checks it after our commit
    const claimed = await db
      .updateTable(t)
      .set((eb) => ({ claimed_until: now + leaseMs, attempts: eb('attempts', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<=', now)]))
      .returningAll()
      .executeTakeFirst();
    if (claimed) out.push(claimed as Selectable<Database[T]>);
  }
  return out;
}
