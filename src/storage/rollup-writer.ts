/**
 * Writes the rollups derived from ledger events: sums and device presence at every level of
 * rollup-levels.ts, pre-aggregated in memory so each cell takes one upsert row.
 *
 * Inside a SQLite group commit (group-commit.ts) the writes wait for the end of the group: a
 * group runs up to 64 requests in one transaction, and most of them add to the same few cells
 * (the item's current quarter, hour, 6 hours, day and all history), so one upsert per cell for
 * the group replaces ten statements per request. They are still written in the group's
 * transaction, before its commit: rollups commit with their events or not at all. A unit rolled
 * back to its savepoint takes its queued events with it, and every read of a rollup table flushes
 * the queue first, so each unit still sees the writes of the units before it.
 */
import { sql } from 'kysely';
import type { LedgerEvent } from '../core/ledger-event.ts';
import { type CachedQuery, cachedQuery } from './cached-query.ts';
import type { Executor } from './executor.ts';
import type { GroupScope } from './group-commit.ts';
import { chunkedStatements, perRowCount, runStatements, type Statement, valuesOf } from './multi-row.ts';
import {
  PRESENCE_ALL,
  PRESENCE_LEVELS,
  type PresenceTable,
  SUM_ALL,
  SUM_LEVELS,
  type SumTable,
  unitOf,
} from './rollup-levels.ts';

/** Events whose rollups wait for the end of a group; `written` of them are already flushed. */
interface Pending {
  events: LedgerEvent[];
  written: number;
  /** a flush in progress: concurrent readers wait for it, or they could read half of it */
  flushing?: Promise<void>;
}

const pending = new WeakMap<object, Pending>();

/**
 * The statements that write the rollups of `events` now; none when `db` is a group commit's
 * transaction, which queues the events instead.
 */
export function rollupsToWrite(db: Executor, events: readonly LedgerEvent[]): Statement[] {
  const p = pending.get(db);
  if (!p) return rollupStatements(db, events);
  for (const e of events) p.events.push(e);
  return [];
}

/**
 * Writes what is queued on `db` (a no-op outside a group). Every read of a rollup table calls it
 * first, so a read inside a group (remaining scans, an alert's quota use) sees all earlier writes.
 */
export async function flushRollups(db: Executor): Promise<void> {
  const p = pending.get(db);
  if (!p) return;
  while (p.flushing) await p.flushing;
  if (p.written === p.events.length) return;
  const events = p.events.slice(p.written);
  p.written = p.events.length;
  p.flushing = upsertRollups(db, events).finally(() => {
    p.flushing = undefined;
  });
  await p.flushing;
}

/**
 * The group-commit scope that defers rollups. A savepoint rollback undoes the unit's own events
 * and whatever a flush wrote during the unit (earlier units' cells included), so a rewind restores
 * both the queue and the flushed mark.
 */
export const deferredRollups: GroupScope<{ length: number; written: number }> = {
  open: (trx) => void pending.set(trx, { events: [], written: 0 }),
  mark: (trx) => {
    const p = pending.get(trx)!;
    return { length: p.events.length, written: p.written };
  },
  rewind: (trx, m) => {
    const p = pending.get(trx)!;
    p.events.length = m.length;
    p.written = m.written;
  },
  close: flushRollups,
  discard: (trx) => void pending.delete(trx),
};

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

/** Writes the rollups of `events` now. */
export async function upsertRollups(db: Executor, events: readonly LedgerEvent[]): Promise<void> {
  await runStatements(db, rollupStatements(db, events));
}

function rollupStatements(db: Executor, events: readonly LedgerEvent[]): Statement[] {
  const out: Statement[] = [];
  for (const level of [...SUM_LEVELS, SUM_ALL])
    out.push(...chunkedStatements(db, upsertSumsOf[level.table], sumCells(events, level.unit), sumArgs));
  for (const level of [...PRESENCE_LEVELS, PRESENCE_ALL])
    out.push(
      ...chunkedStatements(
        db,
        insertPresenceOf[level.table],
        presenceCells(events, level.unit),
        presenceArgs,
      ),
    );
  return out;
}

/**
 * Rows in key order, whatever order the events came in. PostgreSQL locks an upsert's rows in the
 * order given: two concurrent batches (activation-code reports take no item lock) that touch the
 * same cells in opposite orders could deadlock; in one order they queue.
 */
function inKeyOrder<T>(cells: Map<string, T>): T[] {
  return [...cells.keys()].sort().map((k) => cells.get(k)!);
}

/** Pre-aggregated in memory: one upsert row per (item, project, kind, unit), in key order. */
export function sumCells(events: readonly LedgerEvent[], unit: number | null): SumCell[] {
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
  return inKeyOrder(sums);
}

/** One insert row per (item, project, device, unit), in key order. */
export function presenceCells(events: readonly LedgerEvent[], unit: number | null): PresenceCell[] {
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
  return inKeyOrder(devices);
}

const SUM_COLUMNS = ['organization_id', 'license_item_id', 'project_id', 'kind', 'bucket', 'value'] as const;
const PRESENCE_COLUMNS = [
  'organization_id',
  'license_item_id',
  'project_id',
  'fingerprint',
  'bucket',
] as const;

type PerRowCount = (rows: number) => CachedQuery<unknown[], unknown>;

/** Each table's multi-row statement, compiled once per row count (multi-row.ts, cached-query.ts). */
function statementsPerTable<T extends string>(
  levels: readonly { table: T }[],
  build: (table: T, rows: number) => Parameters<typeof cachedQuery>[0],
): Record<T, PerRowCount> {
  return Object.fromEntries(
    levels.map(({ table }) => [table, perRowCount((rows) => cachedQuery(build(table, rows)))]),
  ) as Record<T, PerRowCount>;
}

const upsertSumsOf = statementsPerTable<SumTable>(
  [...SUM_LEVELS, SUM_ALL],
  (table, rows) => (db, $) =>
    db
      .insertInto(table as 'usage_rollups')
      .values(valuesOf(SUM_COLUMNS, rows, $))
      .onConflict((oc) =>
        oc
          .columns(['license_item_id', 'kind', 'bucket', 'project_id'])
          .doUpdateSet({ value: sql<number>`${sql.ref(`${table}.value`)} + excluded.value` }),
      ),
);

const insertPresenceOf = statementsPerTable<PresenceTable>(
  [...PRESENCE_LEVELS, PRESENCE_ALL],
  (table, rows) => (db, $) =>
    db
      .insertInto(table as 'device_presence')
      .values(valuesOf(PRESENCE_COLUMNS, rows, $))
      .onConflict((oc) => oc.doNothing()),
);

const sumArgs = (r: SumCell) => [r.org, r.item, r.project, r.kind, r.bucket, r.value];
const presenceArgs = (d: PresenceCell) => [d.org, d.item, d.project, d.fingerprint, d.bucket];
