/** GET /audit-log: who reset statistics, deactivated machines, changed users, items and projects. */
import { Type } from 'typebox';
import type { AuditEntry } from '../../../contract/portal.ts';
import { listAudit } from '../../../storage/audit-repository.ts';
import { iso } from '../../present.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { AuditEntrySchema } from '../vendor/schemas.ts';
import { OrgQuery } from './common.ts';

const Query = Type.Object(
  {
    organizationId: OrgQuery,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    before: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'id of the last entry seen' }),
    ),
  },
  { additionalProperties: false },
);

const auditLog: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  app.get(
    '/audit-log',
    {
      schema: {
        response: {
          200: Type.Object({
            entries: Type.Array(AuditEntrySchema),
            nextBefore: Type.Union([Type.String(), Type.Null()]),
          }),
        },
        tags: ['portal'],
        summary: 'Audit log, newest first (admins: their organization)',
        querystring: Query,
      },
      preHandler: requireRole('admin', 'vendor'),
    },
    async (request): Promise<{ entries: AuditEntry[]; nextBefore: string | null }> => {
      const q = request.query;
      const limit = q.limit ?? 100;
      const p = principalOf(request);
      const rows = await listAudit(db, scopeOf(p), {
        limit,
        ...(q.before ? { before: q.before } : {}),
        ...(q.organizationId ? { organizationId: q.organizationId } : {}),
      });
      return {
        entries: rows.map((r) => ({
          id: r.id,
          organizationId: r.organization_id,
          userId: r.user_id,
          by:
            r.user_id === null
              ? 'licstat CLI'
              : r.user_email === null
                ? 'a deleted user'
                : r.user_role === 'vendor' && p.role !== 'vendor'
                  ? 'vendor staff'
                  : r.user_email,
          action: r.action,
          target: r.target,
          details: r.details ? (JSON.parse(r.details) as unknown) : null,
          at: iso(r.at),
        })),
        nextBefore: rows.length === limit ? rows[rows.length - 1]!.id : null,
      };
    },
  );
};
export default auditLog;
