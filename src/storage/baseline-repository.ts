/** Reset Stats baselines: the §4.3 counters count ledger events received after the latest one. Nothing is deleted. */
import { newId } from '../core/ids.ts';
import type { Baseline } from '../core/usage-statistics.ts';
import type { Executor } from './executor.ts';

export async function recordBaseline(
  db: Executor,
  b: {
    organizationId: string;
    licenseItemId: string | null;
    activationCodeId: string;
    userId: string | null;
  },
  now: number,
): Promise<void> {
  await db
    .insertInto('stats_baselines')
    .values({
      id: newId('rst'),
      organization_id: b.organizationId,
      license_item_id: b.licenseItemId,
      activation_code_id: b.activationCodeId,
      reset_at: now,
      user_id: b.userId,
    })
    .execute();
}

export async function listBaselines(db: Executor, organizationId: string): Promise<Baseline[]> {
  const rows = await db
    .selectFrom('stats_baselines')
    .select(['license_item_id', 'activation_code_id', 'reset_at'])
    .where('organization_id', '=', organizationId)
    .execute();
  return rows.map((r) => ({
    licenseItemId: r.license_item_id,
    activationCodeId: r.activation_code_id,
    resetAt: r.reset_at,
  }));
}
