/**
 * /projects (SPEC §4.6): vendors manage any organization's projects, admins their own; members
 * may list them. A project's key is a license key, so it may clash with no other key.
 */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import type { Project } from '../../../contract/resources.ts';
import { newLicenseCode } from '../../../core/ids.ts';
import { parseUsageOrder } from '../../../core/licensing/usage-order.ts';
import { writeAudit } from '../../../storage/audit-repository.ts';
import {
  deleteProject,
  licenseKeyTaken,
  projectInUse,
  updateProject,
} from '../../../storage/catalog-admin-repository.ts';
import {
  createProject,
  getOrganization,
  getProject,
  listProjects,
  type ProjectRow,
  projectItemIds,
  setProjectItems,
  VENDOR_SCOPE,
} from '../../../storage/catalog-repository.ts';
import type { Executor } from '../../../storage/executor.ts';
import { projectView } from '../../../storage/project-view-repository.ts';
import { isUniqueViolation } from '../../../storage/unique-violation.ts';
import { iso } from '../../present.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { badReference, IdParams, Name, notFound, targetOrganization } from './common.ts';
import { ProjectSchema } from './schemas.ts';

const Id = Type.String({ minLength: 1, maxLength: 100 });
const Key = Type.String({
  minLength: 8,
  maxLength: 100,
  pattern: '^[A-Za-z0-9._~-]+$',
  description: 'the project key clients send as Authorization: License <key>',
});
const ItemIds = Type.Array(Id, { maxItems: 500, uniqueItems: true });

const CreateBody = Type.Object(
  {
    organizationId: Type.Optional(Id),
    name: Name,
    key: Type.Optional(Key),
    licenseItemIds: Type.Optional(ItemIds),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    key: Type.Optional(Key),
    licenseItemIds: Type.Optional(ItemIds),
    usageOrder: Type.Optional(Type.Union([ItemIds, Type.Null()], { description: 'null = default order' })),
  },
  { additionalProperties: false },
);

async function present(db: Executor, row: ProjectRow, now: number): Promise<Project> {
  const v = await projectView(db, row, now);
  return {
    id: row.id,
    organizationId: row.organization_id,
    name: row.name,
    key: row.key,
    licenseItemIds: v.licenseItemIds,
    usageOrder: v.usageOrder,
    customOrder: v.customOrder,
    createdAt: iso(row.created_at),
  };
}

/** Every id must be a license item of the organization (422 otherwise). */
async function checkItems(db: Executor, organizationId: string, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await db
    .selectFrom('license_items')
    .select('id')
    .where('id', 'in', [...ids])
    .where('organization_id', '=', organizationId)
    .execute();
  const ok = new Set(found.map((r) => r.id));
  const bad = ids.find((id) => !ok.has(id));
  if (bad) throw badReference('license item of this organization', bad);
}

/** A concurrent request took the key between our check and our write. */
function duplicateKey(err: unknown): never {
  if (isUniqueViolation(err)) throw new LicstatError('DUPLICATE', 'this project key is already in use');
  throw err;
}

const projects: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['portal'];

  app.post(
    '/projects',
    {
      schema: {
        response: { 201: Type.Object({ project: ProjectSchema }) },
        tags,
        summary: 'Create a project (admins: in their organization)',
        body: CreateBody,
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const b = request.body;
      const organizationId = targetOrganization(p, b.organizationId);
      if (!(await getOrganization(db, VENDOR_SCOPE, organizationId)))
        throw badReference('organization', organizationId);
      const ids = b.licenseItemIds ?? [];
      await checkItems(db, organizationId, ids);
      const key = b.key ?? newLicenseCode();
      if (await licenseKeyTaken(db, key))
        throw new LicstatError('DUPLICATE', 'this project key is already in use');
      const now = deps.clock.now();
      const row = await db
        .transaction()
        .execute((trx) => createProject(trx, { organizationId, name: b.name, key, licenseItemIds: ids }, now))
        .catch(duplicateKey);
      await writeAudit(
        db,
        {
          organizationId,
          userId: p.userId,
          action: 'project.create',
          target: row.id,
          details: { name: row.name, licenseItemIds: ids },
        },
        now,
      );
      return reply.status(201).send({ project: await present(db, row, now) });
    },
  );

  app.get(
    '/projects',
    {
      schema: {
        response: { 200: Type.Object({ projects: Type.Array(ProjectSchema) }) },
        tags,
        summary: "The organization's projects (admins and vendors: a project's key is a license key)",
        querystring: Type.Object({ organizationId: Type.Optional(Id) }, { additionalProperties: false }),
      },
      // members see the license list only (SPEC §1); a project key lets any client use the licenses
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request) => {
      let rows = await listProjects(db, scopeOf(principalOf(request)));
      const org = request.query.organizationId;
      if (org) rows = rows.filter((r) => r.organization_id === org);
      const now = deps.clock.now();
      return { projects: await Promise.all(rows.map((r) => present(db, r, now))) };
    },
  );

  app.get(
    '/projects/:id',
    {
      schema: {
        summary: 'One project with its key, items and license usage order',
        response: { 200: Type.Object({ project: ProjectSchema }) },
        tags,
        params: IdParams,
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request) => {
      const row = await getProject(db, scopeOf(principalOf(request)), request.params.id);
      if (!row) throw notFound('project', request.params.id);
      return { project: await present(db, row, deps.clock.now()) };
    },
  );

  app.patch(
    '/projects/:id',
    {
      schema: {
        response: { 200: Type.Object({ project: ProjectSchema }) },
        tags,
        summary: 'Rename, re-key, choose items, rearrange the usage order',
        params: IdParams,
        body: PatchBody,
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request) => {
      const p = principalOf(request);
      const row = await getProject(db, scopeOf(p), request.params.id);
      if (!row) throw notFound('project', request.params.id);
      const b = request.body;
      const items = b.licenseItemIds ?? (await projectItemIds(db, row.id));
      if (b.licenseItemIds) await checkItems(db, row.organization_id, b.licenseItemIds);
      if (b.key !== undefined && b.key !== row.key && (await licenseKeyTaken(db, b.key, row.id)))
        throw new LicstatError('DUPLICATE', 'this project key is already in use');
      let usageOrder = row.usage_order;
      if (b.usageOrder === null) usageOrder = null;
      else if (b.usageOrder !== undefined) {
        const same = b.usageOrder.length === items.length && b.usageOrder.every((id) => items.includes(id));
        if (!same)
          throw new LicstatError(
            'VALIDATION_FAILED',
            "usageOrder must list each of the project's license items once",
          );
        usageOrder = JSON.stringify(b.usageOrder);
      } else if (b.licenseItemIds) {
        // Keep an admin's order for the items that stay; new items follow in the default order.
        const kept = (parseUsageOrder(row.usage_order) ?? []).filter((id) => items.includes(id));
        usageOrder = kept.length > 0 ? JSON.stringify(kept) : null;
      }
      const patch: { name?: string; key?: string; usage_order?: string | null } = {};
      if (b.name !== undefined) patch.name = b.name;
      if (b.key !== undefined) patch.key = b.key;
      if (usageOrder !== row.usage_order) patch.usage_order = usageOrder;
      await db
        .transaction()
        .execute(async (trx) => {
          await updateProject(trx, row.id, patch);
          if (b.licenseItemIds) await setProjectItems(trx, row, b.licenseItemIds);
        })
        .catch(duplicateKey);
      const now = deps.clock.now();
      await writeAudit(
        db,
        {
          organizationId: row.organization_id,
          userId: p.userId,
          action: 'project.update',
          target: row.id,
          details: b,
        },
        now,
      );
      return { project: await present(db, (await getProject(db, VENDOR_SCOPE, row.id))!, now) };
    },
  );

  app.delete(
    '/projects/:id',
    {
      schema: {
        summary: 'Delete a project no usage was recorded for (409 IN_USE otherwise)',
        tags,
        params: IdParams,
        response: NoContent,
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const row = await getProject(db, scopeOf(p), request.params.id);
      if (!row) throw notFound('project', request.params.id);
      if (await projectInUse(db, row.id))
        throw new LicstatError('IN_USE', 'usage was recorded for this project; its history would be lost');
      await deleteProject(db, row.id);
      await writeAudit(
        db,
        {
          organizationId: row.organization_id,
          userId: p.userId,
          action: 'project.delete',
          target: row.id,
          details: { name: row.name },
        },
        deps.clock.now(),
      );
      return reply.status(204).send(null);
    },
  );
};
export default projects;
