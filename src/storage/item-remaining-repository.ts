/**
 * Quota left on a license item now, in its model's unit, never below 0: per-scan = quota − scans
 * since the validity start; multi-user = seats − seats held; single-user = licenses − live
 * activations; per-device = the device limit (quota + grace) − live devices; hardware-key has no
 * online quota (0). The default license usage order ranks by it (expires first, then most left),
 * both where the client API picks an item and where the portal shows a project's order, so the
 * two cannot disagree.
 */
import type { LicenseModel } from '../contract/domain.ts';
import { deviceLimit } from '../core/licensing/seat-outcome.ts';
import { countLiveActivations, countLiveDevices } from './activation-repository.ts';
import type { LicenseItemRow } from './catalog-repository.ts';
import type { Executor } from './executor.ts';
import { countSeatsHeld } from './session-repository.ts';
import { scansSince } from './usage-batch-repository.ts';

export type QuotaItem = Pick<LicenseItemRow, 'id' | 'model' | 'quota' | 'valid_from' | 'device_grace_pct'>;

export async function quotaLeft(db: Executor, item: QuotaItem, now: number): Promise<number> {
  switch (item.model as LicenseModel) {
    case 'per-scan':
      return Math.max(0, item.quota - (await scansSince(db, item.id, item.valid_from)));
    case 'multi-user':
      return Math.max(0, item.quota - (await countSeatsHeld(db, item.id, now)));
    case 'single-user':
      return Math.max(0, item.quota - (await countLiveActivations(db, { licenseItemId: item.id })));
    case 'per-device':
      return Math.max(
        0,
        deviceLimit(item.quota, item.device_grace_pct) - (await countLiveDevices(db, item.id)),
      );
    case 'hardware-key':
      return 0;
  }
}
