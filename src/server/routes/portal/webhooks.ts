/**
 * Webhooks of an organization (admin; vendors name the organization): POST/GET/DELETE /webhooks,
 * GET /webhooks/{id}/deliveries (the delivery log), POST /webhooks/{id}/test. Bodies are signed:
 * `X-Licstat-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
 */
import { Type } from 'typebox';
import {
  CreateWebhookSchema,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
} from '../../../contract/alerts.ts';
import { LicstatError } from '../../../contract/errors.ts';
import { newId } from '../../../core/ids.ts';
import { ensureAlertSettings } from '../../../storage/alerts/alert-repository.ts';
import {
  type AttemptRow,
  attemptsOf,
  createWebhook,
  type DeliveryRow,
  deleteWebhook,
  enqueueEvent,
  getWebhook,
  listDeliveries,
  listWebhooks,
  supersedePendingTests,
  type WebhookRow,
} from '../../../storage/alerts/webhook-repository.ts';
import { type AuditEntry, writeAudit } from '../../../storage/audit-repository.ts';
import { refuseLiteralTarget } from '../../alerts/target-guard.ts';
import { notificationsOf } from '../../notifications.ts';
import { principalOf, requireRole } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { WebhookDeliverySchema, WebhookEventSchema, WebhookSchema } from '../vendor/schemas.ts';
import { OrgQuery, organizationOf } from './common.ts';

const Params = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const OrgOnly = Type.Object({ organizationId: OrgQuery }, { additionalProperties: false });

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/**
 * Enough of a secret to tell webhooks apart, never much of it: a generated `whsec_` secret shows
 * its prefix and 4 characters; a secret the admin chose, its first 4 (it may be short).
 */
const secretHint = (secret: string): string => `${secret.slice(0, secret.startsWith('whsec_') ? 10 : 4)}…`;

const present = (w: WebhookRow): Webhook => ({
  id: w.id,
  url: w.url,
  createdAt: new Date(w.created_at).toISOString(),
  secretHint: secretHint(w.secret),
});
const presentDelivery = (d: DeliveryRow, attempts: readonly AttemptRow[]): WebhookDelivery => ({
  id: d.id,
  eventId: d.event_id,
  eventType: d.event_type,
  status: d.status as WebhookDelivery['status'],
  attempts: d.attempts,
  nextAttemptAt: d.status === 'pending' ? iso(d.next_attempt_at) : null,
  lastStatus: d.last_status,
  lastError: d.last_error,
  createdAt: new Date(d.created_at).toISOString(),
  deliveredAt: iso(d.delivered_at),
  history: attempts.map((a) => ({
    attempt: a.attempt,
    at: new Date(a.at).toISOString(),
    status: a.status,
    error: a.error,
    durationMs: a.duration_ms,
  })),
});

/** Webhooks receive the organization's alerts: adding and removing one is audited (never its secret). */
const webhookAudit = (
  userId: string,
  action: string,
  w: { id: string; organization_id: string; url: string },
): AuditEntry => ({
  organizationId: w.organization_id,
  userId,
  action,
  target: w.id,
  details: { url: w.url },
});

/** each alert goes to every webhook: more would be a fan-out, not a configuration */
const MAX_WEBHOOKS = 20;

const webhooks: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const admin = requireRole('vendor', 'admin');

  app.post(
    '/webhooks',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Add a webhook (answers the secret once)',
        body: CreateWebhookSchema,
        response: {
          201: Type.Object({ webhook: Type.Object({ ...WebhookSchema.properties, secret: Type.String() }) }),
        },
      },
      preHandler: admin,
    },
    async (request, reply) => {
      const org = await organizationOf(db, principalOf(request), request.body.organizationId);
      if (!URL.canParse(request.body.url))
        throw new LicstatError('VALIDATION_FAILED', 'body.url is not a valid URL');
      // an address written into the URL is refused now; a host name is checked at each delivery
      const refused = deps.config.webhookAllowPrivate ? null : refuseLiteralTarget(request.body.url);
      if (refused)
        throw new LicstatError(
          'VALIDATION_FAILED',
          `${refused}: webhooks may not reach the server's own network (the server's operator can allow on-premises receivers)`,
        );
      const now = deps.clock.now();
      const w = await deps.db.transaction(async (trx) => {
        // counted under the organization's row lock (PostgreSQL): two adds at once cannot both pass
        // at 19 (SQLite runs one write transaction at a time)
        if (deps.db.dialect.rowLocks)
          await trx.selectFrom('organizations').select('id').where('id', '=', org).forUpdate().execute();
        if ((await listWebhooks(trx, org)).length >= MAX_WEBHOOKS)
          throw new LicstatError(
            'CONFLICT',
            `an organization has at most ${MAX_WEBHOOKS} webhooks: delete one first`,
          );
        await ensureAlertSettings(trx, org, now); // a channel turns alerts on with the defaults
        const created = await createWebhook(
          trx,
          { organizationId: org, url: request.body.url, secret: request.body.secret },
          now,
        );
        await writeAudit(trx, webhookAudit(principalOf(request).userId, 'webhook.create', created), now);
        return created;
      });
      await notificationsOf(deps).alerts.reconsider(org);
      reply.code(201);
      return { webhook: { ...present(w), secret: w.secret } };
    },
  );

  app.get(
    '/webhooks',
    {
      schema: {
        tags: ['alerts'],
        summary: "The organization's webhooks",
        querystring: OrgOnly,
        response: { 200: Type.Object({ webhooks: Type.Array(WebhookSchema) }) },
      },
      preHandler: admin,
    },
    async (request) => {
      const org = await organizationOf(db, principalOf(request), request.query.organizationId);
      return { webhooks: (await listWebhooks(db, org)).map(present) };
    },
  );

  const find = async (
    request: { params: { id: string }; query: { organizationId?: string | undefined } },
    p: ReturnType<typeof principalOf>,
  ) => {
    const org = await organizationOf(db, p, request.query.organizationId);
    const w = await getWebhook(db, org, request.params.id);
    if (!w) throw new LicstatError('NOT_FOUND', `no webhook ${request.params.id}`);
    return w;
  };

  app.delete(
    '/webhooks/:id',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Remove a webhook',
        params: Params,
        querystring: OrgOnly,
        response: NoContent,
      },
      preHandler: admin,
    },
    async (request, reply) => {
      const p = principalOf(request);
      const w = await find(request, p);
      const now = deps.clock.now();
      await deps.db.transaction(async (trx) => {
        await deleteWebhook(trx, w.organization_id, w.id, now);
        await writeAudit(trx, webhookAudit(p.userId, 'webhook.delete', w), now);
      });
      reply.code(204);
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags: ['alerts'],
        summary: "A webhook's delivery log, newest first",
        params: Params,
        querystring: Type.Object(
          { organizationId: OrgQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ deliveries: Type.Array(WebhookDeliverySchema) }) },
      },
      preHandler: admin,
    },
    async (request) => {
      const w = await find(request, principalOf(request));
      return {
        deliveries: await (async () => {
          const rows = await listDeliveries(db, w.id, request.query.limit ?? 100);
          const history = await attemptsOf(
            db,
            rows.map((d) => d.id),
            50,
          );
          return rows.map((d) => presentDelivery(d, history.get(d.id) ?? []));
        })(),
      };
    },
  );

  app.post(
    '/webhooks/:id/test',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Queue a signed test event for this webhook',
        params: Params,
        querystring: OrgOnly,
        response: { 202: Type.Object({ event: WebhookEventSchema }) },
      },
      preHandler: admin,
    },
    async (request, reply) => {
      const w = await find(request, principalOf(request));
      const now = deps.clock.now();
      const event: WebhookEvent = {
        id: newId('evt'),
        type: 'webhook.test',
        organizationId: w.organization_id,
        createdAt: new Date(now).toISOString(),
        data: { message: 'licstat webhook test' },
      };
      await deps.db.transaction(async (trx) => {
        await supersedePendingTests(trx, w.id, now);
        await enqueueEvent(
          trx,
          {
            organizationId: w.organization_id,
            eventId: event.id,
            type: event.type,
            body: JSON.stringify(event),
            onlyWebhookId: w.id,
          },
          now,
        );
      });
      reply.code(202);
      return { event };
    },
  );
};
export default webhooks;
