/**
 * Activations (SPEC §4.5): the machines holding an activation of a license item, and the admin's
 * deactivation that frees one (deactivated_by 'admin'; the row stays for the history).
 */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import type { ActivationListItem } from '../../../contract/portal.ts';
import { deactivateActivation } from '../../../storage/activation-repository.ts';
import { writeAudit } from '../../../storage/audit-repository.ts';
import { getLicenseItem } from '../../../storage/catalog-repository.ts';
import { presentActivation } from '../../present.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { codePrefixes, IdParams } from '../vendor/common.ts';
import { ActivationListItemSchema } from '../vendor/schemas.ts';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Query = Type.Object(
  {
    licenseItemId: Id,
    activationCodeId: Type.Optional(Id),
    includeDeactivated: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);

const activations: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['portal'];
  const admins = requireRole('admin', 'vendor');

  app.get(
    '/activations',
    {
      schema: {
        response: { 200: Type.Object({ activations: Type.Array(ActivationListItemSchema) }) },
        tags,
        summary: "A license item's activations (live ones unless includeDeactivated)",
        querystring: Query,
      },
      preHandler: admins,
    },
    async (request): Promise<{ activations: ActivationListItem[] }> => {
      const q = request.query;
      const item = await getLicenseItem(db, scopeOf(principalOf(request)), q.licenseItemId);
      if (!item) throw new LicstatError('NOT_FOUND', `no license item ${q.licenseItemId}`);
      let sel = db
        .selectFrom('activations')
        .innerJoin('activation_codes', 'activation_codes.id', 'activations.activation_code_id')
        .selectAll('activations')
        .select('activation_codes.code')
        .where('activations.license_item_id', '=', item.id)
        .orderBy('activations.last_seen_at', 'desc')
        .orderBy('activations.id');
      if (q.activationCodeId) sel = sel.where('activations.activation_code_id', '=', q.activationCodeId);
      if (!q.includeDeactivated) sel = sel.where('activations.deactivated_at', 'is', null);
      const rows = await sel.execute();
      const prefixes = await codePrefixes(db, [item.organization_id]);
      return {
        activations: rows.map(({ code, ...a }) => ({
          ...presentActivation(a),
          activationCodePrefix: prefixes.get(code) ?? code.slice(0, 4),
        })),
      };
    },
  );

  app.delete(
    '/activations/:id',
    {
      schema: {
        tags,
        summary: 'Deactivate an activation, freeing its license',
        params: IdParams,
        response: NoContent,
      },
      preHandler: admins,
    },
    async (request, reply) => {
      const p = principalOf(request);
      let q = db.selectFrom('activations').selectAll().where('id', '=', request.params.id);
      const scope = scopeOf(p);
      if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
      const activation = await q.executeTakeFirst();
      if (!activation) throw new LicstatError('NOT_FOUND', `no activation ${request.params.id}`);
      if (activation.deactivated_at === null) {
        const now = deps.clock.now();
        await deactivateActivation(db, activation.id, now, 'admin');
        await writeAudit(
          db,
          {
            organizationId: activation.organization_id,
            userId: p.userId,
            action: 'activation.deactivate',
            target: activation.id,
            details: {
              licenseItemId: activation.license_item_id,
              fingerprint: activation.fingerprint,
              email: activation.email,
            },
          },
          now,
        );
      }
      return reply.status(204).send(null);
    },
  );
};
export default activations;
