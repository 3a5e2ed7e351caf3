/**
 * Commands that read or change an existing installation create none (child processes, as an
 * operator runs them): a mistyped SQLite path is a one-line error and leaves no file or directory
 * behind; an empty PostgreSQL database is refused and stays empty; a database at an older schema
 * is sent to `licstat migrate`. On a migrated database they work (here and in the other tests).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { Migrator } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { openDb } from '../../src/storage/db.ts';
import { migrationProvider } from '../../src/storage/migrations/index.ts';
import { DIALECTS, PG_URL } from '../support/dialects.ts';

const BIN = join(import.meta.dirname, '../../bin/licstat.js');
const execFileP = promisify(execFile);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function licstat(args: string[], extraEnv: Record<string, string> = {}): Promise<Ran> {
  try {
    const r = await execFileP('node', [BIN, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', LICSTAT_DEMO: '', DATABASE_URL: '', ...extraEnv },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Runs fn on every item, at most `width` at a time (child processes on a small machine). */
async function inBatches<T, R>(items: readonly T[], width: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width)
    out.push(...(await Promise.all(items.slice(i, i + width).map(fn))));
  return out;
}

/** Every command that must not create an installation, with arguments that pass their own checks. */
const READERS: readonly (readonly string[])[] = [
  ['public-key'],
  ['public-key', '--pem'],
  ['user', 'list'],
  ['user', 'create', '--email', 'ops@vendor.test', '--password', 'long enough'],
  ['user', 'set-password', '--email', 'ops@vendor.test', '--password', 'long enough'],
  ['user', 'disable', '--email', 'ops@vendor.test'],
  ['user', 'enable', '--email', 'ops@vendor.test'],
  ['token', 'create', '--email', 'ops@vendor.test'],
  ['export', 'usage-statistics', '--org', 'Acme'],
  ['export', 'sessions', '--org', 'Acme'],
  ['rebuild-rollups'],
];

const MIGRATIONS = Object.keys(await migrationProvider.getMigrations());

const drops: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const drop of drops) await drop();
});

describe('commands on a database that is not there', { timeout: 180_000 }, () => {
  test('a missing SQLite file: one line naming it, exit 1, and no file or directory made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'licstat-typo-'));
    const file = join(dir, 'typo', 'licstat.db');
    const url = `sqlite:${file}`;
    const said = (source: string) =>
      `licstat: ${source} ${url}: there is no database file ${file}; check the path (licstat migrate creates a new database)`;
    const runs = await inBatches(READERS, 3, (args) => licstat([...args, '--database', url]));
    runs.forEach((r, i) => {
      expect([READERS[i], r.code, r.stdout, r.stderr]).toEqual([
        READERS[i],
        1,
        '',
        `${said('--database')}\n`,
      ]);
    });
    // from DATABASE_URL, and with --out: no CSV file either
    const out = join(dir, 'usage.csv');
    const fromEnv = await licstat(['export', 'usage-statistics', '--org', 'Acme', '--out', out], {
      DATABASE_URL: url,
    });
    expect([fromEnv.code, fromEnv.stderr]).toEqual([1, `${said('DATABASE_URL')}\n`]);
    expect(readdirSync(dir)).toEqual([]);

    // a missing file in an existing directory: not created either
    const beside = join(dir, 'licstat.db');
    const r = await licstat(['user', 'list', '--database', `sqlite:${beside}`]);
    expect(r.code).toBe(1);
    expect(existsSync(beside)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);

    // an in-memory database is new by definition
    const mem = await licstat(['user', 'list', '--database', 'sqlite::memory:']);
    expect([mem.code, mem.stderr]).toEqual([
      1,
      'licstat: --database sqlite::memory:: an in-memory database is always new and empty; name a licstat database file\n',
    ]);
  });

  test('an SQLite file without the licstat schema, or at an older or newer schema, is refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'licstat-schema-'));
    // another program's database: refused and left as it was (not switched to WAL)
    const file = join(dir, 'licstat.db');
    const url = `sqlite:${file}`;
    const other = new SQLite(file);
    other.exec('create table notes (text text)');
    other.close();
    const foreign = await licstat(['user', 'list', '--database', url]);
    expect([foreign.code, foreign.stderr]).toEqual([
      1,
      `licstat: --database ${url}: this database has no licstat schema yet; check the URL (licstat migrate sets up a new database)\n`,
    ]);
    const still = new SQLite(file, { readonly: true });
    expect(still.pragma('journal_mode', { simple: true })).toBe('delete');
    still.close();
    expect(readdirSync(dir)).toEqual(['licstat.db']);

    const oldUrl = `sqlite:${join(dir, 'old.db')}`;
    const old = openDb(oldUrl);
    const to = await new Migrator({ db: old.kysely, provider: migrationProvider }).migrateTo(
      MIGRATIONS.at(-2)!,
    );
    expect(to.error).toBeUndefined();
    await old.close();
    const stale = await licstat(['user', 'list'], { DATABASE_URL: oldUrl });
    expect([stale.code, stale.stderr]).toEqual([
      1,
      `licstat: DATABASE_URL ${oldUrl}: the database is at an older schema version than this licstat (${MIGRATIONS.length - 1} of ${MIGRATIONS.length} migrations); run licstat migrate (or start the server) first\n`,
    ]);
    // nothing was migrated behind the operator's back
    const after = openDb(oldUrl);
    try {
      const ran = await after.kysely
        .selectFrom('kysely_migration' as 'users')
        .select('name' as 'email')
        .execute();
      expect(ran).toHaveLength(MIGRATIONS.length - 1);
    } finally {
      await after.close();
    }
    expect((await licstat(['migrate'], { DATABASE_URL: oldUrl })).code).toBe(0);
    const listed = await licstat(['user', 'list'], { DATABASE_URL: oldUrl });
    expect([listed.code, listed.stderr]).toEqual([
      0,
      'no users yet: licstat user create --email … --password … makes the first\n',
    ]);

    // migrated by a later licstat: this build does not know its schema
    const later = openDb(oldUrl);
    await later.kysely
      .insertInto('kysely_migration' as 'counters')
      .values({ name: '2999-01-01-999-later', timestamp: new Date().toISOString() } as never)
      .execute();
    await later.close();
    const newer = await licstat(['user', 'list'], { DATABASE_URL: oldUrl });
    expect([newer.code, newer.stderr]).toEqual([
      1,
      `licstat: DATABASE_URL ${oldUrl}: the database was migrated by a newer licstat (migration 2999-01-01-999-later is unknown to this build); use that version\n`,
    ]);
  });

  test('user create: refused on a new database, works once licstat migrate set it up', async () => {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-first-')), 'licstat.db')}`;
    const args = ['user', 'create', '--email', 'ops@vendor.test', '--password', 'long enough'];
    expect((await licstat(args, { DATABASE_URL: url })).code).toBe(1);
    expect((await licstat(['migrate'], { DATABASE_URL: url })).code).toBe(0);
    const made = await licstat(args, { DATABASE_URL: url });
    expect([made.code, made.stdout]).toEqual([
      0,
      expect.stringMatching(/^created vendor user ops@vendor\.test /),
    ]);
    const listed = await licstat(['user', 'list', '--json'], { DATABASE_URL: url });
    expect(JSON.parse(listed.stdout)).toEqual([
      { email: 'ops@vendor.test', role: 'vendor', organizationId: null, organization: null, disabled: false },
    ]);
  });

  const postgres = DIALECTS.some((d) => d.name === 'postgres');
  test.skipIf(!postgres)('an empty PostgreSQL database: refused, and still empty afterwards', async () => {
    const name = `licstat_cli_${Math.random().toString(36).slice(2, 10)}`;
    const admin = async (statement: string) => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        return await c.query(statement);
      } finally {
        await c.end();
      }
    };
    await admin(`create database ${name}`);
    drops.push(async () => {
      await admin(`drop database if exists ${name} with (force)`);
    });
    const u = new URL(PG_URL);
    u.pathname = `/${name}`;
    const url = u.toString();
    const shown = (() => {
      const s = new URL(url);
      s.password = '';
      s.search = '';
      return s.toString();
    })();

    const runs = await inBatches(READERS, 3, (args) => licstat([...args, '--database', url]));
    runs.forEach((r, i) => {
      expect([READERS[i], r.code, r.stdout, r.stderr]).toEqual([
        READERS[i],
        1,
        '',
        `licstat: --database ${shown}: this database has no licstat schema yet; check the URL (licstat migrate sets up a new database)\n`,
      ]);
    });
    const tables = async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const r = await c.query<{ n: string }>(
          "select count(*) as n from information_schema.tables where table_schema = 'public'",
        );
        return Number(r.rows[0]!.n);
      } finally {
        await c.end();
      }
    };
    expect(await tables()).toBe(0);

    // a database that does not exist: its name and what PostgreSQL said
    const gone = new URL(url);
    gone.pathname = `/${name}_missing`;
    const missing = await licstat(['user', 'list', '--database', gone.toString()]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`database "${name}_missing" does not exist`);

    // set up on purpose, the same commands work
    expect((await licstat(['migrate', '--database', url])).code).toBe(0);
    expect(await tables()).toBeGreaterThan(0);
    const made = await licstat([...READERS[3]!, '--database', url]);
    expect(made.code).toBe(0);
    const listed = await licstat(['user', 'list', '--json', '--database', url]);
    expect(JSON.parse(listed.stdout)).toEqual([
      { email: 'ops@vendor.test', role: 'vendor', organizationId: null, organization: null, disabled: false },
    ]);
    const token = await licstat(['token', 'create', '--email', 'ops@vendor.test', '--database', url]);
    expect(token.code).toBe(0);
    const noKey = await licstat(['public-key', '--database', url]);
    expect([noKey.code, noKey.stderr]).toEqual([
      1,
      'licstat: this database has no lease signing key yet: start the server on it once (licstat serve), or pass --create\n',
    ]);
  });
});
