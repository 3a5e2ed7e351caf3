/** A small catalog for portal tests, written straight through the repositories, plus an RFC 4180 parser. */
import type { LicenseModel } from '../../src/contract/domain.ts';
import {
  type ActivationCodeRow,
  createActivationCode,
  createLicenseItem,
  createOrder,
  createProduct,
  createProject,
  type LicenseItemRow,
} from '../../src/storage/catalog-repository.ts';
import { newOrg, uniq } from '../support/auth.ts';
import type { TestApp } from '../support/test-app.ts';

export const DAY = 86_400_000;

export interface Catalog {
  orgId: string;
  productName: string;
  items: Record<'sul' | 'mul' | 'hwk' | 'scan', LicenseItemRow>;
  codes: ActivationCodeRow[];
  projectId: string;
}

export async function makeCatalog(t: TestApp): Promise<Catalog> {
  const db = t.deps.db.kysely;
  const now = t.clock.now();
  const orgId = await newOrg(t);
  const productName = `=SUM(A1) Reader ${uniq()}`; // formula-looking on purpose: the CSV must neutralise it
  const product = await createProduct(db, productName, ['1D', '2D'], now);
  const order = await createOrder(db, orgId, 'full', now);
  const mk = (model: LicenseModel, quota: number, validTo = now + 200 * DAY) =>
    createLicenseItem(
      db,
      {
        organizationId: orgId,
        orderId: order.id,
        productId: product.id,
        name: `${model} item`,
        version: '2026.x',
        deployment: 'computer',
        model,
        quota,
        refreshIntervalS: 3600,
        validFrom: now - 100 * DAY,
        validTo,
        modules: ['1D'],
        takesPerPeriod: model === 'single-user' ? 4 : null,
        takePeriodDays: model === 'single-user' ? 30 : null,
      },
      now,
    );
  const items = {
    sul: await mk('single-user', 5),
    mul: await mk('multi-user', 3),
    hwk: await mk('hardware-key', 2, now - DAY),
    scan: await mk('per-scan', 1000),
  };
  const codes: ActivationCodeRow[] = [];
  for (const it of [items.sul, items.sul, items.mul, items.hwk, items.scan])
    codes.push(await createActivationCode(db, it, 3, now));
  const project = await createProject(
    db,
    {
      organizationId: orgId,
      name: 'Line',
      key: `pk-${uniq()}`,
      licenseItemIds: [items.mul.id, items.scan.id],
    },
    now,
  );
  return { orgId, productName, items, codes, projectId: project.id };
}

/** RFC 4180: quoted fields, doubled quotes, CRLF records. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
