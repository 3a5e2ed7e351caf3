/**
 * Webhook endpoints and their delivery outbox; deliveries are claimed as outbox-claims.ts says.
 */
import type { Selectable } from 'kysely';
import { newId, randomToken } from '../../core/ids.ts';
import type { Executor } from '../executor.ts';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhooksTable } from '../schema.ts';
import { claimDue } from './outbox-claims.ts';

export type WebhookRow = Selectable<WebhooksTable>;
export type DeliveryRow = Selectable<WebhookDeliveriesTable>;
export type AttemptRow = Selectable<WebhookAttemptsTable>;

export async function createWebhook(
  db: Executor,
  w: { organizationId: string; url: string; secret?: string | undefined },
  now: number,
): Promise<WebhookRow> {
  const row: WebhookRow = {
    id: newId('whk'),
    organization_id: w.organizationId,
    url: w.url,
    secret: w.secret ?? `whsec_${randomToken()}`,
    created_at: now,
    deleted_at: null,
  };
  await db.insertInto('webhooks').values(row).execute();
  return row;
}

export async function listWebhooks(db: Executor, organizationId: string): Promise<WebhookRow[]> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function getWebhook(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<WebhookRow | undefined> {
  return db
    .selectFrom('webhooks')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

/** Soft delete (the delivery log keeps its rows); pending deliveries are given up. */
export async function deleteWebhook(
  db: Executor,
  organizationId: string,
  id: string,
  now: number,
): Promise<boolean> {
  const r = await db
    .updateTable('webhooks')
    .set({ deleted_at: now })
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', last_error: 'webhook deleted' })
    .where('webhook_id', '=', id)
    .where('status', '=', 'pending')
    .execute();
  return Number(r.numUpdatedRows) > 0;
}

/** Queues an event for every live webhook of the organization (in the caller's transaction). */
export async function enqueueEvent(
  db: Executor,
  e: { organizationId: string; eventId: string; type: string; body: string; onlyWebhookId?: string },
  now: number,
): Promise<number> {
  let q = db
    .selectFrom('webhooks')
    .select('id')
    .where('organization_id', '=', e.organizationId)
    .where('deleted_at', 'is', null);
  if (e.onlyWebhookId) q = q.where('id', '=', e.onlyWebhookId);
  const hooks = await q.execute();
  if (hooks.length === 0) return 0;
  await db
    .insertInto('webhook_deliveries')
    .values(
      hooks.map((h) => ({
        id: newId('dlv'),
        webhook_id: h.id,
        organization_id: e.organizationId,
        event_id: e.eventId,
        event_type: e.type,
        body: e.body,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        claimed_until: null,
        last_status: null,
        last_error: null,
        created_at: now,
        delivered_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
    .execute();
  return hooks.length;
}

/**
 * Gives up the test events still pending for a webhook: a new test replaces them, so repeated
 * tests keep at most one in flight instead of a day of retries each.
 */
export async function supersedePendingTests(db: Executor, webhookId: string, now: number): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', last_error: 'superseded by a newer test event', next_attempt_at: now })
    .where('webhook_id', '=', webhookId)
    .where('event_type', '=', 'webhook.test')
    .where('status', '=', 'pending')
    .execute();
}

/**
 * Forgets deliveries finished (delivered or given up) before `before`, with their attempts: the
 * log is for debugging receivers, not an archive (a failing receiver leaves ~30 attempts a day).
 */
export async function pruneDeliveries(db: Executor, before: number): Promise<void> {
  const old = db
    .selectFrom('webhook_deliveries')
    .select('id')
    .where('status', '!=', 'pending')
    .where('created_at', '<', before);
  await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', old).execute();
  await db
    .deleteFrom('webhook_deliveries')
    .where('status', '!=', 'pending')
    .where('created_at', '<', before)
    .execute();
}

/** Claims up to `limit` due deliveries for `leaseMs` (outbox-claims.ts), with their webhook's URL and secret. */
export async function claimDueDeliveries(
  db: Executor,
  now: number,
  leaseMs: number,
  limit: number,
): Promise<(DeliveryRow & { url: string; secret: string })[]> {
  const out: (DeliveryRow & { url: string; secret: string })[] = [];
  for (const claimed of await claimDue(db, 'webhook_deliveries', now, leaseMs, limit)) {
    const hook = await db
      .selectFrom('webhooks')
      .select(['url', 'secret'])
      .where('id', '=', claimed.webhook_id)
      .where('deleted_at', 'is', null)
      .executeTakeFirst();
    if (hook) out.push({ ...claimed, ...hook });
    // its webhook was deleted after it was queued (deleteWebhook gives up only what is pending then)
    else
      await db
        .updateTable('webhook_deliveries')
        .set({ status: 'failed', last_error: 'webhook deleted', claimed_until: null })
        .where('id', '=', claimed.id)
        .execute();
  }
  return out;
}

/** The outcome of a claimed delivery's attempt (`attempt`: its number, counted by the claim), kept in its history. */
export async function recordAttempt(
  db: Executor,
  id: string,
  r: {
    attempt: number;
    /** the claim this attempt was made under (its claimed_until) */
    claimedUntil: number;
    ok: boolean;
    status: number | null;
    error: string | null;
    durationMs: number;
    nextAttemptAt: number | null;
  },
  now: number,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set({
      status: r.ok ? 'delivered' : r.nextAttemptAt === null ? 'failed' : 'pending',
      last_status: r.status,
      last_error: r.error,
      delivered_at: r.ok ? now : null,
      next_attempt_at: r.nextAttemptAt ?? now,
      claimed_until: null,
    })
    .where('id', '=', id)
    // only under its own claim: a delivery given up meanwhile (superseded by a newer test, its
    // webhook deleted) stays given up instead of coming back as pending for another day
    .where('status', '=', 'pending')
    .where('claimed_until', '=', r.claimedUntil)
    .execute();
  await db
    .insertInto('webhook_attempts')
    .values({
      delivery_id: id,
      attempt: r.attempt,
      at: now,
      status: r.status,
      error: r.error,
      duration_ms: Math.max(0, Math.round(r.durationMs)),
    })
    // a claim that ran out while its attempt was still going is attempted again under the same
    // number only if the database lost the first record: keep the first
    .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
    .execute();
}

/** The attempts of these deliveries, newest first, at most `perDelivery` each. */
export async function attemptsOf(
  db: Executor,
  deliveryIds: readonly string[],
  perDelivery: number,
): Promise<Map<string, AttemptRow[]>> {
  const out = new Map<string, AttemptRow[]>();
  if (deliveryIds.length === 0) return out;
  const rows = await db
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('delivery_id', 'in', [...deliveryIds])
    .orderBy('delivery_id')
    .orderBy('attempt', 'desc')
    .execute();
  for (const r of rows) {
    const list = out.get(r.delivery_id) ?? [];
    if (list.length < perDelivery) list.push(r);
    out.set(r.delivery_id, list);
  }
  return out;
}

export async function listDeliveries(db: Executor, webhookId: string, limit: number): Promise<DeliveryRow[]> {
  return db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('webhook_id', '=', webhookId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}
