/** DATABASE_URL mistakes say what is wrong, name the path, and show a valid value. */
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, openDb } from '../../src/storage/db.ts';

const VALID = 'sqlite:<path> (e.g. sqlite:./data/licstat.db) or postgres://user:password@host:5432/database';
const errorOf = async (url: string): Promise<string> => {
  let db: ReturnType<typeof openDb>;
  try {
    db = openDb(url);
  } catch (e) {
    return (e as Error).message;
  }
  await db.close();
  return 'opened';
};

describe('openDb: unclear DATABASE_URL values', async () => {
  it('sqlite: without a path', async () => {
    expect(await errorOf('sqlite:')).toBe(
      `DATABASE_URL sqlite: names no file: it must be ${VALID} (or sqlite::memory:)`,
    );
  });

  it('a path without a scheme', async () => {
    expect(await errorOf('./foo.db')).toBe(
      `DATABASE_URL ./foo.db has no scheme: it must be ${VALID}; for an SQLite file write sqlite:./foo.db`,
    );
  });

  it('another scheme, without repeating its password', async () => {
    expect(await errorOf('mysql://root:hunter2@db/licstat')).toBe(
      `DATABASE_URL must be ${VALID} (got mysql:…)`,
    );
  });

  it('a directory that cannot be created names it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'licstat-dburl-'));
    writeFileSync(join(dir, 'plain-file'), 'x');
    const url = `sqlite:${join(dir, 'plain-file', 'data', 'licstat.db')}`;
    expect(await errorOf(url)).toMatch(
      new RegExp(
        `^DATABASE_URL ${url}: cannot create the directory ${join(dir, 'plain-file', 'data')} for the SQLite file \\(ENOTDIR[^)]*\\); point DATABASE_URL at a writable place`,
      ),
    );
  });

  it('a file that cannot be opened names it', async () => {
    // /proc takes no new files, whoever runs the test
    expect(await errorOf('sqlite:/proc/licstat-test.db')).toBe(
      'DATABASE_URL sqlite:/proc/licstat-test.db: cannot open the SQLite file /proc/licstat-test.db (unable to open database file); check that it and its directory /proc are writable by this user',
    );
    const dir = mkdtempSync(join(tmpdir(), 'licstat-dburl-'));
    expect(await errorOf(`sqlite:${dir}`)).toBe(
      `DATABASE_URL sqlite:${dir}: ${dir} is a directory; name a file in it, e.g. sqlite:${dir}/licstat.db`,
    );
    writeFileSync(join(dir, 'notes.txt'), 'not a database, but long enough to have a header page '.repeat(4));
    expect(await errorOf(`sqlite:${join(dir, 'notes.txt')}`)).toBe(
      `DATABASE_URL sqlite:${join(dir, 'notes.txt')}: ${join(dir, 'notes.txt')} is not an SQLite database (file is not a database); name a licstat database file or a new one`,
    );
  });

  it('a new database and the directory made for it are readable by this user only', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'licstat-dbmode-')), 'data');
    const file = join(dir, 'licstat.db');
    const db = openDb(`sqlite:${file}`);
    try {
      await migrateToLatest(db); // writes: the WAL and shared-memory files exist now
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect([mode(dir), mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual([
        0o700, 0o600, 0o600, 0o600,
      ]);
    } finally {
      await db.close();
    }
  });

  it('valid values still open', async () => {
    expect(await errorOf('sqlite::memory:')).toBe('opened');
    expect(
      await errorOf(`sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-dburl-')), 'new', 'x.db')}`),
    ).toBe('opened');
  });
});
