/**
 * Multi-row INSERT statements, compiled once per (statement, row count): every request of the
 * client API appends, and Kysely's building and compiling of a 100-row insert costs more than
 * SQLite's insert.
 */
import type { CachedQuery } from './cached-query.ts';
import type { Executor } from './executor.ts';

export const CHUNK = 200; // rows per statement (far below both dialects' bind-parameter limits)

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

/** Writes `rows` in chunks of CHUNK through the statement compiled for each chunk's size. */
export async function writeChunked<T>(
  db: Executor,
  statementFor: (rows: number) => CachedQuery<unknown[], unknown>,
  rows: readonly T[],
  argsOf: (row: T) => unknown[],
): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    await statementFor(chunk.length).execute(db, ...chunk.flatMap(argsOf));
  }
}
