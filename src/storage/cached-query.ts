/**
 * Queries of the client API's hot path, built and compiled by Kysely once per dialect instead
 * of on every call (building and compiling a small query costs more than SQLite running it).
 * The builder receives placeholders in place of its arguments; the compiled SQL is kept and
 * each call only substitutes the arguments into the parameter list. Only for queries whose
 * shape does not depend on the arguments (no `in` lists of varying length, no optional clauses).
 */
import type { Compilable, CompiledQuery, QueryResult } from 'kysely';
import type { Executor } from './executor.ts';

const MARK = '\u0000licstat-arg-';

interface Compiled {
  sql: string;
  /** per parameter: index of the call argument, or -1 for a constant kept from the build */
  from: number[];
  constants: unknown[];
  query: CompiledQuery['query'];
}

export interface CachedQuery<A extends readonly unknown[], R> {
  execute(db: Executor, ...args: A): Promise<QueryResult<R>>;
  /** the SQL and parameters `execute` would run (to combine several statements into one) */
  compiled(db: Executor, ...args: A): { sql: string; parameters: unknown[] };
}

/**
 * `build(db, $)` returns the query; `$(i)` stands for the i-th call argument (typed `never` so it
 * fits any column). Arguments must not be undefined (like Kysely values).
 */
export function cachedQuery<A extends readonly unknown[], R>(
  build: (db: Executor, $: (i: number) => never) => Compilable<R>,
): CachedQuery<A, R> {
  // keyed by the dialect's adapter class: the SQL text differs between SQLite and PostgreSQL
  const byDialect = new Map<unknown, Compiled>();
  const compile = (db: Executor): Compiled => {
    const c = build(db, (i) => `${MARK}${i}` as never).compile();
    const from: number[] = [];
    const constants: unknown[] = [];
    for (const p of c.parameters) {
      if (typeof p === 'string' && p.startsWith(MARK)) {
        from.push(Number(p.slice(MARK.length)));
        constants.push(undefined);
      } else {
        from.push(-1);
        constants.push(p);
      }
    }
    return { sql: c.sql, from, constants, query: c.query };
  };
  const compiledFor = (db: Executor): Compiled => {
    const dialect = db.getExecutor().adapter.constructor;
    let c = byDialect.get(dialect);
    if (!c) {
      c = compile(db);
      byDialect.set(dialect, c);
    }
    return c;
  };
  const parametersOf = (c: Compiled, args: A) => c.from.map((i, k) => (i < 0 ? c.constants[k] : args[i]));
  return {
    execute(db, ...args) {
      const c = compiledFor(db);
      return db.executeQuery<R>({
        sql: c.sql,
        parameters: parametersOf(c, args),
        query: c.query,
        queryId: { queryId: '' },
      } as CompiledQuery<R>);
    },
    compiled(db, ...args) {
      const c = compiledFor(db);
      return { sql: c.sql, parameters: parametersOf(c, args) };
    },
  };
}
