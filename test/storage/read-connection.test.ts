import { existsSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createOrganization } from '../../src/storage/catalog-repository.ts';
import { migrateToLatest, openDb } from '../../src/storage/db.ts';
import { DIALECTS } from '../support/dialects.ts';

describe.each(DIALECTS)('read connection and group commit ($name)', (dialect) => {
  it('the reader sees every committed write, also while another write transaction is open', async () => {
    const db = openDb(dialect.url());
    try {
      await migrateToLatest(db);
      const org = await db.transaction((trx) => createOrganization(trx, `Reader ${Math.random()}`, 1));
      const seen = await db.reader
        .selectFrom('organizations')
        .select('name')
        .where('id', '=', org.id)
        .executeTakeFirst();
      expect(seen?.name).toBe(org.name);

      // A write transaction stays open until the reader has answered: the reader does not wait for it.
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      const writing = db.transaction(async (trx) => {
        await trx
          .updateTable('organizations')
          .set({ name: `${org.name} renamed` })
          .where('id', '=', org.id)
          .execute();
        await held;
      });
      await new Promise((r) => setTimeout(r, 20));
      const during = await db.reader
        .selectFrom('organizations')
        .select('name')
        .where('id', '=', org.id)
        .executeTakeFirstOrThrow();
      expect(during.name).toBe(org.name); // the last commit, not the open transaction's write
      release();
      await writing;
      const after = await db.reader
        .selectFrom('organizations')
        .select('name')
        .where('id', '=', org.id)
        .executeTakeFirstOrThrow();
      expect(after.name).toBe(`${org.name} renamed`);
    } finally {
      await db.close();
    }
  });

  // SQLite only: the write-ahead-log file and the separate reader connection exist only there.
  it.runIf(dialect.name === 'sqlite')(
    'close() removes the WAL even when the reader was never used',
    async () => {
      const url = dialect.url();
      const db = openDb(url);
      await migrateToLatest(db);
      await db.transaction((trx) => createOrganization(trx, `Close ${Math.random()}`, 1));
      await db.close();
      const wal = `${url.slice('sqlite:'.length)}-wal`;
      expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    },
  );

  it('concurrent transactions: each commits or fails alone, and a failed one leaves no trace', async () => {
    const db = openDb(dialect.url());
    try {
      await migrateToLatest(db);
      const tag = Math.random().toString(36).slice(2);
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          db.transaction(async (trx) => {
            const o = await createOrganization(trx, `GC ${tag} ${i}`, 1);
            if (i % 5 === 0) throw new Error(`unit ${i} fails`);
            return o.id;
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(4);
      const names = await db.reader
        .selectFrom('organizations')
        .select('name')
        .where('name', 'like', `GC ${tag} %`)
        .execute();
      expect(names.map((n) => n.name).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => i)
          .filter((i) => i % 5 !== 0)
          .map((i) => `GC ${tag} ${i}`)
          .sort(),
      );
    } finally {
      await db.close();
    }
  });
});
