/** Live (not deactivated) activations of an item, per activation code. */
import type { Executor } from '../executor.ts';

export async function getLiveActivations(
  db: Executor,
  q: { organizationId: string; itemId: string },
): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('activations')
    .select('activation_code_id')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('organization_id', '=', q.organizationId)
    .where('license_item_id', '=', q.itemId)
    .where('deactivated_at', 'is', null)
    .groupBy('activation_code_id')
    .execute();
  return new Map(rows.map((r) => [r.activation_code_id, Number(r.n)]));
}
