/** The license items a project is configured to, in id order. */
import type { LicenseItemRow } from '../catalog-repository.ts';
import type { Executor } from '../executor.ts';

export async function getProjectItems(
  db: Executor,
  q: { organizationId: string; projectId: string },
): Promise<LicenseItemRow[]> {
  return db
    .selectFrom('license_items')
    .innerJoin('project_items', 'project_items.license_item_id', 'license_items.id')
    .selectAll('license_items')
    .where('project_items.project_id', '=', q.projectId)
    .where('license_items.organization_id', '=', q.organizationId)
    .orderBy('license_items.id')
    .execute();
}
