/** A project as the portal shows it: its items and the effective license usage order. */
import { effectiveUsageOrder, parseUsageOrder } from '../core/licensing/usage-order.ts';
import type { ProjectRow } from './catalog-repository.ts';
import type { Executor } from './executor.ts';
import { quotaLeft } from './item-remaining-repository.ts';

export interface ProjectView {
  row: ProjectRow;
  licenseItemIds: string[];
  usageOrder: string[];
  customOrder: boolean;
}

export async function projectView(db: Executor, row: ProjectRow, now: number): Promise<ProjectView> {
  const items = await db
    .selectFrom('license_items')
    .innerJoin('project_items', 'project_items.license_item_id', 'license_items.id')
    .select([
      'license_items.id',
      'license_items.model',
      'license_items.quota',
      'license_items.valid_from',
      'license_items.valid_to',
      'license_items.device_grace_pct',
    ])
    .where('project_items.project_id', '=', row.id)
    .orderBy('license_items.id')
    .execute();
  const candidates = await Promise.all(
    items.map(async (i) => ({ id: i.id, validTo: i.valid_to, remaining: await quotaLeft(db, i, now) })),
  );
  const custom = parseUsageOrder(row.usage_order);
  return {
    row,
    licenseItemIds: items.map((i) => i.id),
    usageOrder: effectiveUsageOrder(candidates, custom).map((c) => c.id),
    customOrder: custom !== null && custom.length > 0,
  };
}
