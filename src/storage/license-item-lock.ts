/**
 * Serialises every limit check of a license item (seats, activations, takes, scan quota).
 * PostgreSQL: `SELECT … FOR UPDATE` on the item rows, always in id order so two requests that
 * lock several items cannot deadlock. SQLite: its single connection already runs one
 * transaction at a time, so a plain read suffices.
 */
import type { Transaction } from 'kysely';
import { cachedQuery } from './cached-query.ts';
import type { LicenseItemRow } from './catalog-repository.ts';
import type { DialectInfo } from './db.ts';
import type { Database } from './schema.ts';

// One item (every activation-code call): compiled once (cached-query.ts).
const lockOne = cachedQuery<[string], LicenseItemRow>((db, $) =>
  db.selectFrom('license_items').selectAll().where('id', '=', $(0)).forUpdate(),
);
const readOne = cachedQuery<[string], LicenseItemRow>((db, $) =>
  db.selectFrom('license_items').selectAll().where('id', '=', $(0)),
);

export async function lockLicenseItems(
  trx: Transaction<Database>,
  dialect: DialectInfo,
  ids: readonly string[],
): Promise<Map<string, LicenseItemRow>> {
  if (ids.length === 0) return new Map();
  if (ids.length === 1 || ids.every((id) => id === ids[0])) {
    const { rows } = await (dialect.rowLocks ? lockOne : readOne).execute(trx, ids[0]!);
    return new Map(rows.map((r) => [r.id, r]));
  }
  const sorted = [...new Set(ids)].sort();
  let q = trx.selectFrom('license_items').selectAll().where('id', 'in', sorted).orderBy('id');
  if (dialect.rowLocks) q = q.forUpdate();
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * The items' current rows without locking them, for writes that check no limit against other
 * requests (usage reports through an activation code: over-quota usage is recorded anyway).
 */
export function readLicenseItems(
  trx: Transaction<Database>,
  dialect: DialectInfo,
  ids: readonly string[],
): Promise<Map<string, LicenseItemRow>> {
  return lockLicenseItems(trx, { ...dialect, rowLocks: false }, ids);
}
