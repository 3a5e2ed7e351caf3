/** Fresh catalog fixtures for client API tests: a new organization (and product, order, item, code) per call. */
import { randomBytes } from 'node:crypto';
import type { LicenseModel } from '../../src/contract/domain.ts';
import { systemClock } from '../../src/core/clock.ts';
import type { Deps } from '../../src/server/types.ts';
import {
  type ActivationCodeRow,
  createActivationCode,
  createLicenseItem,
  createOrder,
  createOrganization,
  createProduct,
  createProject,
  type LicenseItemRow,
  type OrganizationRow,
  type ProjectRow,
} from '../../src/storage/catalog-repository.ts';
import type { Db } from '../../src/storage/db.ts';

export const DAY = 86_400_000;
export const suffix = () => randomBytes(6).toString('hex');

export interface ItemSpec {
  model: LicenseModel;
  quota: number;
  refreshS?: number;
  validFrom?: number;
  validTo?: number;
  takesPerPeriod?: number | null;
  takePeriodDays?: number | null;
  deviceGracePct?: number;
  maxActivations?: number;
}

export interface Fixture {
  org: OrganizationRow;
  orderId: string;
  productId: string;
  item: LicenseItemRow;
  code: ActivationCodeRow;
  deps: Deps;
}

/** What the catalog helpers need: a database and a clock (route tests pass their Deps). */
export type CatalogDeps = Pick<Deps, 'db' | 'clock'>;

export async function newOrg(
  deps: CatalogDeps,
): Promise<{ org: OrganizationRow; orderId: string; productId: string }> {
  const db = deps.db.kysely;
  const now = deps.clock.now();
  const org = await createOrganization(db, `org-${suffix()}`, now);
  const product = await createProduct(db, `Scanner ${suffix()}`, ['core', 'ocr'], now);
  const order = await createOrder(db, org.id, 'full', now);
  return { org, orderId: order.id, productId: product.id };
}

export async function addItem(
  deps: CatalogDeps,
  o: { org: OrganizationRow; orderId: string; productId: string },
  spec: ItemSpec,
): Promise<{ item: LicenseItemRow; code: ActivationCodeRow }> {
  const db = deps.db.kysely;
  const now = deps.clock.now();
  const item = await createLicenseItem(
    db,
    {
      organizationId: o.org.id,
      orderId: o.orderId,
      productId: o.productId,
      name: `item ${spec.model}`,
      version: '2026.x',
      deployment: 'computer',
      model: spec.model,
      quota: spec.quota,
      refreshIntervalS: spec.refreshS ?? 3600,
      validFrom: spec.validFrom ?? now - 30 * DAY,
      validTo: spec.validTo ?? now + 365 * DAY,
      modules: ['core', 'ocr'],
      takesPerPeriod: spec.takesPerPeriod ?? null,
      takePeriodDays: spec.takePeriodDays ?? null,
      deviceGracePct: spec.deviceGracePct ?? 0,
    },
    now,
  );
  const code = await createActivationCode(db, item, spec.maxActivations ?? 1000, now);
  return { item, code };
}

export async function fixture(deps: Deps, spec: ItemSpec): Promise<Fixture> {
  const o = await newOrg(deps);
  const { item, code } = await addItem(deps, o, spec);
  return { ...o, item, code, deps };
}

export async function addProject(deps: Deps, orgId: string, itemIds: string[]): Promise<ProjectRow> {
  return createProject(
    deps.db.kysely,
    { organizationId: orgId, name: `project ${suffix()}`, key: `PK-${suffix()}`, licenseItemIds: itemIds },
    deps.clock.now(),
  );
}

export const auth = (key: string) => ({ authorization: `License ${key}` });

/** Ledger rows of an item by kind (count of rows and sum of counts), read raw. */
export async function ledgerOf(
  deps: Deps,
  itemId: string,
): Promise<{ rows: number; byKind: Record<string, { rows: number; sum: number }> }> {
  const rows = await deps.db.kysely
    .selectFrom('usage_events')
    .select(['kind', 'count'])
    .where('license_item_id', '=', itemId)
    .execute();
  const byKind: Record<string, { rows: number; sum: number }> = {};
  for (const r of rows) {
    const k = byKind[r.kind] ?? { rows: 0, sum: 0 };
    byKind[r.kind] = k;
    k.rows++;
    k.sum += Number(r.count);
  }
  return { rows: rows.length, byKind };
}

/** Every ledger row of an organization: used to prove a refused request wrote nothing. */
export async function orgLedgerRows(deps: Deps, orgId: string): Promise<number> {
  const r = await deps.db.kysely
    .selectFrom('usage_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('organization_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A fresh organization with one item on a database opened outside an app (child-process tests). */
export async function fixtureOn(db: Db, spec: ItemSpec) {
  const deps: CatalogDeps = { db, clock: systemClock };
  const o = await newOrg(deps);
  return { ...o, ...(await addItem(deps, o, spec)) };
}

/**
 * PostgreSQL: runs `during` while another transaction holds the item's row lock (released after
 * `holdMs`, or once `during` is answered); `waited` says how long `during` took.
 */
export async function whileItemLocked<T>(
  deps: Pick<Deps, 'db'>,
  itemId: string,
  during: () => Promise<T>,
  holdMs: number,
): Promise<{ value: T; waited: number }> {
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((r) => {
    locked = r;
  });
  const holder = deps.db.kysely.transaction().execute(async (trx) => {
    await trx.selectFrom('license_items').select('id').where('id', '=', itemId).forUpdate().execute();
    locked();
    await held;
  });
  await isLocked;
  const timer = setTimeout(release, holdMs);
  const began = Date.now();
  const value = await during();
  const waited = Date.now() - began;
  clearTimeout(timer);
  release();
  await holder;
  return { value, waited };
}
