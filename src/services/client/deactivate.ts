/**
 * A client frees its machine's activation. The activation must be the key's: on this activation
 * code's item (activating through any code of an item answers the machine's one activation of it),
 * or (project key) on one of the project's items. Deactivating twice is harmless (204 again).
 */
import { LicstatError } from '../../contract/errors.ts';
import { deactivateActivation, getActivation } from '../../storage/activation-repository.ts';
import type { Db } from '../../storage/db.ts';
import { isItemInProject } from '../../storage/license-key-repository.ts';
import type { ClientKey } from './client-key.ts';

export async function deactivate(db: Db, key: ClientKey, activationId: string, now: number): Promise<void> {
  await db.transaction(async (trx) => {
    const a = await getActivation(trx, key.organizationId, activationId);
    const mine =
      a !== undefined &&
      (key.kind === 'code'
        ? a.license_item_id === key.item.id
        : await isItemInProject(trx, key.project.id, a.license_item_id));
    if (!a || !mine)
      throw new LicstatError('ACTIVATION_NOT_FOUND', 'no such activation for this license key');
    if (a.deactivated_at === null) await deactivateActivation(trx, a.id, now, 'client');
  });
}
