/**
 * The append-only usage ledger. Appending writes the raw events and, in the same transaction,
 * the rollups derived from them, so figures read from rollups always agree with the ledger.
 */
import { type Kysely, sql } from 'kysely';
import type { LedgerEvent } from '../core/ledger-event.ts';
import type { Executor } from './executor.ts';
import { noteLedgerEvents } from './ledger-feed.ts';
import { PRESENCE_LEVELS, type PresenceTable, SUM_LEVELS, type SumTable, unitOf } from './rollup-levels.ts';
import type { Database } from './schema.ts';

const CHUNK = 200; // rows per multi-row insert (stays far below both dialects' bind-parameter limits)

export async function appendEvents(db: Executor, events: readonly LedgerEvent[]): Promise<void> {
  if (events.length === 0) return;
  for (let i = 0; i < events.length; i += CHUNK) {
    const chunk = events.slice(i, i + CHUNK);
    await db
      .insertInto('usage_events')
      .values(
        chunk.map((e) => ({
          organization_id: e.organizationId,
          license_item_id: e.licenseItemId,
          project_id: e.projectId,
          activation_code_id: e.activationCodeId,
          activation_id: e.activationId,
          session_id: e.sessionId,
          kind: e.kind,
          count: e.count,
          at: e.at,
          received_at: e.receivedAt,
          email: e.email,
          fingerprint: e.fingerprint,
          batch_id: e.batchId,
        })),
      )
      .execute();
  }
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
  for (const level of SUM_LEVELS) await upsertSums(db, level.table, sumCells(events, level.unit));
  for (const level of PRESENCE_LEVELS)
    await insertPresence(db, level.table, presenceCells(events, level.unit));
}

/** Pre-aggregated in memory: one upsert row per (item, project, kind, unit). */
function sumCells(events: readonly LedgerEvent[], unit: number): SumCell[] {
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

function presenceCells(events: readonly LedgerEvent[], unit: number): PresenceCell[] {
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

async function upsertSums(db: Executor, table: SumTable, rows: readonly SumCell[]): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto(table as 'usage_rollups')
      .values(
        rows.slice(i, i + CHUNK).map((r) => ({
          organization_id: r.org,
          license_item_id: r.item,
          project_id: r.project,
          kind: r.kind,
          bucket: r.bucket,
          value: r.value,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(['license_item_id', 'kind', 'bucket', 'project_id'])
          .doUpdateSet({ value: sql<number>`${sql.ref(`${table}.value`)} + excluded.value` }),
      )
      .execute();
  }
}

async function insertPresence(
  db: Executor,
  table: PresenceTable,
  rows: readonly PresenceCell[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto(table as 'device_presence')
      .values(
        rows.slice(i, i + CHUNK).map((d) => ({
          organization_id: d.org,
          license_item_id: d.item,
          project_id: d.project,
          fingerprint: d.fingerprint,
          bucket: d.bucket,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
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
    for (const { table } of [...SUM_LEVELS, ...PRESENCE_LEVELS]) await trx.deleteFrom(table).execute();
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
