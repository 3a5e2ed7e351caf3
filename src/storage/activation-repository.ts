/** Machine activations. Live = deactivated_at is null (a partial unique index keeps one per code and machine). */
import type { Selectable } from 'kysely';
import { newId } from '../core/ids.ts';
import { cachedQuery } from './cached-query.ts';
import type { Executor } from './executor.ts';
import type { ActivationsTable } from './schema.ts';
import { revokeSessionsOf } from './session-repository.ts';

export type ActivationRow = Selectable<ActivationsTable>;

export async function findLiveActivationByCode(
  db: Executor,
  activationCodeId: string,
  fingerprint: string,
): Promise<ActivationRow | undefined> {
  return db
    .selectFrom('activations')
    .selectAll()
    .where('activation_code_id', '=', activationCodeId)
    .where('fingerprint', '=', fingerprint)
    .where('deactivated_at', 'is', null)
    .executeTakeFirst();
}

/** A live activation of this machine for the item, through any of its codes. */
// every session start asks it: compiled once (cached-query.ts)
const liveForItemQuery = cachedQuery<[string, string], ActivationRow>((db, $) =>
  db
    .selectFrom('activations')
    .selectAll()
    .where('license_item_id', '=', $(0))
    .where('fingerprint', '=', $(1))
    .where('deactivated_at', 'is', null)
    // no LIMIT: with a LIMIT parameter SQLite sorts through a slower path (~30 us more here)
    .orderBy('created_at'),
);

export async function findLiveActivationForItem(
  db: Executor,
  licenseItemId: string,
  fingerprint: string,
): Promise<ActivationRow | undefined> {
  return (await liveForItemQuery.execute(db, licenseItemId, fingerprint)).rows[0];
}

export async function countLiveActivations(
  db: Executor,
  filter: { activationCodeId: string } | { licenseItemId: string },
): Promise<number> {
  let q = db
    .selectFrom('activations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('deactivated_at', 'is', null);
  q =
    'activationCodeId' in filter
      ? q.where('activation_code_id', '=', filter.activationCodeId)
      : q.where('license_item_id', '=', filter.licenseItemId);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

/** Distinct machines holding a live activation of the item (per-device quota). */
export async function countLiveDevices(db: Executor, licenseItemId: string): Promise<number> {
  const row = await db
    .selectFrom('activations')
    .select((eb) => eb.fn.count<number>('fingerprint').distinct().as('n'))
    .where('license_item_id', '=', licenseItemId)
    .where('deactivated_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface NewActivation {
  organizationId: string;
  licenseItemId: string;
  activationCodeId: string;
  fingerprint: string;
  hostname: string | null;
  email: string | null;
  version: string | null;
}

export async function insertActivation(db: Executor, a: NewActivation, now: number): Promise<ActivationRow> {
  const row: ActivationRow = {
    id: newId('act'),
    organization_id: a.organizationId,
    license_item_id: a.licenseItemId,
    activation_code_id: a.activationCodeId,
    fingerprint: a.fingerprint,
    hostname: a.hostname,
    email: a.email,
    version: a.version,
    created_at: now,
    last_seen_at: now,
    deactivated_at: null,
    deactivated_by: null,
  };
  await db.insertInto('activations').values(row).execute();
  return row;
}

/** Records a new contact from the machine; fields the client did not send keep their value. */
export async function touchActivation(
  db: Executor,
  row: ActivationRow,
  fields: { hostname?: string | null; email?: string | null; version?: string | null },
  now: number,
): Promise<ActivationRow> {
  const next: ActivationRow = {
    ...row,
    hostname: fields.hostname ?? row.hostname,
    email: fields.email ?? row.email,
    version: fields.version ?? row.version,
    last_seen_at: Math.max(now, row.last_seen_at),
  };
  await db
    .updateTable('activations')
    .set({
      hostname: next.hostname,
      email: next.email,
      version: next.version,
      last_seen_at: next.last_seen_at,
    })
    .where('id', '=', row.id)
    .execute();
  return next;
}

export async function getActivation(
  db: Executor,
  organizationId: string,
  id: string,
): Promise<ActivationRow | undefined> {
  return db
    .selectFrom('activations')
    .selectAll()
    .where('id', '=', id)
    .where('organization_id', '=', organizationId)
    .executeTakeFirst();
}

/**
 * Frees an activation; the full sessions it gave on a single-user or per-device item end with it
 * (`revoked`), so the machine cannot keep renewing full access it no longer holds.
 */
export async function deactivateActivation(
  db: Executor,
  id: string,
  now: number,
  by: 'client' | 'admin' | 'take',
): Promise<void> {
  const freed = await db
    .updateTable('activations')
    .set({ deactivated_at: now, deactivated_by: by })
    .where('id', '=', id)
    .where('deactivated_at', 'is', null)
    .returning(['organization_id', 'license_item_id'])
    .executeTakeFirst();
  if (freed) await revokeSessionsOf(db, { id, ...freed }, now);
}

/** The live activation used least recently: the one a take moves away first. */
export async function leastRecentlyUsedActivation(
  db: Executor,
  filter: { activationCodeId: string } | { licenseItemId: string },
  exceptFingerprint: string,
): Promise<ActivationRow | undefined> {
  let q = db
    .selectFrom('activations')
    .selectAll()
    .where('deactivated_at', 'is', null)
    .where('fingerprint', '!=', exceptFingerprint);
  q =
    'activationCodeId' in filter
      ? q.where('activation_code_id', '=', filter.activationCodeId)
      : q.where('license_item_id', '=', filter.licenseItemId);
  return q.orderBy('last_seen_at').orderBy('id').executeTakeFirst();
}
