/**
 * /license-items: vendors issue and change license items; customers list their organization's.
 * (GET /license-items/{id} with usage is the statistics routes' job.)
 */
import type { Updateable } from 'kysely';
import { Type } from 'typebox';
import { DEPLOYMENTS, LICENSE_MODELS } from '../../../contract/domain.ts';
import { LicstatError } from '../../../contract/errors.ts';
import { DEFAULT_TAKE_PERIOD_DAYS } from '../../../core/licensing/takes.ts';
import { parseRefreshInterval } from '../../../core/refresh-interval.ts';
import { writeAudit } from '../../../storage/audit-repository.ts';
import {
  deleteLicenseItem,
  licenseItemInUse,
  updateLicenseItem,
} from '../../../storage/catalog-admin-repository.ts';
import {
  createLicenseItem,
  getLicenseItem,
  getOrder,
  getProduct,
  type LicenseItemRow,
  listLicenseItems,
  VENDOR_SCOPE,
} from '../../../storage/catalog-repository.ts';
import type { LicenseItemsTable } from '../../../storage/schema.ts';
import { NOT_BLANK } from '../../plugins/validation.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import {
  badReference,
  IdParams,
  Instant,
  ModuleList,
  Name,
  notFound,
  parseInstant,
  presentItems,
} from './common.ts';
import { LicenseItemSchema } from './schemas.ts';

const Model = Type.Union(LICENSE_MODELS.map((m) => Type.Literal(m)));
const Deployment = Type.Union(DEPLOYMENTS.map((d) => Type.Literal(d)));
const Id = Type.String({ minLength: 1, maxLength: 100 });
const Version = Type.String({ minLength: 1, maxLength: 50, pattern: NOT_BLANK });
const Quota = Type.Integer({ minimum: 1, maximum: 1_000_000_000_000 });
const Interval = Type.String({ minLength: 2, maxLength: 8, description: 'e.g. "30m", "2h", "1d", "1w"' });
const Takes = Type.Integer({ minimum: 0, maximum: 1_000_000 });
const TakeDays = Type.Integer({ minimum: 1, maximum: 3660 });
const Grace = Type.Integer({ minimum: 0, maximum: 1000 });

const CreateBody = Type.Object(
  {
    orderId: Id,
    productId: Id,
    name: Name,
    version: Version,
    deployment: Deployment,
    model: Model,
    quota: Quota,
    refreshInterval: Interval,
    validFrom: Instant,
    validTo: Instant,
    modules: ModuleList,
    takesPerPeriod: Type.Optional(Takes),
    takePeriodDays: Type.Optional(TakeDays),
    deviceGracePct: Type.Optional(Grace),
  },
  { additionalProperties: false },
);

const PatchBody = Type.Object(
  {
    name: Type.Optional(Name),
    version: Type.Optional(Version),
    deployment: Type.Optional(Deployment),
    quota: Type.Optional(Quota),
    refreshInterval: Type.Optional(Interval),
    validFrom: Type.Optional(Instant),
    validTo: Type.Optional(Instant),
    modules: Type.Optional(ModuleList),
    takesPerPeriod: Type.Optional(Type.Union([Takes, Type.Null()])),
    takePeriodDays: Type.Optional(Type.Union([TakeDays, Type.Null()])),
    deviceGracePct: Type.Optional(Grace),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  { orderId: Type.Optional(Id), organizationId: Type.Optional(Id) },
  { additionalProperties: false },
);

function intervalSeconds(text: string): number {
  const s = parseRefreshInterval(text);
  if (s === null)
    throw new LicstatError(
      'VALIDATION_FAILED',
      'refreshInterval must look like "30m", "2h", "1d" or "1w" (at most a year)',
    );
  return s;
}

function checkPeriod(from: number, to: number): void {
  if (to <= from) throw new LicstatError('INVALID_PERIOD', 'validTo must be after validFrom');
}

async function checkModules(
  db: Parameters<typeof getProduct>[0],
  productId: string,
  modules: string[],
): Promise<void> {
  const product = await getProduct(db, productId);
  if (!product) throw badReference('product', productId);
  const offered = new Set(JSON.parse(product.modules) as string[]);
  const extra = modules.filter((m) => !offered.has(m));
  if (extra.length > 0)
    throw new LicstatError('INVALID_REFERENCE', `the product does not offer the modules ${extra.join(', ')}`);
}

function checkTakes(
  model: string,
  takesPerPeriod: number | null | undefined,
  takePeriodDays: number | null | undefined,
): void {
  if (model !== 'single-user' && (takesPerPeriod != null || takePeriodDays != null))
    throw new LicstatError(
      'VALIDATION_FAILED',
      'takesPerPeriod and takePeriodDays apply to single-user items only',
    );
}

const licenseItems: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['vendor'];

  app.post(
    '/license-items',
    {
      schema: {
        response: { 201: Type.Object({ licenseItem: LicenseItemSchema }) },
        tags,
        summary: 'Issue a license item',
        body: CreateBody,
      },
      preHandler: requireRole('vendor'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const b = request.body;
      const order = await getOrder(db, VENDOR_SCOPE, b.orderId);
      if (!order) throw badReference('order', b.orderId);
      await checkModules(db, b.productId, b.modules);
      const validFrom = parseInstant(b.validFrom, 'validFrom');
      const validTo = parseInstant(b.validTo, 'validTo');
      checkPeriod(validFrom, validTo);
      checkTakes(b.model, b.takesPerPeriod, b.takePeriodDays);
      const now = deps.clock.now();
      const item = await createLicenseItem(
        db,
        {
          organizationId: order.organization_id,
          orderId: order.id,
          productId: b.productId,
          name: b.name,
          version: b.version,
          deployment: b.deployment,
          model: b.model,
          quota: b.quota,
          refreshIntervalS: intervalSeconds(b.refreshInterval),
          validFrom,
          validTo,
          modules: b.modules,
          takesPerPeriod: b.model === 'single-user' ? (b.takesPerPeriod ?? null) : null,
          takePeriodDays:
            b.model === 'single-user'
              ? (b.takePeriodDays ?? (b.takesPerPeriod != null ? DEFAULT_TAKE_PERIOD_DAYS : null))
              : null,
          deviceGracePct: b.deviceGracePct ?? 0,
        },
        now,
      );
      await writeAudit(
        db,
        {
          organizationId: item.organization_id,
          userId: p.userId,
          action: 'license_item.create',
          target: item.id,
          details: { model: item.model, quota: item.quota },
        },
        now,
      );
      const [resource] = await presentItems(db, [item]);
      return reply.status(201).send({ licenseItem: resource! });
    },
  );

  app.get(
    '/license-items',
    {
      schema: {
        response: { 200: Type.Object({ licenseItems: Type.Array(LicenseItemSchema) }) },
        tags,
        summary: "License items (customers: their organization's)",
        querystring: ListQuery,
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => {
      const { orderId, organizationId } = request.query;
      let rows = await listLicenseItems(db, scopeOf(principalOf(request)), orderId ? { orderId } : {});
      if (organizationId) rows = rows.filter((i) => i.organization_id === organizationId);
      return { licenseItems: await presentItems(db, rows) };
    },
  );

  app.patch(
    '/license-items/:id',
    {
      schema: {
        response: { 200: Type.Object({ licenseItem: LicenseItemSchema }) },
        tags,
        summary: 'Change a license item',
        params: IdParams,
        body: PatchBody,
      },
      preHandler: requireRole('vendor'),
    },
    async (request) => {
      const p = principalOf(request);
      const item = await getLicenseItem(db, VENDOR_SCOPE, request.params.id);
      if (!item) throw notFound('license item', request.params.id);
      const b = request.body;
      const set: Updateable<LicenseItemsTable> = {};
      if (b.name !== undefined) set.name = b.name;
      if (b.version !== undefined) set.version = b.version;
      if (b.deployment !== undefined) set.deployment = b.deployment;
      if (b.quota !== undefined) set.quota = b.quota;
      if (b.refreshInterval !== undefined) set.refresh_interval_s = intervalSeconds(b.refreshInterval);
      if (b.validFrom !== undefined) set.valid_from = parseInstant(b.validFrom, 'validFrom');
      if (b.validTo !== undefined) set.valid_to = parseInstant(b.validTo, 'validTo');
      if (b.modules !== undefined) {
        await checkModules(db, item.product_id, b.modules);
        set.modules = JSON.stringify(b.modules);
      }
      if (b.takesPerPeriod !== undefined) set.takes_per_period = b.takesPerPeriod;
      if (b.takePeriodDays !== undefined) set.take_period_days = b.takePeriodDays;
      if (b.deviceGracePct !== undefined) set.device_grace_pct = b.deviceGracePct;
      const merged = { ...item, ...set } as LicenseItemRow;
      // a take limit needs its window: the default one, as POST gives (the answer shows it)
      if (merged.takes_per_period != null && merged.take_period_days == null)
        set.take_period_days = DEFAULT_TAKE_PERIOD_DAYS;
      checkPeriod(merged.valid_from, merged.valid_to);
      checkTakes(item.model, b.takesPerPeriod, b.takePeriodDays);
      await updateLicenseItem(db, item.id, set);
      await writeAudit(
        db,
        {
          organizationId: item.organization_id,
          userId: p.userId,
          action: 'license_item.update',
          target: item.id,
          details: b,
        },
        deps.clock.now(),
      );
      const [resource] = await presentItems(db, [(await getLicenseItem(db, VENDOR_SCOPE, item.id))!]);
      return { licenseItem: resource! };
    },
  );

  app.delete(
    '/license-items/:id',
    {
      schema: {
        summary: 'Delete a license item without activation codes, projects or usage (409 IN_USE otherwise)',
        tags,
        params: IdParams,
        response: NoContent,
      },
      preHandler: requireRole('vendor'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const item = await getLicenseItem(db, VENDOR_SCOPE, request.params.id);
      if (!item) throw notFound('license item', request.params.id);
      if (await licenseItemInUse(db, item))
        throw new LicstatError(
          'IN_USE',
          'the item has activation codes, projects or usage; it can only be changed',
        );
      await deleteLicenseItem(db, item.id);
      await writeAudit(
        db,
        {
          organizationId: item.organization_id,
          userId: p.userId,
          action: 'license_item.delete',
          target: item.id,
        },
        deps.clock.now(),
      );
      return reply.status(204).send(null);
    },
  );
};
export default licenseItems;
