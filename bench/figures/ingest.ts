/**
 * Figure 2: usage ingest through POST /client/usage in batches of 100 events, against raw
 * better-sqlite3 batched inserts of the same rows. Every acknowledged event is counted afterwards.
 * On PostgreSQL a second row compares with raw PostgreSQL inserts of the same rows (one
 * transaction per batch, as many connections as the server's pool), which the SQLite baseline
 * cannot stand for: it measures another database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { type Db, PG_POOL_SIZE } from '../../src/storage/db.ts';
import type { Figure } from '../lib/figure.ts';
import { benchItem, benchOrg } from '../lib/fixtures.ts';
import { load } from '../lib/load.ts';
import type { Child } from '../lib/proc.ts';

const BATCH = 100;

function rawBaseline(rows: number): number {
  const sqlite = new SQLite(join(mkdtempSync(join(tmpdir(), 'licstat-raw-')), 'raw.db'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.exec(`create table usage_events (id integer primary key autoincrement, organization_id text not null,
    license_item_id text not null, project_id text, activation_code_id text, activation_id text, session_id text,
    kind text not null, count bigint not null, at bigint not null, received_at bigint not null, email text,
    fingerprint text, batch_id text)`);
  sqlite.exec('create index e1 on usage_events(license_item_id, at)');
  const insert = sqlite.prepare(
    `insert into usage_events (organization_id, license_item_id, project_id, activation_code_id, kind, count, at,
     received_at, fingerprint, batch_id) values (?, ?, null, ?, 'scan', ?, ?, ?, ?, ?)`,
  );
  const batch = sqlite.transaction((b: number) => {
    const now = Date.now();
    for (let i = 0; i < BATCH; i++)
      insert.run('org', 'LI-1', 'acd', 1 + (i % 7), now - i * 1000, now, 'fp', `b${b}`);
  });
  const t0 = performance.now();
  for (let b = 0; b < rows / BATCH; b++) batch(b);
  const secs = (performance.now() - t0) / 1000;
  sqlite.close();
  return rows / secs;
}

/** Raw PostgreSQL: one multi-row insert of 100 rows per transaction, `connections` at a time. */
async function rawPostgresBaseline(db: Db, rows: number, connections: number): Promise<number> {
  const table = 'bench_raw_usage_events';
  await sql`drop table if exists ${sql.table(table)}`.execute(db.kysely);
  await sql`create table ${sql.table(table)} (id bigserial primary key, organization_id text not null,
    license_item_id text not null, project_id text, activation_code_id text, activation_id text, session_id text,
    kind text not null, count bigint not null, at bigint not null, received_at bigint not null, email text,
    fingerprint text, batch_id text)`.execute(db.kysely);
  await sql`create index bench_raw_usage_events_item_at on ${sql.table(table)} (license_item_id, at)`.execute(
    db.kysely,
  );
  let next = 0;
  const worker = async () => {
    for (let b = next++; b < rows / BATCH; b = next++) {
      const now = Date.now();
      const values = Array.from({ length: BATCH }, (_, i) => ({
        organization_id: 'org',
        license_item_id: 'LI-1',
        activation_code_id: 'acd',
        kind: 'scan',
        count: 1 + (i % 7),
        at: now - i * 1000,
        received_at: now,
        fingerprint: 'fp',
        batch_id: `b${b}`,
      }));
      await db.kysely.transaction().execute((trx) =>
        trx
          .insertInto(table as never)
          .values(values as never)
          .execute(),
      );
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: connections }, worker));
  const secs = (performance.now() - t0) / 1000;
  await sql`drop table ${sql.table(table)}`.execute(db.kysely);
  return rows / secs;
}

export async function ingest(db: Db, server: Child, seconds: number): Promise<Figure[]> {
  const now = Date.now();
  const org = await benchOrg(db, now);
  const { item, code } = await benchItem(db, org, 'per-scan', 1e12, now);
  let n = 0;
  const r = await load({
    url: `${server.url}/api/v1/client/usage`,
    method: 'POST',
    connections: 20,
    duration: seconds,
    headers: { authorization: `License ${code}`, 'content-type': 'application/json' },
    requests: [
      {
        setupRequest: (req) => {
          const t = Date.now();
          const batchId = `bench-${process.pid}-${n++}`;
          const events = Array.from({ length: BATCH }, (_, i) => ({
            kind: 'scan',
            count: 1 + (i % 7),
            at: new Date(t - i * 1000).toISOString(),
          }));
          return { ...req, body: JSON.stringify({ batchId, fingerprint: `dev-${n % 1000}`, events }) };
        },
      },
    ],
  });
  const eventsPerSec = (r.ok * BATCH) / r.seconds;
  const found = Number(
    (
      await db.kysely
        .selectFrom('usage_events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('license_item_id', '=', item.id)
        .where('kind', '=', 'scan')
        .executeTakeFirstOrThrow()
    ).n,
  );
  const acknowledged = r.ok * BATCH;
  const rawRows = Math.max(10_000, Math.min(acknowledged, 200_000));
  const raw = rawBaseline(rawRows);
  const ratio = eventsPerSec / raw;
  const figures: Figure[] = [
    {
      name: 'Usage ingest, batches of 100 (events/s)',
      value: eventsPerSec,
      unit: 'events/s',
      baseline: { name: 'raw better-sqlite3 batched inserts', value: raw, unit: 'rows/s' },
      ratio,
      target: '≥ 50% of raw, every acknowledged event present',
      // Requests still in flight when the load stops are processed but never acknowledged.
      met: ratio >= 0.5 && found >= acknowledged && found <= acknowledged + 20 * BATCH,
      note: `acknowledged ${acknowledged} events, found ${found} in the ledger${found > acknowledged ? ' (the excess: requests in flight when the load stopped)' : ''}; ${r.non2xx} non-2xx, ${r.errors} errors`,
    },
  ];
  if (db.dialect.name === 'postgres') {
    const rawPg = await rawPostgresBaseline(db, rawRows, PG_POOL_SIZE);
    figures.push({
      name: 'Usage ingest against raw PostgreSQL inserts (events/s)',
      value: eventsPerSec,
      unit: 'events/s',
      baseline: {
        name: `raw PostgreSQL inserts, 100 rows per transaction, ${PG_POOL_SIZE} connections`,
        value: rawPg,
        unit: 'rows/s',
      },
      ratio: eventsPerSec / rawPg,
    });
  }
  return figures;
}
