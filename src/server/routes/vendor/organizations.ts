/** /organizations: vendors create and manage customer organizations; customers see their own. */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import { writeAudit } from '../../../storage/audit-repository.ts';
import {
  deleteOrganization,
  organizationInUse,
  updateOrganizationName,
} from '../../../storage/catalog-admin-repository.ts';
import {
  createOrganization,
  getOrganization,
  listOrganizations,
} from '../../../storage/catalog-repository.ts';
import { presentOrganization } from '../../present.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { IdParams, Name, notFound } from './common.ts';
import { OrganizationSchema } from './schemas.ts';

const Body = Type.Object({ name: Name }, { additionalProperties: false });

const organizations: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['vendor'];

  app.post(
    '/organizations',
    {
      schema: {
        response: { 201: Type.Object({ organization: OrganizationSchema }) },
        tags,
        summary: 'Create an organization',
        body: Body,
      },
      preHandler: requireRole('vendor'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const now = deps.clock.now();
      const org = await createOrganization(db, request.body.name, now);
      await writeAudit(
        db,
        {
          organizationId: org.id,
          userId: p.userId,
          action: 'organization.create',
          target: org.id,
          details: { name: org.name },
        },
        now,
      );
      return reply.status(201).send({ organization: presentOrganization(org) });
    },
  );

  app.get(
    '/organizations',
    {
      schema: {
        response: { 200: Type.Object({ organizations: Type.Array(OrganizationSchema) }) },
        tags,
        summary: 'Organizations (customers: their own)',
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => ({
      organizations: (await listOrganizations(db, scopeOf(principalOf(request)))).map(presentOrganization),
    }),
  );

  app.get(
    '/organizations/:id',
    {
      schema: {
        summary: 'One customer organization',
        response: { 200: Type.Object({ organization: OrganizationSchema }) },
        tags,
        params: IdParams,
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => {
      const org = await getOrganization(db, scopeOf(principalOf(request)), request.params.id);
      if (!org) throw notFound('organization', request.params.id);
      return { organization: presentOrganization(org) };
    },
  );

  app.patch(
    '/organizations/:id',
    {
      schema: {
        summary: 'Rename a customer organization',
        response: { 200: Type.Object({ organization: OrganizationSchema }) },
        tags,
        params: IdParams,
        body: Body,
      },
      preHandler: requireRole('vendor'),
    },
    async (request) => {
      const p = principalOf(request);
      const org = await getOrganization(db, scopeOf(p), request.params.id);
      if (!org) throw notFound('organization', request.params.id);
      await updateOrganizationName(db, org.id, request.body.name);
      await writeAudit(
        db,
        {
          organizationId: org.id,
          userId: p.userId,
          action: 'organization.update',
          target: org.id,
          details: { name: request.body.name },
        },
        deps.clock.now(),
      );
      return { organization: presentOrganization({ ...org, name: request.body.name }) };
    },
  );

  app.delete(
    '/organizations/:id',
    {
      schema: {
        summary: 'Delete an organization without users, orders or projects (409 IN_USE otherwise)',
        tags,
        params: IdParams,
        response: NoContent,
      },
      preHandler: requireRole('vendor'),
    },
    async (request, reply) => {
      const org = await getOrganization(db, scopeOf(principalOf(request)), request.params.id);
      if (!org) throw notFound('organization', request.params.id);
      await deps.db.transaction(async (trx) => {
        if (await organizationInUse(trx, org.id))
          throw new LicstatError('IN_USE', 'the organization still has users, orders or projects');
        await deleteOrganization(trx, org.id);
        await writeAudit(
          trx,
          {
            organizationId: null,
            userId: principalOf(request).userId,
            action: 'organization.delete',
            target: org.id,
            details: { name: org.name },
          },
          deps.clock.now(),
        );
      });
      return reply.status(204).send(null);
    },
  );
};
export default organizations;
