/** Names of projects by id within an organization (labels for usage of projects an item left). */
import type { Executor } from '../executor.ts';

export async function getProjectNames(
  db: Executor,
  q: { organizationId: string; ids: readonly string[] },
): Promise<Map<string, string>> {
  if (q.ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('projects')
    .select(['id', 'name'])
    .where('organization_id', '=', q.organizationId)
    .where('id', 'in', [...q.ids])
    .execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
