/**
 * Multi-row INSERT statements, compiled once per (statement, row count): every request of the
 * client API appends, and Kysely's building and compiling of a 100-row insert costs more than
 * SQLite's insert. Built as plain statements, so that PostgreSQL can receive several as one.
 */
import { CompiledQuery, PostgresAdapter } from 'kysely';
import type { CachedQuery } from './cached-query.ts';
import type { Executor } from './executor.ts';

const CHUNK = 200; // rows per statement (far below both dialects' bind-parameter limits)

export function perRowCount(
  build: (rows: number) => CachedQuery<unknown[], unknown>,
): (rows: number) => CachedQuery<unknown[], unknown> {
  const cache = new Map<number, CachedQuery<unknown[], unknown>>();
  return (rows) => {
    let q = cache.get(rows);
    if (!q) {
      q = build(rows);
      cache.set(rows, q);
    }
    return q;
  };
}

/** `$` placeholders for `rows` rows of `columns`, row-major: argument r * columns.length + c. */
export const valuesOf = <C extends string>(columns: readonly C[], rows: number, $: (i: number) => never) =>
  Array.from({ length: rows }, (_, r) =>
    Object.fromEntries(columns.map((c, i) => [c, $(r * columns.length + i)])),
  ) as never;

export interface Statement {
  sql: string;
  parameters: unknown[];
}

/** The statements that write `rows` in chunks of CHUNK, each through the one compiled for its size. */
export function chunkedStatements<T>(
  db: Executor,
  statementFor: (rows: number) => CachedQuery<unknown[], unknown>,
  rows: readonly T[],
  argsOf: (row: T) => unknown[],
): Statement[] {
  const out: Statement[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    out.push(statementFor(chunk.length).compiled(db, ...chunk.flatMap(argsOf)));
  }
  return out;
}

// PostgreSQL allows 65,535 bind parameters per statement; combined statements stay well below.
const PG_COMBINED_PARAMETERS = 20_000;

/**
 * Runs insert statements in order. On PostgreSQL, consecutive ones are sent as ONE statement
 * (all but the last as data-modifying WITH clauses, which PostgreSQL runs exactly once each):
 * a client-API transaction holds its license item's row lock until it commits, and every round
 * trip it makes meanwhile is time every other start of that item waits (a ledger append with its
 * rollup levels was up to 11 round trips). Only for statements on different rows or tables:
 * the parts of one statement do not see each other's writes.
 */
export async function runStatements(db: Executor, statements: readonly Statement[]): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    for (const s of statements) await db.executeQuery(CompiledQuery.raw(s.sql, s.parameters));
    return;
  }
  let batch: Statement[] = [];
  let parameters = 0;
  const send = async () => {
    if (batch.length > 0) await db.executeQuery(combined(batch));
    batch = [];
    parameters = 0;
  };
  for (const s of statements) {
    if (parameters + s.parameters.length > PG_COMBINED_PARAMETERS) await send();
    batch.push(s);
    parameters += s.parameters.length;
  }
  await send();
}

/** One PostgreSQL statement of several: `$n` placeholders renumbered after the ones before. */
function combined(statements: readonly Statement[]): CompiledQuery {
  const parameters: unknown[] = [];
  const parts = statements.map((s) => {
    const offset = parameters.length;
    for (const p of s.parameters) parameters.push(p);
    return s.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  });
  const last = parts.pop()!;
  const withs = parts.map((p, i) => `w${i} as (${p})`).join(', ');
  return CompiledQuery.raw(withs ? `with ${withs} ${last}` : last, parameters);
}
