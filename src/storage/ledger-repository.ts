/**
 * The append-only usage ledger. Appending writes the raw events and, in the same transaction,
 * the rollups derived from them, so figures read from rollups always agree with the ledger.
 */
import type { Kysely } from 'kysely';
import type { LedgerEvent } from '../core/ledger-event.ts';
import { cachedQuery } from './cached-query.ts';
import type { Executor } from './executor.ts';
import { noteLedgerEvents } from './ledger-feed.ts';
import { chunkedStatements, perRowCount, runStatements, type Statement, valuesOf } from './multi-row.ts';
import { PRESENCE_ALL, PRESENCE_LEVELS, SUM_ALL, SUM_LEVELS } from './rollup-levels.ts';
import { rollupsToWrite, upsertRollups } from './rollup-writer.ts';
import type { Database } from './schema.ts';

const EVENT_COLUMNS = [
  'organization_id',
  'license_item_id',
  'project_id',
  'activation_code_id',
  'activation_id',
  'session_id',
  'kind',
  'count',
  'at',
  'received_at',
  'email',
  'fingerprint',
  'batch_id',
] as const;

const insertEvents = perRowCount((rows) =>
  cachedQuery((db, $) => db.insertInto('usage_events').values(valuesOf(EVENT_COLUMNS, rows, $))),
);

/**
 * Appends `events` and their rollups, after `first` (other writes of the same transaction, such
 * as a start's session row). PostgreSQL receives them all in one round trip (multi-row.ts
 * runStatements); inside a SQLite group commit the rollups wait for the end of the group
 * (rollup-writer.ts).
 */
export async function appendEvents(
  db: Executor,
  events: readonly LedgerEvent[],
  first: readonly Statement[] = [],
): Promise<void> {
  if (events.length === 0 && first.length === 0) return;
  await runStatements(db, [
    ...first,
    ...chunkedStatements(db, insertEvents, events, (e) => [
      e.organizationId,
      e.licenseItemId,
      e.projectId,
      e.activationCodeId,
      e.activationId,
      e.sessionId,
      e.kind,
      e.count,
      e.at,
      e.receivedAt,
      e.email,
      e.fingerprint,
      e.batchId,
    ]),
    ...rollupsToWrite(db, events),
  ]);
  noteLedgerEvents(db, events); // published to alerts and the live feed after the commit
}

/** Throws the rollups away and derives them again from the ledger (the `rebuild-rollups` command). */
export async function rebuildRollups(
  db: Kysely<Database>,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const total = Number(
    (
      await db
        .selectFrom('usage_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
  await db.transaction().execute(async (trx) => {
    for (const { table } of [...SUM_LEVELS, SUM_ALL, ...PRESENCE_LEVELS, PRESENCE_ALL])
      await trx.deleteFrom(table).execute();
    let lastId = 0;
    let done = 0;
    for (;;) {
      const rows = await trx
        .selectFrom('usage_events')
        .selectAll()
        .where('id', '>', lastId)
        .orderBy('id')
        .limit(5000)
        .execute();
      if (rows.length === 0) break;
      lastId = rows[rows.length - 1]!.id;
      await upsertRollups(
        trx,
        rows.map((r) => ({
          organizationId: r.organization_id,
          licenseItemId: r.license_item_id,
          projectId: r.project_id,
          activationCodeId: r.activation_code_id,
          activationId: r.activation_id,
          sessionId: r.session_id,
          kind: r.kind as LedgerEvent['kind'],
          count: r.count,
          at: r.at,
          receivedAt: r.received_at,
          email: r.email,
          fingerprint: r.fingerprint,
          batchId: r.batch_id,
        })),
      );
      done += rows.length;
      onProgress?.(done, total);
    }
  });
  return total;
}
