/**
 * What a write transaction changed, collected while it runs and published only after it commits
 * (alerts and the live feed must never see a write that rolls back). appendEvents and the session
 * use cases note their changes here; the server's commit feed (server/events/commit-feed.ts) runs
 * each transaction inside a collector and hands the changes on once the commit is durable.
 * Outside a collector (CLI, seeding) noting is a no-op.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { LedgerEvent } from '../core/ledger-event.ts';

export interface Change {
  organizationId: string;
  licenseItemId: string;
  /** ledger kinds written (empty for session renewals/ends) */
  kinds: string[];
}

const collector = new AsyncLocalStorage<Change[]>();

export function noteLedgerEvents(events: readonly LedgerEvent[]): void {
  const store = collector.getStore();
  if (!store) return;
  for (const e of events)
    store.push({ organizationId: e.organizationId, licenseItemId: e.licenseItemId, kinds: [e.kind] });
}

export function noteSessionChange(organizationId: string, licenseItemId: string): void {
  collector.getStore()?.push({ organizationId, licenseItemId, kinds: [] });
}

/** Runs fn collecting the changes it notes (into `into`). */
export function collectChanges<T>(into: Change[], fn: () => Promise<T>): Promise<T> {
  return collector.run(into, fn);
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
