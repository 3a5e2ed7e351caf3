/**
 * The append-only usage ledger. Appending writes the raw events and, in the same transaction,
 * the rollups derived from them, so figures read from rollups always agree with the ledger.
 */
import { type Kysely, sql } from 'kysely';
import type { LedgerEvent } from '../core/ledger-event.ts';
import { type CachedQuery, cachedQuery } from './cached-query.ts';
import type { Executor } from './executor.ts';
import { noteLedgerEvents } from './ledger-feed.ts';
import {
  PRESENCE_ALL,
  PRESENCE_LEVELS,
  type PresenceTable,
  SUM_ALL,
  SUM_LEVELS,
  type SumTable,
  unitOf,
} from './rollup-levels.ts';
import type { Database } from './schema.ts';

const CHUNK = 200; // rows per multi-row insert (stays far below both dialects' bind-parameter limits)

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

/**
 * Multi-row statements compiled once per (statement, row count): every request of the client API
 * appends, and Kysely's building and compiling of a 100-row insert costs more than SQLite's insert.
 */
function perRowCount(
  build: (rows: number) => CachedQuery<unknown[], unknown>,
): (rows: number) => CachedQuery<unknown[], unknown> {
  const cache = new Map<number, CachedQuery<unknown[], unknown>>();
  return (rows) => {
    let q = cache.get(rows);
    if (!q) {
      q = build(rows);
      cache.set(rows, q);
    }
    return q;
  };
}

/** `$` placeholders for `rows` rows of `columns`, row-major: argument r * columns.length + c. */
const valuesOf = <C extends string>(columns: readonly C[], rows: number, $: (i: number) => never) =>
  Array.from({ length: rows }, (_, r) =>
    Object.fromEntries(columns.map((c, i) => [c, $(r * columns.length + i)])),
  ) as never;

const insertEvents = perRowCount((rows) =>
  cachedQuery((db, $) => db.insertInto('usage_events').values(valuesOf(EVENT_COLUMNS, rows, $))),
);

/** Writes `rows` in chunks of CHUNK through the statement compiled for each chunk's size. */
async function writeChunked<T>(
  db: Executor,
  statementFor: (rows: number) => CachedQuery<unknown[], unknown>,
  rows: readonly T[],
  argsOf: (row: T) => unknown[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await statementFor(chunk.length).execute(db, ...chunk.flatMap(argsOf));
  }
}

export async function appendEvents(db: Executor, events: readonly LedgerEvent[]): Promise<void> {
  if (events.length === 0) return;
  await writeChunked(db, insertEvents, events, (e) => [
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
  ]);
  await upsertRollups(db, events);
  noteLedgerEvents(events); // published to alerts and the live feed after the commit
}

interface SumCell {
  org: string;
  item: string;
  project: string;
  kind: string;
  bucket: number;
  value: number;
}
interface PresenceCell {
  org: string;
  item: string;
  project: string;
  fingerprint: string;
  bucket: number;
}

async function upsertRollups(db: Executor, events: readonly LedgerEvent[]): Promise<void> {
  for (const level of [...SUM_LEVELS, SUM_ALL])
    await upsertSums(db, level.table, sumCells(events, level.unit));
  for (const level of [...PRESENCE_LEVELS, PRESENCE_ALL])
    await insertPresence(db, level.table, presenceCells(events, level.unit));
}

/** Pre-aggregated in memory: one upsert row per (item, project, kind, unit). */
function sumCells(events: readonly LedgerEvent[], unit: number | null): SumCell[] {
  const sums = new Map<string, SumCell>();
  for (const e of events) {
    const bucket = unitOf(e.at, unit);
    const project = e.projectId ?? '';
    const key = `${e.licenseItemId}\u0000${project}\u0000${e.kind}\u0000${bucket}`;
    const s = sums.get(key);
    if (s) s.value += e.count;
    else
      sums.set(key, {
        org: e.organizationId,
        item: e.licenseItemId,
        project,
        kind: e.kind,
        bucket,
        value: e.count,
      });
  }
  return [...sums.values()];
}

function presenceCells(events: readonly LedgerEvent[], unit: number | null): PresenceCell[] {
  const devices = new Map<string, PresenceCell>();
  for (const e of events) {
    if (e.kind !== 'device_seen' || !e.fingerprint) continue;
    const bucket = unitOf(e.at, unit);
    const project = e.projectId ?? '';
    devices.set(`${e.licenseItemId}\u0000${project}\u0000${e.fingerprint}\u0000${bucket}`, {
      org: e.organizationId,
      item: e.licenseItemId,
      project,
      fingerprint: e.fingerprint,
      bucket,
    });
  }
  return [...devices.values()];
}

const SUM_COLUMNS = ['organization_id', 'license_item_id', 'project_id', 'kind', 'bucket', 'value'] as const;
const PRESENCE_COLUMNS = [
  'organization_id',
  'license_item_id',
  'project_id',
  'fingerprint',
  'bucket',
] as const;

const upsertSumsOf = Object.fromEntries(
  [...SUM_LEVELS, SUM_ALL].map(({ table }) => [
    table,
    perRowCount((rows) =>
      cachedQuery((db, $) =>
        db
          .insertInto(table as 'usage_rollups')
          .values(valuesOf(SUM_COLUMNS, rows, $))
          .onConflict((oc) =>
            oc
              .columns(['license_item_id', 'kind', 'bucket', 'project_id'])
              .doUpdateSet({ value: sql<number>`${sql.ref(`${table}.value`)} + excluded.value` }),
          ),
      ),
    ),
  ]),
) as Record<SumTable, (rows: number) => CachedQuery<unknown[], unknown>>;

const insertPresenceOf = Object.fromEntries(
  [...PRESENCE_LEVELS, PRESENCE_ALL].map(({ table }) => [
    table,
    perRowCount((rows) =>
      cachedQuery((db, $) =>
        db
          .insertInto(table as 'device_presence')
          .values(valuesOf(PRESENCE_COLUMNS, rows, $))
          .onConflict((oc) => oc.doNothing()),
      ),
    ),
  ]),
) as Record<PresenceTable, (rows: number) => CachedQuery<unknown[], unknown>>;

const upsertSums = (db: Executor, table: SumTable, rows: readonly SumCell[]) =>
  writeChunked(db, upsertSumsOf[table], rows, (r) => [r.org, r.item, r.project, r.kind, r.bucket, r.value]);

const insertPresence = (db: Executor, table: PresenceTable, rows: readonly PresenceCell[]) =>
  writeChunked(db, insertPresenceOf[table], rows, (d) => [d.org, d.item, d.project, d.fingerprint, d.bucket]);

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
