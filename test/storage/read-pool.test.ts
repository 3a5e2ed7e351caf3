/**
 * The statistics read pool (SQLite: worker threads with read-only connections): it answers what the
 * main connection answers, sees every acknowledged write, runs queries side by side, and reports
 * errors as rejections without losing the pool.
 */
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createOrganization } from '../../src/storage/catalog-repository.ts';
import { migrateToLatest, openDb } from '../../src/storage/db.ts';
import { SqliteReadPool } from '../../src/storage/sqlite-read-pool.ts';

const fileUrl = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-pool-')), 'pool.db')}`;

describe('SQLite read pool', () => {
  it('answers as the main connection does and sees each acknowledged write at once', async () => {
    const db = openDb(fileUrl());
    try {
      await migrateToLatest(db);
      for (let i = 0; i < 5; i++) {
        const org = await db.transaction((trx) => createOrganization(trx, `Pool ${i}`, 1_000 + i));
        // no pause: the write was acknowledged, so the pool's connections must see it
        const seen = await db.analytics
          .selectFrom('organizations')
          .select(['id', 'name', 'created_at'])
          .where('id', '=', org.id)
          .executeTakeFirst();
        expect(seen).toEqual({ id: org.id, name: `Pool ${i}`, created_at: 1_000 + i });
      }
      const q = (k: typeof db.kysely) =>
        k.selectFrom('organizations').select(['id', 'name']).orderBy('id').execute();
      expect(await q(db.analytics)).toEqual(await q(db.kysely));
    } finally {
      await db.close();
    }
  });

  it('answers concurrent queries on its workers, each answer going to its own caller', async () => {
    const db = openDb(fileUrl());
    try {
      await migrateToLatest(db);
      // recursive CTEs of different lengths: answers must not be swapped between callers
      const count = (n: number) =>
        sql<{
          n: number;
        }>`with recursive c(x) as (select 1 union all select x + 1 from c where x < ${n}) select count(*) as n from c`
          .execute(db.analytics)
          .then((r) => r.rows[0]!.n);
      const ns = [200_000, 10, 150_000, 1, 50_000, 7, 100_000, 3];
      expect(await Promise.all(ns.map(count))).toEqual(ns);
    } finally {
      await db.close();
    }
  });

  it('a bad query or a write is rejected with the database error; the pool keeps answering', async () => {
    const db = openDb(fileUrl());
    try {
      await migrateToLatest(db);
      await expect(sql`select * from no_such_table`.execute(db.analytics)).rejects.toThrow(/no such table/);
      await expect(
        db.analytics
          .insertInto('organizations')
          .values({ id: 'x', name: 'x', created_at: 1 } as never)
          .execute(),
      ).rejects.toThrow(/only queries that return rows/);
      await expect(db.analytics.transaction().execute(async () => 1)).rejects.toThrow(/no transactions/);
      const rows = await db.analytics
        .selectFrom('organizations')
        .select('id')
        .where('id', '=', 'x')
        .execute();
      expect(rows).toEqual([]); // the refused insert wrote nothing
    } finally {
      await db.close();
    }
  });

  it('close() after the workers were used still leaves no WAL behind (every connection closed)', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'licstat-pool-')), 'wal.db');
    const db = openDb(`sqlite:${file}`);
    await migrateToLatest(db);
    await db.transaction((trx) => createOrganization(trx, 'WAL', 1));
    await Promise.all([1, 2, 3].map(() => db.analytics.selectFrom('organizations').selectAll().execute()));
    await db.close();
    expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
  });

  it('starts no more workers than its size and refuses work once closed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'licstat-pool-')), 'p.db');
    const db = openDb(`sqlite:${file}`);
    await migrateToLatest(db);
    await db.close();
    const pool = new SqliteReadPool(file, 2, -1000);
    const slow =
      'with recursive c(x) as (select 1 union all select x + 1 from c where x < 300000) select count(*) as n from c';
    const answers = await Promise.all(Array.from({ length: 6 }, () => pool.query(slow, [])));
    expect(answers.map((r) => (r[0] as { n: number }).n)).toEqual(new Array(6).fill(300_000));
    expect((pool as unknown as { workers: unknown[] }).workers.length).toBe(2);
    await pool.close();
    await expect(pool.query('select 1', [])).rejects.toThrow(/closed/);
  });
});
