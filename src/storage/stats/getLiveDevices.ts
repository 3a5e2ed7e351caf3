/**
 * Distinct machines holding a live activation of an item: what the per-device and single-user
 * quotas limit (a machine activated through two codes is one machine, as the client API counts it).
 */
import type { Executor } from '../executor.ts';

export async function getLiveDevices(
  db: Executor,
  q: { organizationId: string; itemId: string },
): Promise<number> {
  const row = await db
    .selectFrom('activations')
    .select((eb) => eb.fn.count<number | string>('fingerprint').distinct().as('n'))
    .where('organization_id', '=', q.organizationId)
    .where('license_item_id', '=', q.itemId)
    .where('deactivated_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
