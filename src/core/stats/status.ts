/** A license item's status line (SPEC §2): `Expires <date>` or `Expired <date>`, in the viewer's zone. */
import type { ItemStatus } from '../../contract/stats.ts';
import { localDateOf } from '../time-buckets.ts';

export function itemStatus(validFrom: number, validTo: number, now: number, tz: string): ItemStatus {
  const date = localDateOf(validTo, tz);
  if (now >= validTo) return { state: 'expired', label: `Expired ${date}` };
  return { state: now < validFrom ? 'not-yet-valid' : 'valid', label: `Expires ${date}` };
}
