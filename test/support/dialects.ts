/**
 * The databases every storage and route test runs against. SQLite always; PostgreSQL at
 * 127.0.0.1:5432 when reachable, and always in CI (where an unreachable server is a failure).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const PG_URL = process.env.LICSTAT_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

const pgOk = await postgresReachable();
if (!pgOk && process.env.CI) throw new Error(`PostgreSQL is required in CI but not reachable at ${PG_URL}`);

export interface DialectCase {
  name: 'sqlite' | 'postgres';
  /** a fresh database URL for SQLite; the shared test database for PostgreSQL (tests isolate by organization) */
  url(): string;
}

export const DIALECTS: DialectCase[] = [
  { name: 'sqlite', url: () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-')), 'test.db')}` },
  ...(pgOk ? [{ name: 'postgres' as const, url: () => PG_URL }] : []),
];
