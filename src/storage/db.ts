/** Opens the database named by DATABASE_URL: `sqlite:<path>` (embedded default) or `postgres://…`. */
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type Transaction } from 'kysely';
import type PgModule from 'pg';
import { GroupCommitter } from './group-commit.ts';
import { migrationProvider } from './migrations/index.ts';
import { deferredRollups } from './rollup-writer.ts';
import type { Database } from './schema.ts';
import { SqliteReadPool, sqliteReadPoolDialect } from './sqlite-read-pool.ts';
import { withStatementCache } from './sqlite-statement-cache.ts';

export type DialectName = 'sqlite' | 'postgres';

/** Dialect capabilities: the only place that knows which database is underneath. */
export interface DialectInfo {
  name: DialectName;
  /** `SELECT … FOR UPDATE` takes a row lock (PostgreSQL); SQLite serialises writers instead. */
  rowLocks: boolean;
}

export interface Db {
  kysely: Kysely<Database>;
  /**
   * For reads outside transactions on the request path (license key lookups, auth, statistics).
   * SQLite: a second, read-only connection: WAL lets it read the last commit while a write
   * transaction is open on `kysely`, so reads do not queue behind whole write transactions
   * (Kysely runs one query at a time per SQLite connection). It sees every write acknowledged
   * to a caller (those are committed). PostgreSQL: the same pool as `kysely`.
   * Never use it for a read that must agree with a write of the same transaction.
   */
  reader: Kysely<Database>;
  /**
   * For the long read-only aggregations of the statistics pages (no transactions, no streaming).
   * SQLite file: worker threads with read-only connections (sqlite-read-pool.ts), so one page's
   * queries run in parallel and client requests are not stalled behind them. In-memory SQLite:
   * the one connection. PostgreSQL: the same pool as `kysely`. Sees every acknowledged write.
   */
  analytics: Kysely<Database>;
  dialect: DialectInfo;
  /**
   * Runs fn in a write transaction; resolves only once its writes are durable. On SQLite,
   * concurrent callers share commits (group commit, see group-commit.ts). Never nest these.
   */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PostgreSQL connections per process, unless openDb is told otherwise. */
export const PG_POOL_SIZE = 10;
/** SQLite page cache per connection, negative = KiB. */
const PAGE_CACHE_KIB = -4000;
/** Statistics read workers (SQLite): one per core, at most 4; a page issues about 6 queries at once. */
const READ_WORKERS = Math.max(1, Math.min(4, availableParallelism()));

let pgModule: typeof PgModule | undefined;
/** pg is loaded only for a PostgreSQL URL: an SQLite server does not carry it in memory. */
function loadPg(): typeof PgModule {
  if (!pgModule) {
    pgModule = createRequire(import.meta.url)('pg') as typeof PgModule;
    // int8 / numeric come back from pg as strings; every bigint here is an epoch-ms or a count < 2^53.
    pgModule.types.setTypeParser(20, (v) => Number(v));
    pgModule.types.setTypeParser(1700, (v) => Number(v));
  }
  return pgModule;
}

const VALID_URLS =
  'sqlite:<path> (e.g. sqlite:./data/licstat.db) or postgres://user:password@host:5432/database';

/** A URL that is neither sqlite: nor postgres://, said without echoing a password it may hold. */
function unknownUrl(url: string): Error {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  if (!scheme || /^[a-z]$/i.test(scheme))
    // no scheme (or a Windows drive letter): most likely a file path
    return new Error(
      `DATABASE_URL ${url} has no scheme: it must be ${VALID_URLS}; for an SQLite file write sqlite:${url}`,
    );
  return new Error(`DATABASE_URL must be ${VALID_URLS} (got ${scheme}:…)`);
}

/** Opens the SQLite file, creating its directory; failures name the file and what to check. */
function openSqliteFile(url: string, file: string): SQLite.Database {
  if (file.trim() === '')
    throw new Error(`DATABASE_URL ${url} names no file: it must be ${VALID_URLS} (or sqlite::memory:)`);
  if (file === ':memory:') return new SQLite(file);
  const path = resolve(file);
  const dir = dirname(path);
  try {
    // the database holds the lease signing key, license keys and webhook secrets: only this user
    // reads it (a directory made here is 0700, a file made here 0600; SQLite gives its WAL and
    // shared-memory files the database file's mode)
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (e) {
    throw new Error(
      `DATABASE_URL ${url}: cannot create the directory ${dir} for the SQLite file (${(e as Error).message}); point DATABASE_URL at a writable place, e.g. sqlite:./data/licstat.db`,
    );
  }
  if (!existsSync(path)) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch {
      // made meanwhile by another process, or not makeable: opening it below says which
    }
  }
  try {
    const db = new SQLite(file);
    try {
      db.pragma('journal_mode = WAL'); // the first read: a file that is no database fails here
    } catch (e) {
      db.close();
      throw e;
    }
    return db;
  } catch (e) {
    const isDir = (() => {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    })();
    const why = (e as Error).message;
    if (isDir)
      throw new Error(
        `DATABASE_URL ${url}: ${path} is a directory; name a file in it, e.g. sqlite:${file.replace(/\/+$/, '')}/licstat.db`,
      );
    if ((e as { code?: string }).code === 'SQLITE_NOTADB')
      throw new Error(
        `DATABASE_URL ${url}: ${path} is not an SQLite database (${why}); name a licstat database file or a new one`,
      );
    throw new Error(
      `DATABASE_URL ${url}: cannot open the SQLite file ${path} (${why}); check that it and its directory ${dir} are writable by this user`,
    );
  }
}

export function openDb(url: string, opts: { poolSize?: number } = {}): Db {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    const sqlite = openSqliteFile(url, file);
    sqlite.pragma('journal_mode = WAL'); // (again for :memory:, where it stays "memory")
    // FULL: a transaction acknowledged to a client survives power loss, not only a crash.
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // Group commit runs each unit in a savepoint, and SQLite journals a savepoint's first change to
    // each page in a statement journal — a temporary file unless temp_store is MEMORY (this
    // build's default is a file). Nothing in it has to survive a crash: the WAL holds what
    // commits. Measured: session starts +30–40 %, usage ingest 0.6–0.75 → 0.9–1.0 of raw inserts.
    sqlite.pragma('temp_store = MEMORY');
    sqlite.pragma('busy_timeout = 5000');
    // better-sqlite3 builds SQLite with a 16 MB page cache per connection; the OS file cache holds
    // the pages anyway, and a long scan (a million-row CSV export) would grow the server's RSS by it.
    sqlite.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
    const kysely = new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    });
    const committer = new GroupCommitter(kysely, deferredRollups);
    // An in-memory database is private to its connection: reads share the writer there.
    let reader = kysely;
    let analytics = kysely;
    let ro: SQLite.Database | undefined;
    if (file !== ':memory:') {
      analytics = new Kysely<Database>({
        dialect: sqliteReadPoolDialect(new SqliteReadPool(file, READ_WORKERS, PAGE_CACHE_KIB)),
      });
      ro = new SQLite(file, { readonly: true });
      ro.pragma('busy_timeout = 5000');
      ro.pragma(`cache_size = ${PAGE_CACHE_KIB}`);
      reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(ro) }) });
    }
    return {
      kysely,
      reader,
      analytics,
      dialect: { name: 'sqlite', rowLocks: false },
      transaction: (fn) => committer.run(fn),
      // The read workers and the reader close first (Kysely closes a connection only if it was
      // ever used): the last connection to close checkpoints the WAL into the database file and
      // removes it.
      close: async () => {
        if (analytics !== kysely) await analytics.destroy();
        if (reader !== kysely) await reader.destroy();
        if (ro?.open) ro.close();
        await kysely.destroy();
        if (sqlite.open) sqlite.close();
      },
    };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pg = loadPg();
    const pool = new pg.Pool({ connectionString: url, max: opts.poolSize ?? PG_POOL_SIZE });
    // A dropped idle connection must not crash the process; the pool replaces it.
    pool.on('error', () => {});
    const kysely = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return {
      kysely,
      reader: kysely,
      analytics: kysely,
      dialect: { name: 'postgres', rowLocks: true },
      transaction: (fn) => kysely.transaction().execute(fn),
      close: () => kysely.destroy(),
    };
  }
  throw unknownUrl(url);
}

export async function migrateToLatest(db: Db): Promise<void> {
  const migrator = new Migrator({ db: db.kysely, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    throw new Error(`migration failed${failed ? ` at ${failed.migrationName}` : ''}: ${String(error)}`);
  }
}
