/**
 * Client license keys: an activation code (activation_codes.code) or a project key
 * (projects.key). Both columns are unique; a key is looked up in both.
 */

import { cachedQuery } from './cached-query.ts';
import type { ActivationCodeRow, LicenseItemRow, ProjectRow } from './catalog-repository.ts';
import type { Executor } from './executor.ts';

export type LicenseKeyRecord =
  | { kind: 'code'; organizationId: string; code: ActivationCodeRow; item: LicenseItemRow }
  | { kind: 'project'; organizationId: string; project: ProjectRow };

// every client API call resolves its key: compiled once (cached-query.ts)
const codeQuery = cachedQuery<[string], ActivationCodeRow>((db, $) =>
  db.selectFrom('activation_codes').selectAll().where('code', '=', $(0)),
);
const itemQuery = cachedQuery<[string], LicenseItemRow>((db, $) =>
  db.selectFrom('license_items').selectAll().where('id', '=', $(0)),
);
const projectQuery = cachedQuery<[string], ProjectRow>((db, $) =>
  db.selectFrom('projects').selectAll().where('key', '=', $(0)),
);
const projectIdsQuery = cachedQuery<[string], { project_id: string }>((db, $) =>
  db.selectFrom('project_items').select('project_id').where('license_item_id', '=', $(0)),
);

export async function findLicenseKey(db: Executor, key: string): Promise<LicenseKeyRecord | undefined> {
  const code = (await codeQuery.execute(db, key)).rows[0];
  if (code) {
    const item = (await itemQuery.execute(db, code.license_item_id)).rows[0];
    if (!item) throw new Error(`activation code ${code.id} has no license item`);
    return { kind: 'code', organizationId: code.organization_id, code, item };
  }
  const project = (await projectQuery.execute(db, key)).rows[0];
  if (project) return { kind: 'project', organizationId: project.organization_id, project };
  return undefined;
}

/** A project of the organization by its key (the `project` a client names in a request). */
export async function findProjectByKey(
  db: Executor,
  organizationId: string,
  key: string,
): Promise<ProjectRow | undefined> {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('key', '=', key)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

/** Whether the item is configured to the project. */
export async function isItemInProject(db: Executor, projectId: string, itemId: string): Promise<boolean> {
  const row = await db
    .selectFrom('project_items')
    .select('project_id')
    .where('project_id', '=', projectId)
    .where('license_item_id', '=', itemId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The projects an item is configured to (ids only). */
export async function projectIdsOfItem(db: Executor, itemId: string): Promise<string[]> {
  const { rows } = await projectIdsQuery.execute(db, itemId);
  return rows.map((r) => r.project_id);
}

/** The project's license items. */
export async function itemsOfProject(db: Executor, projectId: string): Promise<LicenseItemRow[]> {
  return db
    .selectFrom('license_items')
    .innerJoin('project_items', 'project_items.license_item_id', 'license_items.id')
    .selectAll('license_items')
    .where('project_items.project_id', '=', projectId)
    .orderBy('license_items.id')
    .execute();
}
