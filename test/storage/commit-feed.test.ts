/**
 * The commit feed (server/events/commit-feed.ts) hands on what each write transaction changed,
 * only once it committed. Concurrent transactions (one SQLite group commit; separate PostgreSQL
 * transactions) must each publish exactly their own changes, and a rolled-back one nothing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/core/ledger-event.ts';
import { installCommitFeed } from '../../src/server/events/commit-feed.ts';
import { migrateToLatest, openDb } from '../../src/storage/db.ts';
import type { Change } from '../../src/storage/ledger-feed.ts';
import { noteSessionChange } from '../../src/storage/ledger-feed.ts';
import { appendEvents } from '../../src/storage/ledger-repository.ts';
import { DIALECTS } from '../support/dialects.ts';
import { ledgerEvent } from '../support/ledger-events.ts';

describe.each(DIALECTS)('commit feed ($name)', (dialect) => {
  const db = openDb(dialect.url());
  afterAll(() => db.close());

  it('publishes each committed transaction’s own changes once, and nothing of a rolled-back one', async () => {
    await migrateToLatest(db);
    const published: Change[][] = [];
    installCommitFeed(db, (changes) => published.push(changes));
    const tag = `${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
    const org = `org-feed-${tag}`;
    const event = (item: string, kind: LedgerEvent['kind']) =>
      ledgerEvent({ organizationId: org, licenseItemId: item, kind, at: Date.now() });
    const results = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        db.transaction(async (trx) => {
          const item = `itm-${tag}-${i}`;
          await appendEvents(trx, [event(item, 'checkout'), event(item, 'scan')]);
          noteSessionChange(trx, org, `itm-${tag}-session-${i}`);
          if (i % 3 === 2) throw new Error(`unit ${i} rolls back`);
          return i;
        }),
      ),
    );
    const committed = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(committed).toHaveLength(20);
    const mine = published.filter((p) => p.some((c) => c.organizationId === org));
    // one publication per committed transaction, with its own item's kinds and session change
    expect(mine).toHaveLength(20);
    const byItem = mine.map((changes) =>
      changes.map((c) => `${c.licenseItemId}:${[...c.kinds].sort().join(',')}`).sort(),
    );
    expect(byItem.sort()).toEqual(
      committed.map((i) => [`itm-${tag}-${i}:checkout,scan`, `itm-${tag}-session-${i}:`].sort()).sort(),
    );
  });
});
