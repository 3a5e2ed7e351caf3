/** Alerts of an organization (admin): the log (GET /alerts) and the rules (GET/PUT /alerts/settings). */
import { Type } from 'typebox';
import {
  type AlertDetails,
  type AlertEmail,
  type AlertLogEntry,
  AlertSettingsSchema,
  type AlertType,
  DEFAULT_ALERT_SETTINGS,
} from '../../../contract/alerts.ts';
import { getAlertSettings, listAlerts, putAlertSettings } from '../../../storage/alerts/alert-repository.ts';
import { writeAudit } from '../../../storage/audit-repository.ts';
import { notificationsOf } from '../../notifications.ts';
import { principalOf, requireRole } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { AlertLogEntrySchema, AlertRulesSchema } from '../vendor/schemas.ts';
import { OrgQuery, organizationOf } from './common.ts';

const OrgOnly = Type.Object({ organizationId: OrgQuery }, { additionalProperties: false });

const alerts: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const admin = requireRole('vendor', 'admin');

  app.get(
    '/alerts',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alerts fired for the organization, newest first, each with its e-mail',
        response: { 200: Type.Object({ alerts: Type.Array(AlertLogEntrySchema) }) },
        querystring: Type.Object(
          { organizationId: OrgQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) },
          { additionalProperties: false },
        ),
      },
      preHandler: admin,
    },
    async (request): Promise<{ alerts: AlertLogEntry[] }> => {
      const org = await organizationOf(db, principalOf(request), request.query.organizationId);
      const rows = await listAlerts(db, org, request.query.limit ?? 100);
      return {
        alerts: rows.map((r) => ({
          id: r.id,
          key: r.alert_key,
          type: r.type as AlertType,
          licenseItemId: r.license_item_id,
          firedAt: new Date(r.fired_at).toISOString(),
          details: JSON.parse(r.details) as AlertDetails,
          email:
            r.mail_status === null
              ? null
              : {
                  status: r.mail_status as AlertEmail['status'],
                  recipients: (JSON.parse(r.mail_recipients!) as string[]).length,
                  attempts: r.mail_attempts!,
                  lastError: r.mail_last_error,
                  sentAt: r.mail_sent_at === null ? null : new Date(r.mail_sent_at).toISOString(),
                },
        })),
      };
    },
  );

  app.get(
    '/alerts/settings',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Alert rules (enabled: false until set or a webhook exists)',
        response: { 200: AlertRulesSchema },
        querystring: OrgOnly,
      },
      preHandler: admin,
    },
    async (request) => {
      const org = await organizationOf(db, principalOf(request), request.query.organizationId);
      const s = await getAlertSettings(db, org);
      return { enabled: s !== null, settings: s ?? DEFAULT_ALERT_SETTINGS };
    },
  );

  app.put(
    '/alerts/settings',
    {
      schema: {
        tags: ['alerts'],
        summary: 'Set the alert rules (turns alerts on)',
        response: { 200: AlertRulesSchema },
        querystring: OrgOnly,
        body: AlertSettingsSchema,
      },
      preHandler: admin,
    },
    async (request) => {
      const p = principalOf(request);
      const org = await organizationOf(db, p, request.query.organizationId);
      const now = deps.clock.now();
      await deps.db.transaction(async (trx) => {
        await putAlertSettings(trx, org, request.body, now);
        await writeAudit(
          trx,
          {
            organizationId: org,
            userId: p.userId,
            action: 'alerts.settings',
            target: null,
            details: request.body,
          },
          now,
        );
      });
      await notificationsOf(deps).alerts.reconsider(org);
      return { enabled: true, settings: request.body };
    },
  );
};
export default alerts;
