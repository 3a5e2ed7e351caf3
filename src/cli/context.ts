/** What CLI commands share: the database from the environment, progress bars, and a polite Ctrl-C. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { SingleBar } from 'cli-progress';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { loadConfig } from '../config.ts';
import { type Db, type DialectName, migrateToLatest, openDb } from '../storage/db.ts';
import { migrationProvider } from '../storage/migrations/index.ts';

/**
 * Opens DATABASE_URL (or --database) migrated to the latest schema, creating the database (an
 * SQLite file and its directory) if there is none; the caller closes it. Only for the commands
 * that set up an installation: migrate, seed-demo, serve, public-key --create. Every other
 * command uses openExistingStorage, so that a mistyped path is an error, not a new database.
 */
export async function openStorage(databaseUrl?: string): Promise<Db> {
  const config = loadConfig();
  const db = openDb(databaseUrl ?? config.databaseUrl);
  await migrateToLatest(db);
  return db;
}

/**
 * Opens DATABASE_URL (or --database) as it is, for commands that read or change an existing
 * installation: nothing is created and nothing migrated. A missing SQLite file (its directory is
 * not made either), a database without the licstat schema, or one at another schema version
 * than this build is a one-line error naming the database. The caller closes it.
 */
export async function openExistingStorage(databaseUrl?: string): Promise<Db> {
  const url = databaseUrl ?? loadConfig().databaseUrl;
  // how the operator named it: where the URL came from, without a PostgreSQL password
  const named = `${databaseUrl === undefined ? 'DATABASE_URL' : '--database'} ${shownUrl(url)}`;
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file === ':memory:')
      throw new Error(
        `${named}: an in-memory database is always new and empty; name a licstat database file`,
      );
    if (file.trim() !== '') {
      const path = resolve(file);
      if (!existsSync(path))
        throw new Error(
          `${named}: there is no database file ${path}; check the path (licstat migrate creates a new database)`,
        );
      // Looked at before openDb, which would switch a file that is not licstat's to WAL mode. This
      // connection cannot create the file, and only reads (closing it removes a WAL it opened).
      let conn: SQLite.Database | undefined;
      try {
        conn = new SQLite(path, { fileMustExist: true });
      } catch {
        conn = undefined; // a directory, no permission…: openDb below says which
      }
      if (conn) {
        const look = new Kysely<unknown>({ dialect: new SqliteDialect({ database: conn }) });
        try {
          await checkSchema(look, 'sqlite', named);
        } finally {
          await look.destroy();
          if (conn.open) conn.close();
        }
      }
    }
  }
  const db = openDb(url); // an unusable SQLite path or URL fails here with its own message
  try {
    await checkSchema(db.kysely, db.dialect.name, named);
    return db;
  } catch (e) {
    await db.close();
    throw e;
  }
}

/** The URL to show in a message: a PostgreSQL URL without its password or query parameters. */
function shownUrl(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url)) return url;
  try {
    const u = new URL(url);
    u.password = '';
    u.search = '';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** Fails unless the database has the licstat schema at exactly this build's migrations. */
async function checkSchema<DB>(k: Kysely<DB>, dialect: DialectName, named: string): Promise<void> {
  let executed: string[] | null;
  try {
    executed = await executedMigrations(k, dialect);
  } catch (e) {
    // e.g. PostgreSQL: the database does not exist, the server does not answer, a wrong password
    const err = e as Error & { code?: string };
    if (err.code === 'SQLITE_NOTADB')
      throw new Error(`${named}: not an SQLite database; name a licstat database file`);
    throw new Error(`${named}: ${err.message || err.code || String(e)}`);
  }
  if (executed === null)
    throw new Error(
      `${named}: this database has no licstat schema yet; check the URL (licstat migrate sets up a new database)`,
    );
  const known = Object.keys(await migrationProvider.getMigrations());
  const unknown = executed.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new Error(
      `${named}: the database was migrated by a newer licstat (migration ${unknown.sort().at(-1)} is unknown to this build); use that version`,
    );
  const done = known.filter((name) => executed.includes(name)).length;
  if (done < known.length)
    throw new Error(
      `${named}: the database is at an older schema version than this licstat (${done} of ${known.length} migrations); run licstat migrate (or start the server) first`,
    );
}

/** The names in kysely_migration, or null when the licstat tables are not there. */
async function executedMigrations<DB>(k: Kysely<DB>, dialect: DialectName): Promise<string[] | null> {
  // unqualified, as the migrations create them (PostgreSQL: the first schema on the search_path)
  const present =
    dialect === 'sqlite'
      ? (
          await sql<{ n: number }>`select count(*) as n from sqlite_master
            where type = 'table' and name in ('kysely_migration', 'users')`.execute(k)
        ).rows[0]?.n === 2
      : (
          await sql<{ ok: boolean }>`select to_regclass('kysely_migration') is not null
            and to_regclass('users') is not null as ok`.execute(k)
        ).rows[0]?.ok === true;
  if (!present) return null;
  const rows = await sql<{ name: string }>`select name from kysely_migration`.execute(k);
  return rows.rows.map((r) => r.name);
}

/** A progress bar on stderr (stdout stays clean for data); silent when stderr is not a terminal. */
/** `--org`: an organization's id or its exact name (a name several share needs the id). */
export async function organizationIdOf(db: Db, org: string): Promise<string> {
  const rows = await db.kysely
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where((eb) => eb.or([eb('id', '=', org), eb('name', '=', org)]))
    .execute();
  if (rows.length === 0) throw new Error(`no organization with id or name ${org}`);
  if (rows.length > 1) throw new Error(`several organizations are named ${org}; use its id`);
  return rows[0]!.id;
}

export function progressBar(
  label: string,
  total: number,
): { update(done: number, total?: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    barsize: 30,
  });
  bar.start(Math.max(1, total), 0);
  return {
    update(done, t) {
      if (t !== undefined) bar.setTotal(Math.max(1, t));
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}

/**
 * Ctrl-C (SIGINT/SIGTERM) sets a flag that long work checks between transactions: the current
 * transaction finishes, then the command stops cleanly. A second Ctrl-C exits at once.
 */
export function interruptible(): { readonly stopped: boolean; dispose(): void } {
  const state = { stopped: false };
  const onSignal = () => {
    if (state.stopped) process.exit(130);
    state.stopped = true;
    process.stderr.write('\nstopping after the current transaction (Ctrl-C again to abort)…\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get stopped() {
      return state.stopped;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Parses an ISO date or instant option into epoch ms, or fails with a clear message. */
export function parseInstant(name: string, text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`--${name}: not an ISO 8601 date or instant: ${text}`);
  return ms;
}

export function parsePositiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: not a non-negative integer: ${text}`);
  return n;
}
