/**
 * Facts for the license usage statistics table (SPEC §4.3): the organization's items and codes,
 * live activations per code, and ledger sums by row and kind since each row's Reset Stats
 * baseline. One grouped query counts everything after the organization-wide baseline; rows with
 * a later item or row baseline are recounted on their own.
 */
import { COUNTED_KINDS, PROJECT_KEY_ROW, rowBaseline } from '../core/usage-statistics.ts';
import { listBaselines } from './baseline-repository.ts';
import type { ActivationCodeRow, LicenseItemRow } from './catalog-repository.ts';
import type { Executor } from './executor.ts';

export interface UsageRowFacts {
  item: LicenseItemRow;
  productName: string;
  /** null for the project-key row, and for an item without codes */
  code: ActivationCodeRow | null;
  source: 'activation-code' | 'project-key' | 'none';
  liveActivations: number | null;
  /** sums by ledger kind since `baseline` */
  sums: Map<string, number>;
  baseline: number | null;
}

const rowCodeKey = (code: ActivationCodeRow | null): string => (code ? code.id : PROJECT_KEY_ROW);

export async function usageStatisticsFacts(db: Executor, organizationId: string): Promise<UsageRowFacts[]> {
  const items = await db
    .selectFrom('license_items')
    .innerJoin('products', 'products.id', 'license_items.product_id')
    .selectAll('license_items')
    .select('products.name as product_name')
    .where('license_items.organization_id', '=', organizationId)
    .orderBy('products.name')
    .orderBy('license_items.id')
    .execute();
  const codes = await db
    .selectFrom('activation_codes')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const live = await db
    .selectFrom('activations')
    .select(['activation_code_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('organization_id', '=', organizationId)
    .where('deactivated_at', 'is', null)
    .groupBy('activation_code_id')
    .execute();
  const liveByCode = new Map(live.map((r) => [r.activation_code_id, Number(r.n)]));
  const inProject = new Set(
    (
      await db
        .selectFrom('project_items')
        .select('license_item_id')
        .where('organization_id', '=', organizationId)
        .execute()
    ).map((r) => r.license_item_id),
  );
  const baselines = await listBaselines(db, organizationId);
  const orgBaseline = rowBaseline(
    baselines.filter((b) => b.licenseItemId === null),
    '',
    '',
  );
  const bulk = await sumsSince(db, organizationId, orgBaseline);

  const out: UsageRowFacts[] = [];
  for (const { product_name, ...item } of items) {
    const itemCodes = codes.filter((c) => c.license_item_id === item.id);
    const projectKeyUsage = bulk.has(`${item.id}\u0000${PROJECT_KEY_ROW}`);
    const rows: Pick<UsageRowFacts, 'code' | 'source'>[] = itemCodes.map((c) => ({
      code: c,
      source: 'activation-code' as const,
    }));
    // hardware-key items are never served through a project key: no such row for them
    const servedByProjectKey = inProject.has(item.id) && item.model !== 'hardware-key';
    if (servedByProjectKey || projectKeyUsage) rows.push({ code: null, source: 'project-key' });
    if (rows.length === 0) rows.push({ code: null, source: 'none' });
    for (const r of rows) {
      const key = rowCodeKey(r.code);
      const baseline = rowBaseline(baselines, item.id, key);
      const sums =
        baseline === orgBaseline
          ? (bulk.get(`${item.id}\u0000${key}`) ?? new Map<string, number>())
          : await rowSumsSince(db, organizationId, item.id, r.code?.id ?? null, baseline);
      out.push({
        item,
        productName: product_name,
        code: r.code,
        source: r.source,
        liveActivations: r.code ? (liveByCode.get(r.code.id) ?? 0) : null,
        sums: r.source === 'none' ? new Map() : sums,
        baseline,
      });
    }
  }
  return out;
}

/** item\0code (or item\0'-' for usage through a project key) → kind → sum, after `since`. */
async function sumsSince(
  db: Executor,
  organizationId: string,
  since: number | null,
): Promise<Map<string, Map<string, number>>> {
  let q = db
    .selectFrom('usage_events')
    .select(['license_item_id', 'activation_code_id', 'kind', (eb) => eb.fn.sum<number>('count').as('n')])
    .where('organization_id', '=', organizationId)
    .where('kind', 'in', [...COUNTED_KINDS])
    .groupBy(['license_item_id', 'activation_code_id', 'kind']);
  if (since !== null) q = q.where('received_at', '>', since);
  const out = new Map<string, Map<string, number>>();
  for (const r of await q.execute()) {
    const key = `${r.license_item_id}\u0000${r.activation_code_id ?? PROJECT_KEY_ROW}`;
    let m = out.get(key);
    if (!m) {
      m = new Map();
      out.set(key, m);
    }
    m.set(r.kind, Number(r.n));
  }
  return out;
}

/** One row's sums (organization first, so usage_events_org_code_kind serves it as a range). */
async function rowSumsSince(
  db: Executor,
  organizationId: string,
  itemId: string,
  codeId: string | null,
  since: number | null,
): Promise<Map<string, number>> {
  let q = db
    .selectFrom('usage_events')
    .select(['kind', (eb) => eb.fn.sum<number>('count').as('n')])
    .where('organization_id', '=', organizationId)
    .where('license_item_id', '=', itemId)
    .where('kind', 'in', [...COUNTED_KINDS])
    .groupBy('kind');
  q =
    codeId === null ? q.where('activation_code_id', 'is', null) : q.where('activation_code_id', '=', codeId);
  if (since !== null) q = q.where('received_at', '>', since);
  return new Map((await q.execute()).map((r) => [r.kind, Number(r.n)]));
}
