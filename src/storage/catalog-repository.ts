/**
 * Organizations, products, orders, license items, activation codes and projects.
 * Every read that a customer can reach takes a Scope: the organization the caller belongs to,
 * or null for vendor staff. A row of another organization is indistinguishable from a missing one.
 */
import type { Selectable } from 'kysely';
import { formatSeqId, newId, newLicenseCode } from '../core/ids.ts';
import { cachedQuery } from './cached-query.ts';
import { nextCounter } from './counters.ts';
import type { Executor } from './executor.ts';
import type {
  ActivationCodesTable,
  LicenseItemsTable,
  OrdersTable,
  OrganizationsTable,
  ProductsTable,
  ProjectsTable,
} from './schema.ts';

/** organizationId null = vendor (all organizations). */
export interface Scope {
  organizationId: string | null;
}
export const VENDOR_SCOPE: Scope = { organizationId: null };

export type OrganizationRow = Selectable<OrganizationsTable>;
export type ProductRow = Selectable<ProductsTable>;
export type OrderRow = Selectable<OrdersTable>;
export type LicenseItemRow = Selectable<LicenseItemsTable>;
export type ActivationCodeRow = Selectable<ActivationCodesTable>;
export type ProjectRow = Selectable<ProjectsTable>;

// --- organizations ---------------------------------------------------------------------------

export async function createOrganization(db: Executor, name: string, now: number): Promise<OrganizationRow> {
  const row = { id: newId('org'), name, created_at: now };
  await db.insertInto('organizations').values(row).execute();
  return row;
}

export async function getOrganization(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<OrganizationRow | undefined> {
  if (scope.organizationId !== null && scope.organizationId !== id) return undefined;
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOrganizations(db: Executor, scope: Scope): Promise<OrganizationRow[]> {
  let q = db.selectFrom('organizations').selectAll().orderBy('name');
  if (scope.organizationId !== null) q = q.where('id', '=', scope.organizationId);
  return q.execute();
}

// --- products (vendor-wide) ------------------------------------------------------------------

export async function createProduct(
  db: Executor,
  name: string,
  modules: string[],
  now: number,
): Promise<ProductRow> {
  const row = { id: newId('prd'), name, modules: JSON.stringify(modules), created_at: now };
  await db.insertInto('products').values(row).execute();
  return row;
}

// every session start reads its product (the program name): compiled once (cached-query.ts)
const productQuery = cachedQuery<[string], ProductRow>((db, $) =>
  db.selectFrom('products').selectAll().where('id', '=', $(0)),
);

export async function getProduct(db: Executor, id: string): Promise<ProductRow | undefined> {
  return (await productQuery.execute(db, id)).rows[0];
}

export async function listProducts(db: Executor): Promise<ProductRow[]> {
  return db.selectFrom('products').selectAll().orderBy('name').execute();
}

// --- orders ----------------------------------------------------------------------------------

export async function createOrder(
  db: Executor,
  organizationId: string,
  kind: 'full' | 'trial',
  now: number,
): Promise<OrderRow> {
  const row = {
    id: formatSeqId('ORD', await nextCounter(db, 'order')),
    organization_id: organizationId,
    kind,
    created_at: now,
  };
  await db.insertInto('orders').values(row).execute();
  return row;
}

export async function getOrder(db: Executor, scope: Scope, id: string): Promise<OrderRow | undefined> {
  let q = db.selectFrom('orders').selectAll().where('id', '=', id);
  if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
  return q.executeTakeFirst();
}

export async function listOrders(db: Executor, scope: Scope): Promise<OrderRow[]> {
  let q = db.selectFrom('orders').selectAll().orderBy('created_at', 'desc');
  if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
  return q.execute();
}

// --- license items ---------------------------------------------------------------------------

export interface NewLicenseItem {
  organizationId: string;
  orderId: string;
  productId: string;
  name: string;
  version: string;
  deployment: string;
  model: string;
  quota: number;
  refreshIntervalS: number;
  validFrom: number;
  validTo: number;
  modules: string[];
  takesPerPeriod: number | null;
  takePeriodDays: number | null;
  deviceGracePct?: number;
}

export async function createLicenseItem(
  db: Executor,
  item: NewLicenseItem,
  now: number,
): Promise<LicenseItemRow> {
  const row: LicenseItemRow = {
    id: formatSeqId('LI', await nextCounter(db, 'license_item')),
    organization_id: item.organizationId,
    order_id: item.orderId,
    product_id: item.productId,
    name: item.name,
    version: item.version,
    deployment: item.deployment,
    model: item.model,
    quota: item.quota,
    refresh_interval_s: item.refreshIntervalS,
    valid_from: item.validFrom,
    valid_to: item.validTo,
    modules: JSON.stringify(item.modules),
    takes_per_period: item.takesPerPeriod,
    take_period_days: item.takePeriodDays,
    device_grace_pct: item.deviceGracePct ?? 0,
    created_at: now,
  };
  await db.insertInto('license_items').values(row).execute();
  return row;
}

export async function getLicenseItem(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<LicenseItemRow | undefined> {
  let q = db.selectFrom('license_items').selectAll().where('id', '=', id);
  if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
  return q.executeTakeFirst();
}

export async function listLicenseItems(
  db: Executor,
  scope: Scope,
  filter: { orderId?: string } = {},
): Promise<LicenseItemRow[]> {
  let q = db.selectFrom('license_items').selectAll().orderBy('id');
  if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
  if (filter.orderId) q = q.where('order_id', '=', filter.orderId);
  return q.execute();
}

// --- activation codes ------------------------------------------------------------------------

export async function createActivationCode(
  db: Executor,
  item: Pick<LicenseItemRow, 'id' | 'organization_id'>,
  maxActivations: number,
  now: number,
): Promise<ActivationCodeRow> {
  const code = newLicenseCode();
  const row: ActivationCodeRow = {
    id: newId('acd'),
    organization_id: item.organization_id,
    license_item_id: item.id,
    code,
    prefix: code.slice(0, 4),
    max_activations: maxActivations,
    created_at: now,
  };
  await db.insertInto('activation_codes').values(row).execute();
  return row;
}

export async function listActivationCodes(
  db: Executor,
  scope: Scope,
  filter: { licenseItemId?: string } = {},
): Promise<ActivationCodeRow[]> {
  let q = db.selectFrom('activation_codes').selectAll().orderBy('created_at');
  if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
  if (filter.licenseItemId) q = q.where('license_item_id', '=', filter.licenseItemId);
  return q.execute();
}

export async function getActivationCode(
  db: Executor,
  scope: Scope,
  id: string,
): Promise<ActivationCodeRow | undefined> {
  let q = db.selectFrom('activation_codes').selectAll().where('id', '=', id);
  if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
  return q.executeTakeFirst();
}

// --- projects --------------------------------------------------------------------------------

export async function createProject(
  db: Executor,
  p: { organizationId: string; name: string; key: string; licenseItemIds: string[] },
  now: number,
): Promise<ProjectRow> {
  const row: ProjectRow = {
    id: newId('prj'),
    organization_id: p.organizationId,
    name: p.name,
    key: p.key,
    usage_order: null,
    created_at: now,
  };
  await db.insertInto('projects').values(row).execute();
  await setProjectItems(db, row, p.licenseItemIds);
  return row;
}

export async function setProjectItems(
  db: Executor,
  project: Pick<ProjectRow, 'id' | 'organization_id'>,
  licenseItemIds: string[],
): Promise<void> {
  await db.deleteFrom('project_items').where('project_id', '=', project.id).execute();
  if (licenseItemIds.length === 0) return;
  await db
    .insertInto('project_items')
    .values(
      [...new Set(licenseItemIds)].map((id) => ({
        project_id: project.id,
        license_item_id: id,
        organization_id: project.organization_id,
      })),
    )
    .execute();
}

export async function getProject(db: Executor, scope: Scope, id: string): Promise<ProjectRow | undefined> {
  let q = db.selectFrom('projects').selectAll().where('id', '=', id);
  if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
  return q.executeTakeFirst();
}

export async function listProjects(db: Executor, scope: Scope): Promise<ProjectRow[]> {
  let q = db.selectFrom('projects').selectAll().orderBy('name');
  if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
  return q.execute();
}

export async function projectItemIds(db: Executor, projectId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('project_items')
    .select('license_item_id')
    .where('project_id', '=', projectId)
    .orderBy('license_item_id')
    .execute();
  return rows.map((r) => r.license_item_id);
}

/** Projects an item is configured to. */
export async function itemProjects(db: Executor, licenseItemId: string): Promise<ProjectRow[]> {
  return db
    .selectFrom('projects')
    .innerJoin('project_items', 'project_items.project_id', 'projects.id')
    .selectAll('projects')
    .where('project_items.license_item_id', '=', licenseItemId)
    .orderBy('projects.name')
    .execute();
}
