/**
 * Quota left on a license item now, for the default license usage order (expires first, then
 * most quota left): per-scan = quota − scans since validity start; multi-user = seats − seats
 * held; single-user = licenses − live activations; per-device = devices − live devices;
 * hardware-key has no online rest (Infinity).
 */
import type { LicenseItemRow } from './catalog-repository.ts';
import type { Executor } from './executor.ts';

export async function remainingQuota(
  db: Executor,
  item: Pick<LicenseItemRow, 'id' | 'model' | 'quota' | 'valid_from'>,
  now: number,
): Promise<number> {
  const n = async (q: { executeTakeFirstOrThrow(): Promise<{ n: unknown }> }) =>
    Number((await q.executeTakeFirstOrThrow()).n ?? 0);
  switch (item.model) {
    case 'per-scan': {
      const used = await n(
        db
          .selectFrom('usage_events')
          .select((eb) => eb.fn.sum<number>('count').as('n'))
          .where('license_item_id', '=', item.id)
          .where('kind', '=', 'scan')
          .where('at', '>=', item.valid_from),
      );
      return item.quota - used;
    }
    case 'multi-user': {
      const held = await n(
        db
          .selectFrom('sessions')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('license_item_id', '=', item.id)
          .where('ended_at', 'is', null)
          .where('holds_seat', '=', 1)
          .where('lease_expires_at', '>', now),
      );
      return item.quota - held;
    }
    case 'single-user':
    case 'per-device': {
      const live = await n(
        db
          .selectFrom('activations')
          .select((eb) => eb.fn.count<number>('fingerprint').distinct().as('n'))
          .where('license_item_id', '=', item.id)
          .where('deactivated_at', 'is', null),
      );
      return item.quota - live;
    }
    default:
      return Number.POSITIVE_INFINITY;
  }
}
