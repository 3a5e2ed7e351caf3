/**
 * Publishes what each write transaction changed once it has committed: wraps Db.transaction so
 * the use case runs inside a change collector (storage/ledger-feed.ts) and hands the collected
 * changes to `onCommit` only after the commit resolved. A rolled-back transaction publishes nothing.
 */
import type { Db } from '../../storage/db.ts';
import { type Change, collectChanges, mergeChanges } from '../../storage/ledger-feed.ts';

const wrapped = new WeakSet<Db>();

export function installCommitFeed(db: Db, onCommit: (changes: Change[]) => void): void {
  if (wrapped.has(db)) return;
  wrapped.add(db);
  const inner = db.transaction.bind(db);
  db.transaction = async (fn) => {
    const changes: Change[] = [];
    const result = await inner((trx) => collectChanges(trx, changes, () => fn(trx)));
    if (changes.length > 0) onCommit(mergeChanges(changes));
    return result;
  };
}
