/**
 * Migration 006 on a database that already holds quarter-hour rollups (an upgrade): every new
 * level must equal the quarter rows folded by hand, on both databases; and after 008 (SQLite:
 * the same tables rebuilt WITHOUT ROWID) every row is still there.
 */
import { Migrator, sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDb } from '../../src/storage/db.ts';
import { migrationProvider } from '../../src/storage/migrations/index.ts';
import { DIALECTS, PG_URL } from '../support/dialects.ts';

const Q = 900_000;
const H = 3_600_000;
const DAY = 86_400_000;
const BEFORE_006 = '2026-11-25-005-usage-statistics-index';

/** A fresh, empty database: a new SQLite file, or a new PostgreSQL database beside the test one. */
async function emptyDatabase(
  dialect: (typeof DIALECTS)[number],
): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect.name === 'sqlite') return { url: dialect.url(), drop: async () => {} };
  const name = `licstat_mig_${Math.random().toString(36).slice(2, 10)}`;
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name}`) };
}

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const d of drops) await d();
});

describe.each(DIALECTS)('migration 006 folds existing quarter rollups up on $name', (dialect) => {
  it('hour, 6-hour, day and all-history rows equal the quarter rows folded by hand', async () => {
    const target = await emptyDatabase(dialect);
    drops.push(target.drop);
    const db = openDb(target.url);
    try {
      const migrator = new Migrator({ db: db.kysely, provider: migrationProvider });
      const to005 = await migrator.migrateTo(BEFORE_006);
      expect(to005.error).toBeUndefined();

      // Quarter rows over three days, two items, two projects ('' = unassigned), two kinds.
      const t0 = Date.UTC(2026, 2, 28, 20, 0);
      const sums: { item: string; project: string; kind: string; bucket: number; value: number }[] = [];
      const presence: { item: string; project: string; fingerprint: string; bucket: number }[] = [];
      let v = 1;
      for (let q = 0; q < 3 * 96; q += 7) {
        const bucket = t0 + q * Q;
        for (const item of ['LI-A', 'LI-B'])
          for (const project of ['', 'p1']) {
            sums.push({ item, project, kind: q % 2 ? 'scan' : 'full_access', bucket, value: v });
            v = (v * 7 + 3) % 101;
            presence.push({ item, project, fingerprint: `fp-${q % 5}`, bucket });
          }
      }
      await db.kysely
        .insertInto('usage_rollups')
        .values(
          sums.map((s) => ({
            organization_id: 'org',
            license_item_id: s.item,
            project_id: s.project,
            kind: s.kind,
            bucket: s.bucket,
            value: s.value,
          })),
        )
        .execute();
      await db.kysely
        .insertInto('device_presence')
        .values(
          presence.map((p) => ({
            organization_id: 'org',
            license_item_id: p.item,
            project_id: p.project,
            fingerprint: p.fingerprint,
            bucket: p.bucket,
          })),
        )
        .execute();

      await migrateToLatest(db);

      for (const [table, unit] of [
        ['usage_rollups_hour', H],
        ['usage_rollups_6h', 6 * H],
        ['usage_rollups_day', DAY],
        ['usage_rollups_all', null],
      ] as const) {
        const expected = new Map<string, number>();
        for (const s of sums) {
          const b = unit === null ? 0 : Math.floor(s.bucket / unit) * unit;
          const k = [s.item, s.project, s.kind, b].join('|');
          expected.set(k, (expected.get(k) ?? 0) + s.value);
        }
        const rows = await db.kysely
          .selectFrom(table as 'usage_rollups')
          .selectAll()
          .execute();
        const got = new Map(
          rows.map((r) => [
            [r.license_item_id, r.project_id, r.kind, Number(r.bucket)].join('|'),
            Number(r.value),
          ]),
        );
        expect(got, table).toEqual(expected);
      }
      for (const [table, unit] of [
        ['device_presence_hour', H],
        ['device_presence_6h', 6 * H],
        ['device_presence_day', DAY],
        ['device_presence_all', null],
      ] as const) {
        const expected = new Set(
          presence.map((p) =>
            [p.item, p.project, p.fingerprint, unit === null ? 0 : Math.floor(p.bucket / unit) * unit].join(
              '|',
            ),
          ),
        );
        const rows = await db.kysely
          .selectFrom(table as 'device_presence')
          .selectAll()
          .execute();
        const got = rows.map((r) =>
          [r.license_item_id, r.project_id, r.fingerprint, Number(r.bucket)].join('|'),
        );
        expect(got.length, table).toBe(expected.size);
        expect(new Set(got), table).toEqual(expected);
      }
      // The quarter rows themselves come through migration 008's table rebuild (SQLite) unchanged.
      const quarters = await db.kysely.selectFrom('usage_rollups').selectAll().execute();
      expect(
        new Set(
          quarters.map((r) =>
            [r.license_item_id, r.project_id, r.kind, Number(r.bucket), Number(r.value)].join('|'),
          ),
        ),
      ).toEqual(new Set(sums.map((s) => [s.item, s.project, s.kind, s.bucket, s.value].join('|'))));
      const presenceQuarters = await db.kysely.selectFrom('device_presence').selectAll().execute();
      expect(presenceQuarters.length).toBe(presence.length);
      if (dialect.name === 'sqlite') {
        // 008: every rollup and presence table is stored in key order (WITHOUT ROWID)
        const tables = await sql<{ name: string; sql: string }>`select name, sql from sqlite_master
          where type = 'table' and (name like 'usage_rollups%' or name like 'device_presence%')`.execute(
          db.kysely,
        );
        expect(tables.rows.length).toBe(10);
        for (const t of tables.rows) expect(t.sql.toLowerCase(), t.name).toMatch(/without rowid\s*$/);
      }
    } finally {
      await db.close();
    }
  });
});
