import type { Executor } from './executor.ts';

/** Next value of a named sequence, portable across SQLite and PostgreSQL (atomic upsert). */
export async function nextCounter(db: Executor, name: string): Promise<number> {
  const row = await db
    .insertInto('counters')
    .values({ name, value: 1 })
    .onConflict((oc) => oc.column('name').doUpdateSet((eb) => ({ value: eb('counters.value', '+', 1) })))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}
