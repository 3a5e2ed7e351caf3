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

// Every client API call resolves its key: compiled once (cached-query.ts). An activation code
// and its item come in one statement, the code's columns prefixed with `ac__`.
const CODE_COLUMNS = {
  id: 'ac__id',
  organization_id: 'ac__organization_id',
  license_item_id: 'ac__license_item_id',
  code: 'ac__code',
  prefix: 'ac__prefix',
  max_activations: 'ac__max_activations',
  created_at: 'ac__created_at',
} as const satisfies Record<keyof ActivationCodeRow, `ac__${string}`>;

const CODE_ENTRIES = Object.entries(CODE_COLUMNS);

const codeWithItemQuery = cachedQuery<[string], Record<string, unknown>>((db, $) =>
  db
    .selectFrom('activation_codes')
    .innerJoin('license_items', 'license_items.id', 'activation_codes.license_item_id')
    .selectAll('license_items')
    .select(
      CODE_ENTRIES.map(
        ([col, alias]) => `activation_codes.${col as keyof ActivationCodeRow} as ${alias}` as const,
      ),
    )
    .where('activation_codes.code', '=', $(0)),
);
const projectQuery = cachedQuery<[string], ProjectRow>((db, $) =>
  db.selectFrom('projects').selectAll().where('key', '=', $(0)),
);
const projectIdsQuery = cachedQuery<[string], { project_id: string }>((db, $) =>
  db.selectFrom('project_items').select('project_id').where('license_item_id', '=', $(0)),
);

export async function findLicenseKey(db: Executor, key: string): Promise<LicenseKeyRecord | undefined> {
  const row = (await codeWithItemQuery.execute(db, key)).rows[0];
  if (row) {
    const code = {} as Record<string, unknown>;
    for (const [col, alias] of CODE_ENTRIES) code[col] = row[alias];
    const item = {} as Record<string, unknown>;
    for (const col in row) if (!col.startsWith('ac__')) item[col] = row[col];
    const c = code as ActivationCodeRow;
    return {
      kind: 'code',
      organizationId: c.organization_id,
      code: c,
      item: item as LicenseItemRow,
    };
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
