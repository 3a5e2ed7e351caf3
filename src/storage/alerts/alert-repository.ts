/**
 * Alert settings, crossing state and log. A crossing is claimed by a conditional update
 * (`active = 0 → 1`): on PostgreSQL the second of two concurrent claimers waits for the first's
 * row lock, re-checks `active = 0` and updates nothing, so only one process fires; the alert log's
 * unique (organization, key, episode) backs this up.
 */
import { sql } from 'kysely';
import { type AlertDetails, type AlertSettings, DEFAULT_ALERT_SETTINGS } from '../../contract/alerts.ts';
import { newId } from '../../core/ids.ts';
import type { Executor } from '../executor.ts';

export async function getAlertSettings(db: Executor, organizationId: string): Promise<AlertSettings | null> {
  const row = await db
    .selectFrom('alert_settings')
    .select('settings')
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
  return row ? { ...DEFAULT_ALERT_SETTINGS, ...(JSON.parse(row.settings) as Partial<AlertSettings>) } : null;
}

export async function putAlertSettings(
  db: Executor,
  organizationId: string,
  settings: AlertSettings,
  now: number,
): Promise<void> {
  await db
    .insertInto('alert_settings')
    .values({ organization_id: organizationId, settings: JSON.stringify(settings), updated_at: now })
    .onConflict((oc) =>
      oc.column('organization_id').doUpdateSet({ settings: JSON.stringify(settings), updated_at: now }),
    )
    .execute();
}

/** Turns alerts on with the defaults unless the organization already has settings. */
export async function ensureAlertSettings(db: Executor, organizationId: string, now: number): Promise<void> {
  await db
    .insertInto('alert_settings')
    .values({
      organization_id: organizationId,
      settings: JSON.stringify(DEFAULT_ALERT_SETTINGS),
      updated_at: now,
    })
    .onConflict((oc) => oc.column('organization_id').doNothing())
    .execute();
}

/** Claims the rising edge of a condition: the new episode number, or null when it already holds. */
export async function claimCrossing(
  db: Executor,
  organizationId: string,
  key: string,
  now: number,
): Promise<number | null> {
  await db
    .insertInto('alert_state')
    .values({ organization_id: organizationId, alert_key: key, active: 0, episode: 0, changed_at: now })
    .onConflict((oc) => oc.columns(['organization_id', 'alert_key']).doNothing())
    .execute();
  const r = await db
    .updateTable('alert_state')
    .set({ active: 1, episode: sql`episode + 1`, changed_at: now })
    .where('organization_id', '=', organizationId)
    .where('alert_key', '=', key)
    .where('active', '=', 0)
    .returning('episode')
    .executeTakeFirst();
  return r ? Number(r.episode) : null;
}

/** The condition stopped holding: the next rise is a new crossing. */
export async function rearm(db: Executor, organizationId: string, key: string, now: number): Promise<void> {
  await db
    .updateTable('alert_state')
    .set({ active: 0, changed_at: now })
    .where('organization_id', '=', organizationId)
    .where('alert_key', '=', key)
    .where('active', '=', 1)
    .execute();
}

export async function logAlert(
  db: Executor,
  a: { organizationId: string; key: string; episode: number; details: AlertDetails; now: number },
): Promise<string> {
  const id = newId('alr');
  await db
    .insertInto('alert_log')
    .values({
      id,
      organization_id: a.organizationId,
      alert_key: a.key,
      episode: a.episode,
      type: a.details.type,
      license_item_id: a.details.licenseItemId,
      details: JSON.stringify(a.details),
      fired_at: a.now,
    })
    .execute();
  return id;
}

/** The organization's alerts, newest first, each with its e-mail's state (null columns: none). */
export async function listAlerts(db: Executor, organizationId: string, limit: number) {
  return db
    .selectFrom('alert_log')
    .leftJoin('mail_outbox', 'mail_outbox.event_id', 'alert_log.id')
    .selectAll('alert_log')
    .select([
      'mail_outbox.status as mail_status',
      'mail_outbox.recipients as mail_recipients',
      'mail_outbox.attempts as mail_attempts',
      'mail_outbox.last_error as mail_last_error',
      'mail_outbox.sent_at as mail_sent_at',
    ])
    .where('alert_log.organization_id', '=', organizationId)
    .orderBy('alert_log.fired_at', 'desc')
    .orderBy('alert_log.id', 'desc')
    .limit(limit)
    .execute();
}

/** Items with a condition that holds now (the periodic tick re-checks them to re-arm). */
export async function activeConditions(
  db: Executor,
): Promise<{ organization_id: string; alert_key: string }[]> {
  return db
    .selectFrom('alert_state')
    .select(['organization_id', 'alert_key'])
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('alert_key', 'like', 'quota:%'), eb('alert_key', 'like', 'declines:%')]))
    .execute();
}
