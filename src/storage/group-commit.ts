/**
 * Group commit for SQLite. Every SQLite commit with synchronous=FULL costs an fsync (~3 ms here),
 * and SQLite has one writer, so one transaction per request caps a server at a few hundred
 * writes per second. Instead, transactions that arrive while one is committing are queued and run
 * back to back inside ONE database transaction, each inside its own savepoint: a unit that throws
 * is rolled back to its savepoint alone, the others commit together with a single fsync, and no
 * caller is answered before the commit that holds its writes is durable.
 * Units run one after another, so each sees the writes of those before it: serial semantics,
 * exactly as if they had been separate transactions. (PostgreSQL does this itself: it is not used there.)
 *
 * better-sqlite3 is synchronous, so a whole group runs in microtasks without ever yielding to
 * the event loop: started at once, the first request of a burst would commit alone while the
 * others still sit unparsed in their sockets. A group therefore starts on setImmediate, after the
 * event loop has handled every request that arrived meanwhile (they all join the group).
 */
import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

interface Job {
  fn: (trx: Transaction<Database>) => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

// compiled once: a group runs them for every unit
const SAVEPOINT = CompiledQuery.raw('savepoint licstat_unit');
const RELEASE = CompiledQuery.raw('release savepoint licstat_unit');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint licstat_unit');

/**
 * State a group keeps beside its transaction, such as writes deferred to the end of the group
 * (rollup-writer.ts): opened before the first unit; marked before each unit and rewound to the
 * mark when that unit is rolled back to its savepoint; closed (it may still write) just before
 * the commit; discarded once the group ends, committed or not.
 */
export interface GroupScope<M = unknown> {
  open(trx: Transaction<Database>): void;
  mark(trx: Transaction<Database>): M;
  rewind(trx: Transaction<Database>, mark: M): void;
  close(trx: Transaction<Database>): Promise<void>;
  discard(trx: Transaction<Database>): void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommitter {
  private queue: Job[] = [];
  private running = false;

  constructor(
    private readonly kysely: Kysely<Database>,
    private readonly scope?: GroupScope,
    private readonly maxGroup = 64,
  ) {}

  run<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup);
        const outcomes: Outcome[] = [];
        try {
          await this.kysely.transaction().execute(async (trx) => {
            const scope = this.scope;
            scope?.open(trx);
            try {
              for (const job of group) {
                if (group.length === 1) {
                  // Alone: no savepoint needed; an error rolls the whole transaction back.
                  outcomes.push({ ok: true, value: await job.fn(trx) });
                  continue;
                }
                const mark = scope?.mark(trx);
                await trx.executeQuery(SAVEPOINT);
                try {
                  const value = await job.fn(trx);
                  await trx.executeQuery(RELEASE);
                  outcomes.push({ ok: true, value });
                } catch (error) {
                  await trx.executeQuery(ROLLBACK_TO);
                  await trx.executeQuery(RELEASE);
                  scope?.rewind(trx, mark);
                  outcomes.push({ ok: false, error });
                }
              }
              await scope?.close(trx);
            } finally {
              scope?.discard(trx);
            }
          });
        } catch (error) {
          // The commit itself (or a lone unit) failed: nothing of the group is durable.
          for (const job of group) job.reject(error);
          continue;
        }
        group.forEach((job, i) => {
          const o = outcomes[i]!;
          if (o.ok) job.resolve(o.value);
          else job.reject(o.error);
        });
        // Let requests that arrived during this group join the next one.
        if (this.queue.length > 0) await new Promise((r) => setImmediate(r));
      }
    } finally {
      this.running = false;
    }
  }
}
