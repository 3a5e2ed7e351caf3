/** The projects an item is configured to ({id, name}), by name. */
import type { Executor } from '../executor.ts';

export async function getItemProjects(
  db: Executor,
  q: { organizationId: string; itemId: string },
): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('projects')
    .innerJoin('project_items', 'project_items.project_id', 'projects.id')
    .select(['projects.id', 'projects.name'])
    .where('project_items.license_item_id', '=', q.itemId)
    .where('projects.organization_id', '=', q.organizationId)
    .orderBy('projects.name')
    .orderBy('projects.id')
    .execute();
}
