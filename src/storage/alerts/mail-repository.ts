/**
 * The alert e-mail outbox. A message is queued in the transaction that logs its alert, addressed to
 * the organization's admins at that moment, and claimed like a webhook delivery (outbox-claims.ts).
 */
import type { Selectable } from 'kysely';
import { newId } from '../../core/ids.ts';
import type { Executor } from '../executor.ts';
import type { MailOutboxTable } from '../schema.ts';
import { claimDue } from './outbox-claims.ts';

export type MailRow = Selectable<MailOutboxTable>;

/** A plain address: no display name, no spaces or angle brackets (nothing to inject into headers). */
const ADDRESS = /^[^\s<>@,;"]+@[^\s<>@,;"]+$/;

/** Queues one message to the organization's enabled admins (none when it has no admin to write to). */
export async function enqueueMail(
  db: Executor,
  m: { organizationId: string; eventId: string; subject: string; body: string },
  now: number,
): Promise<void> {
  const admins = await db
    .selectFrom('users')
    .select('email')
    .where('organization_id', '=', m.organizationId)
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .orderBy('email')
    .execute();
  const to = admins.map((a) => a.email).filter((e) => ADDRESS.test(e));
  if (to.length === 0) return;
  await db
    .insertInto('mail_outbox')
    .values({
      id: newId('mail'),
      organization_id: m.organizationId,
      event_id: m.eventId,
      recipients: JSON.stringify(to),
      subject: m.subject,
      body: m.body,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      claimed_until: null,
      last_error: null,
      created_at: now,
      sent_at: null,
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .execute();
}

/** Claims up to `limit` due messages for `leaseMs` (outbox-claims.ts), with their recipients. */
export async function claimDueMails(
  db: Executor,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<(MailRow & { to: string[] })[]> {
  const claimed = await claimDue(db, 'mail_outbox', now, leaseMs, limit);
  return claimed.map((m) => ({ ...m, to: JSON.parse(m.recipients) as string[] }));
}

export async function recordMailAttempt(
  db: Executor,
  id: string,
  r: { ok: boolean; error: string | null; nextAttemptAt: number | null },
  now: number,
): Promise<void> {
  await db
    .updateTable('mail_outbox')
    .set({
      status: r.ok ? 'sent' : r.nextAttemptAt === null ? 'failed' : 'pending',
      last_error: r.error,
      sent_at: r.ok ? now : null,
      next_attempt_at: r.nextAttemptAt ?? now,
      claimed_until: null,
    })
    .where('id', '=', id)
    .execute();
}

/** The organization's messages, newest first (the alert log joins them itself; tests read them here). */
export async function listMails(db: Executor, organizationId: string, limit: number): Promise<MailRow[]> {
  return db
    .selectFrom('mail_outbox')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
