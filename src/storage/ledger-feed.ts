/**
 * What a write transaction changed, collected while it runs and published only after it commits
 * (alerts and the live feed must never see a write that rolls back). appendEvents and the session
 * use cases note their changes here; the server's commit feed (server/events/commit-feed.ts) runs
 * each transaction inside a collector and hands the changes on once the commit is durable.
 * Outside a collector (CLI, seeding) noting is a no-op.
 *
 * The collector is found by the transaction the change was written on, not by async context:
 * an AsyncLocalStorage makes Node 20 run promise hooks on every promise of the process (~7 % of a
 * session start's CPU under load). A transaction has one collector at a time: PostgreSQL gives
 * each its own transaction object, and a SQLite group commit runs its units one after another.
 */
import type { LedgerEvent } from '../core/ledger-event.ts';
import type { Executor } from './executor.ts';

export interface Change {
  organizationId: string;
  licenseItemId: string;
  /** ledger kinds written (empty for session renewals/ends) */
  kinds: string[];
}

const collectors = new WeakMap<object, Change[]>();

export function noteLedgerEvents(db: Executor, events: readonly LedgerEvent[]): void {
  const store = collectors.get(db);
  if (!store) return;
  for (const e of events)
    store.push({ organizationId: e.organizationId, licenseItemId: e.licenseItemId, kinds: [e.kind] });
}

export function noteSessionChange(db: Executor, organizationId: string, licenseItemId: string): void {
  collectors.get(db)?.push({ organizationId, licenseItemId, kinds: [] });
}

/** Runs fn collecting the changes it notes on `trx` (into `into`). */
export async function collectChanges<T>(trx: Executor, into: Change[], fn: () => Promise<T>): Promise<T> {
  collectors.set(trx, into);
  try {
    return await fn();
  } finally {
    collectors.delete(trx);
  }
}

/** Merges changes per (organization, item). */
export function mergeChanges(changes: readonly Change[]): Change[] {
  const m = new Map<string, Change>();
  for (const c of changes) {
    const k = `${c.organizationId}\u0000${c.licenseItemId}`;
    const x = m.get(k);
    if (!x) {
      m.set(k, { ...c, kinds: [...c.kinds] });
      continue;
    }
    for (const kind of c.kinds) if (!x.kinds.includes(kind)) x.kinds.push(kind);
  }
  return [...m.values()];
}
