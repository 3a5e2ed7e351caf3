/**
 * Changes to the catalog (catalog-repository.ts creates and reads): updates, deletions, and the
 * "in use" checks that keep deletions from orphaning history.
 */
import type { Updateable } from 'kysely';
import type { ActivationCodeRow, LicenseItemRow } from './catalog-repository.ts';
import type { Executor } from './executor.ts';
import type { LicenseItemsTable } from './schema.ts';

const exists = async (q: { executeTakeFirst(): Promise<unknown> }): Promise<boolean> =>
  (await q.executeTakeFirst()) !== undefined;

export async function updateOrganizationName(db: Executor, id: string, name: string): Promise<void> {
  await db.updateTable('organizations').set({ name }).where('id', '=', id).execute();
}

/** An organization is in use while it has users, orders or projects. */
export async function organizationInUse(db: Executor, id: string): Promise<boolean> {
  return (
    (await exists(db.selectFrom('users').select('id').where('organization_id', '=', id).limit(1))) ||
    (await exists(db.selectFrom('orders').select('id').where('organization_id', '=', id).limit(1))) ||
    (await exists(db.selectFrom('projects').select('id').where('organization_id', '=', id).limit(1)))
  );
}

/**
 * Deletes an organization that is not in use (see organizationInUse), with what only configures or
 * reports on it: its alert settings, alert state and log, queued alert e-mails, webhooks, their
 * deliveries and the deliveries' attempts. Run it in a transaction.
 */
export async function deleteOrganization(db: Executor, id: string): Promise<void> {
  await db
    .deleteFrom('webhook_attempts')
    .where(
      'delivery_id',
      'in',
      db
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('webhook_id', 'in', db.selectFrom('webhooks').select('id').where('organization_id', '=', id)),
    )
    .execute();
  await db
    .deleteFrom('webhook_deliveries')
    .where('webhook_id', 'in', db.selectFrom('webhooks').select('id').where('organization_id', '=', id))
    .execute();
  for (const table of ['webhooks', 'mail_outbox', 'alert_log', 'alert_state', 'alert_settings'] as const)
    await db.deleteFrom(table).where('organization_id', '=', id).execute();
  await db.deleteFrom('organizations').where('id', '=', id).execute();
}

export async function updateProduct(
  db: Executor,
  id: string,
  patch: { name?: string; modules?: string[] },
): Promise<void> {
  const set: { name?: string; modules?: string } = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.modules !== undefined) set.modules = JSON.stringify(patch.modules);
  if (Object.keys(set).length > 0) await db.updateTable('products').set(set).where('id', '=', id).execute();
}

export async function productInUse(db: Executor, id: string): Promise<boolean> {
  return exists(db.selectFrom('license_items').select('id').where('product_id', '=', id).limit(1));
}

/** Modules of the product's items (a product may not drop a module an item still has). */
export async function modulesUsedByItems(db: Executor, productId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('license_items')
    .select('modules')
    .where('product_id', '=', productId)
    .execute();
  return new Set(rows.flatMap((r) => JSON.parse(r.modules) as string[]));
}

export async function deleteProduct(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('products').where('id', '=', id).execute();
}

export async function updateOrderKind(db: Executor, id: string, kind: string): Promise<void> {
  await db.updateTable('orders').set({ kind }).where('id', '=', id).execute();
}

export async function orderInUse(db: Executor, id: string): Promise<boolean> {
  return exists(db.selectFrom('license_items').select('id').where('order_id', '=', id).limit(1));
}

export async function deleteOrder(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('orders').where('id', '=', id).execute();
}

export async function updateLicenseItem(
  db: Executor,
  id: string,
  patch: Updateable<LicenseItemsTable>,
): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db.updateTable('license_items').set(patch).where('id', '=', id).execute();
}

/** An item is in use once it has activation codes, projects, sessions or usage. */
export async function licenseItemInUse(db: Executor, item: Pick<LicenseItemRow, 'id'>): Promise<boolean> {
  const id = item.id;
  return (
    (await exists(
      db.selectFrom('activation_codes').select('id').where('license_item_id', '=', id).limit(1),
    )) ||
    (await exists(
      db.selectFrom('project_items').select('project_id').where('license_item_id', '=', id).limit(1),
    )) ||
    (await exists(db.selectFrom('sessions').select('id').where('license_item_id', '=', id).limit(1))) ||
    (await exists(db.selectFrom('usage_events').select('id').where('license_item_id', '=', id).limit(1)))
  );
}

export async function deleteLicenseItem(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('stats_baselines').where('license_item_id', '=', id).execute();
  await db.deleteFrom('license_items').where('id', '=', id).execute();
}

export async function updateActivationCodeMax(
  db: Executor,
  id: string,
  maxActivations: number,
): Promise<void> {
  await db
    .updateTable('activation_codes')
    .set({ max_activations: maxActivations })
    .where('id', '=', id)
    .execute();
}

export async function activationCodeInUse(
  db: Executor,
  code: Pick<ActivationCodeRow, 'id'>,
): Promise<boolean> {
  return (
    (await exists(
      db.selectFrom('activations').select('id').where('activation_code_id', '=', code.id).limit(1),
    )) ||
    (await exists(
      db.selectFrom('usage_events').select('id').where('activation_code_id', '=', code.id).limit(1),
    )) ||
    (await exists(db.selectFrom('sessions').select('id').where('activation_code_id', '=', code.id).limit(1)))
  );
}

export async function deleteActivationCode(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('activation_codes').where('id', '=', id).execute();
}

/** Is a license key (activation code or project key) already taken? Both share the client's key space. */
export async function licenseKeyTaken(db: Executor, key: string, exceptProjectId?: string): Promise<boolean> {
  if (await exists(db.selectFrom('activation_codes').select('id').where('code', '=', key).limit(1)))
    return true;
  let q = db.selectFrom('projects').select('id').where('key', '=', key);
  if (exceptProjectId) q = q.where('id', '!=', exceptProjectId);
  return exists(q.limit(1));
}

export async function updateProject(
  db: Executor,
  id: string,
  patch: { name?: string; key?: string; usage_order?: string | null },
): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db.updateTable('projects').set(patch).where('id', '=', id).execute();
}

/** A project is in use once usage or sessions were attributed to it (deleting would orphan them). */
export async function projectInUse(db: Executor, id: string): Promise<boolean> {
  return (
    (await exists(db.selectFrom('usage_events').select('id').where('project_id', '=', id).limit(1))) ||
    (await exists(db.selectFrom('sessions').select('id').where('project_id', '=', id).limit(1)))
  );
}

export async function deleteProject(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('project_items').where('project_id', '=', id).execute();
  await db.deleteFrom('projects').where('id', '=', id).execute();
}
