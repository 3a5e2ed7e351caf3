/**
 * Kysely's SQLite driver prepares every query anew; preparing costs more than running the small
 * queries of a client request. This wraps a better-sqlite3 database so that prepare() returns a
 * cached statement for SQL text seen before (Kysely's SQL is parameterised, so the set of texts
 * is small; the cache is bounded all the same). A statement still busy (a streaming iterate())
 * is never handed out twice: a fresh one is prepared instead.
 */
import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

export function withStatementCache(db: SQLite.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit && !hit.busy) return hit as unknown as SqliteStatement;
      const stmt = db.prepare(sql);
      if (!hit) {
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt as unknown as SqliteStatement;
    },
  };
}
