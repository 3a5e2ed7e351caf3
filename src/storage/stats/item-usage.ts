/**
 * An item's usage against its quota, as the header of its page shows it (SPEC §5 "percentage
 * of quota"). Decided per model:
 * - per-scan: scans whose event time is at or after the validity start (overage included);
 * - per-device: active devices = machines with a live activation (what the quota limits);
 * - single-user: machines with a live activation (each holds one license);
 * - multi-user: seats held right now;
 * - hardware-key: no usage (0; callers show none).
 */
import type { LicenseItemRow } from '../catalog-repository.ts';
import type { Executor } from '../executor.ts';
import { getLiveDevices } from './getLiveDevices.ts';
import { getSeatsInUse } from './getSeatsInUse.ts';
import { readSums } from './read-usage.ts';

export async function currentUsage(db: Executor, item: LicenseItemRow, now: number): Promise<number> {
  const org = item.organization_id;
  switch (item.model) {
    case 'per-scan': {
      const rows = await readSums(
        db,
        { organizationId: org, itemIds: [item.id], kinds: ['scan'] },
        { window: { from: item.valid_from, to: null } },
      );
      return rows.reduce((a, r) => a + r.value, 0);
    }
    case 'per-device':
    case 'single-user':
      return getLiveDevices(db, { organizationId: org, itemId: item.id });
    case 'multi-user':
      return getSeatsInUse(db, { organizationId: org, itemId: item.id, now });
    default:
      return 0;
  }
}
