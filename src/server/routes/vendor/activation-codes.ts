/**
 * /activation-codes: the license keys of a license item. Vendors see whole codes; customers see
 * only the distinguishing prefix (the code is a secret that activates machines).
 */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import { writeAudit } from '../../../storage/audit-repository.ts';
import {
  activationCodeInUse,
  deleteActivationCode,
  updateActivationCodeMax,
} from '../../../storage/catalog-admin-repository.ts';
import {
  createActivationCode,
  getActivationCode,
  getLicenseItem,
  listActivationCodes,
  VENDOR_SCOPE,
} from '../../../storage/catalog-repository.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { badReference, IdParams, notFound, presentCodes } from './common.ts';
import { ActivationCodeSchema } from './schemas.ts';

const Max = Type.Integer({ minimum: 1, maximum: 1_000_000 });
const Id = Type.String({ minLength: 1, maxLength: 100 });

const activationCodes: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['vendor'];

  app.post(
    '/activation-codes',
    {
      schema: {
        response: { 201: Type.Object({ activationCode: ActivationCodeSchema }) },
        tags,
        summary: 'Create an activation code for a license item',
        body: Type.Object({ licenseItemId: Id, maxActivations: Max }, { additionalProperties: false }),
      },
      preHandler: requireRole('vendor'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const item = await getLicenseItem(db, VENDOR_SCOPE, request.body.licenseItemId);
      if (!item) throw badReference('license item', request.body.licenseItemId);
      const now = deps.clock.now();
      const code = await createActivationCode(db, item, request.body.maxActivations, now);
      await writeAudit(
        db,
        {
          organizationId: item.organization_id,
          userId: p.userId,
          action: 'activation_code.create',
          target: code.id,
          details: { licenseItemId: item.id },
        },
        now,
      );
      const [resource] = await presentCodes(db, [code], true);
      return reply.status(201).send({ activationCode: resource! });
    },
  );

  app.get(
    '/activation-codes',
    {
      schema: {
        response: { 200: Type.Object({ activationCodes: Type.Array(ActivationCodeSchema) }) },
        tags,
        summary: 'Activation codes (customers: prefixes only)',
        querystring: Type.Object(
          { licenseItemId: Type.Optional(Id), organizationId: Type.Optional(Id) },
          { additionalProperties: false },
        ),
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => {
      const p = principalOf(request);
      const { licenseItemId, organizationId } = request.query;
      let rows = await listActivationCodes(db, scopeOf(p), licenseItemId ? { licenseItemId } : {});
      if (organizationId) rows = rows.filter((c) => c.organization_id === organizationId);
      return { activationCodes: await presentCodes(db, rows, p.role === 'vendor') };
    },
  );

  app.get(
    '/activation-codes/:id',
    {
      schema: {
        summary: 'One activation code (the full key for the vendor, its prefix for customers)',
        response: { 200: Type.Object({ activationCode: ActivationCodeSchema }) },
        tags,
        params: IdParams,
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => {
      const p = principalOf(request);
      const code = await getActivationCode(db, scopeOf(p), request.params.id);
      if (!code) throw notFound('activation code', request.params.id);
      const [resource] = await presentCodes(db, [code], p.role === 'vendor');
      return { activationCode: resource! };
    },
  );

  app.patch(
    '/activation-codes/:id',
    {
      schema: {
        summary: "Change an activation code's maximum activations",
        response: { 200: Type.Object({ activationCode: ActivationCodeSchema }) },
        tags,
        params: IdParams,
        body: Type.Object({ maxActivations: Max }, { additionalProperties: false }),
      },
      preHandler: requireRole('vendor'),
    },
    async (request) => {
      const p = principalOf(request);
      const code = await getActivationCode(db, VENDOR_SCOPE, request.params.id);
      if (!code) throw notFound('activation code', request.params.id);
      await updateActivationCodeMax(db, code.id, request.body.maxActivations);
      await writeAudit(
        db,
        {
          organizationId: code.organization_id,
          userId: p.userId,
          action: 'activation_code.update',
          target: code.id,
          details: request.body,
        },
        deps.clock.now(),
      );
      const [resource] = await presentCodes(
        db,
        [{ ...code, max_activations: request.body.maxActivations }],
        true,
      );
      return { activationCode: resource! };
    },
  );

  app.delete(
    '/activation-codes/:id',
    {
      schema: {
        summary: 'Delete an activation code without activations or usage (409 IN_USE otherwise)',
        tags,
        params: IdParams,
        response: NoContent,
      },
      preHandler: requireRole('vendor'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const code = await getActivationCode(db, VENDOR_SCOPE, request.params.id);
      if (!code) throw notFound('activation code', request.params.id);
      if (await activationCodeInUse(db, code))
        throw new LicstatError('IN_USE', 'the code has activations or usage');
      await deleteActivationCode(db, code.id);
      await writeAudit(
        db,
        {
          organizationId: code.organization_id,
          userId: p.userId,
          action: 'activation_code.delete',
          target: code.id,
        },
        deps.clock.now(),
      );
      return reply.status(204).send(null);
    },
  );
};
export default activationCodes;
