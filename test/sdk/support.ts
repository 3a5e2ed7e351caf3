/** A real licstat server on a free port with a manual time source shared with the SDK under test. */

import { loadConfig } from '../../src/config.ts';
import type { LicenseModel } from '../../src/contract/domain.ts';
import { ManualTime } from '../../src/sdk/manual-time.ts';
import { type Started, startServer } from '../../src/server/start.ts';
import {
  createActivationCode,
  createLicenseItem,
  createOrder,
  createOrganization,
  createProduct,
  type LicenseItemRow,
} from '../../src/storage/catalog-repository.ts';
import type { Db } from '../../src/storage/db.ts';

export const DAY = 86_400_000;

export async function startTestServer(databaseUrl: string, time: ManualTime): Promise<Started> {
  return startServer(loadConfig({ DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'silent' }), {
    clock: time,
    webDist: '/nonexistent',
  });
}

export const newTime = (): ManualTime =>
  new ManualTime(Date.parse('2026-06-10T09:00:00Z') + Math.floor(Math.random() * DAY));

const suffix = () => Math.random().toString(36).slice(2, 8);

/**
 * A fresh organization with one license item and an activation code (tests share PostgreSQL);
 * `organizationId` and `productId` add the item (in a new order) to an existing organization and product.
 */
export async function licenseFixture(
  db: Db,
  now: number,
  o: {
    model: LicenseModel;
    quota: number;
    refreshIntervalS?: number;
    takes?: [number, number];
    validFromDays?: number;
    validToDays?: number;
    organizationId?: string;
    productId?: string;
  },
): Promise<{ item: LicenseItemRow; code: string; organizationId: string }> {
  const k = db.kysely;
  const orgId = o.organizationId ?? (await createOrganization(k, `sdk-test-${suffix()}`, now)).id;
  const productId = o.productId ?? (await createProduct(k, `Product ${suffix()}`, ['scan', 'ocr'], now)).id;
  const order = await createOrder(k, orgId, 'full', now);
  const item = await createLicenseItem(
    k,
    {
      organizationId: orgId,
      orderId: order.id,
      productId,
      name: `item ${suffix()}`,
      version: '2026.x',
      deployment: o.model === 'per-device' || o.model === 'per-scan' ? 'device' : 'computer',
      model: o.model,
      quota: o.quota,
      refreshIntervalS: o.refreshIntervalS ?? 3600,
      validFrom: now - (o.validFromDays ?? 30) * DAY,
      validTo: now + (o.validToDays ?? 365) * DAY,
      modules: ['scan', 'ocr'],
      takesPerPeriod: o.takes?.[0] ?? null,
      takePeriodDays: o.takes?.[1] ?? null,
    },
    now,
  );
  const code = await createActivationCode(k, item, 100, now);
  return { item, code: code.code, organizationId: orgId };
}

/** Ledger rows of one item by kind: [rows, sum of counts]. */
export async function ledgerByKind(
  db: Db,
  itemId: string,
): Promise<Record<string, { rows: number; sum: number }>> {
  const rows = await db.kysely
    .selectFrom('usage_events')
    .select(['kind', 'count'])
    .where('license_item_id', '=', itemId)
    .execute();
  const out: Record<string, { rows: number; sum: number }> = {};
  for (const r of rows) {
    const e = out[r.kind] ?? { rows: 0, sum: 0 };
    out[r.kind] = e;
    e.rows++;
    e.sum += Number(r.count);
  }
  return out;
}
