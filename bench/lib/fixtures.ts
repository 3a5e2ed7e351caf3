/** Bench data written straight through the storage layer (the same functions the API uses). */

import { createApiToken } from '../../src/storage/api-token-repository.ts';
import {
  createActivationCode,
  createLicenseItem,
  createOrder,
  createOrganization,
  createProduct,
  createProject,
  type LicenseItemRow,
} from '../../src/storage/catalog-repository.ts';
import type { Db } from '../../src/storage/db.ts';
import { createUser } from '../../src/storage/user-repository.ts';

const DAY = 86_400_000;

export interface BenchOrg {
  organizationId: string;
  productId: string;
  orderId: string;
  adminToken: string;
  adminEmail: string;
  adminPassword: string;
}

export async function benchOrg(db: Db, now: number): Promise<BenchOrg> {
  const k = db.kysely;
  const tag = Math.random().toString(36).slice(2, 8);
  const org = await createOrganization(k, `Bench ${tag}`, now);
  const product = await createProduct(k, `BenchApp ${tag}`, ['core', 'export'], now);
  const order = await createOrder(k, org.id, 'full', now);
  const admin = await createUser(
    k,
    {
      organizationId: org.id,
      email: `bench-${tag}@example.com`,
      password: 'bench-password-1',
      role: 'admin',
    },
    now,
  );
  const { token } = await createApiToken(k, admin.id, 'bench', now);
  return {
    organizationId: org.id,
    productId: product.id,
    orderId: order.id,
    adminToken: token,
    adminEmail: admin.email,
    adminPassword: 'bench-password-1',
  };
}

export async function benchItem(
  db: Db,
  o: BenchOrg,
  model: string,
  quota: number,
  now: number,
  opts: { validFrom?: number; validTo?: number; name?: string } = {},
): Promise<{ item: LicenseItemRow; code: string }> {
  const item = await createLicenseItem(
    db.kysely,
    {
      organizationId: o.organizationId,
      orderId: o.orderId,
      productId: o.productId,
      name: opts.name ?? `${model} bench`,
      version: '2026.x',
      deployment: 'computer',
      model,
      quota,
      refreshIntervalS: 3600,
      validFrom: opts.validFrom ?? now - 400 * DAY,
      validTo: opts.validTo ?? now + 365 * DAY,
      modules: ['core'],
      takesPerPeriod: null,
      takePeriodDays: null,
    },
    now,
  );
  const code = await createActivationCode(db.kysely, item, 1_000_000, now);
  return { item, code: code.code };
}

export async function benchProject(db: Db, o: BenchOrg, itemIds: string[], now: number) {
  return createProject(
    db.kysely,
    {
      organizationId: o.organizationId,
      name: 'Bench project',
      key: `PK-${Math.random().toString(36).slice(2)}`,
      licenseItemIds: itemIds,
    },
    now,
  );
}
