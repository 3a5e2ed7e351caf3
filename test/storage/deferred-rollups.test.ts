/**
 * Rollups deferred to the end of a SQLite group commit (storage/rollup-writer.ts) must equal, at
 * every level, a brute-force aggregation of the ledger rows that committed: units rolled back to
 * their savepoints leave nothing, and a flush inside a unit that is then rolled back must not
 * lose the earlier units' cells it wrote.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/core/ledger-event.ts';
import { migrateToLatest, openDb } from '../../src/storage/db.ts';
import { appendEvents } from '../../src/storage/ledger-repository.ts';
import { readSums } from '../../src/storage/stats/read-usage.ts';
import { scansSince } from '../../src/storage/usage-batch-repository.ts';
import { ledgerEvent } from '../support/ledger-events.ts';
import { rollupsAndBruteForce } from '../support/rollup-brute-force.ts';

const db = openDb(`sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-defer-')), 'defer.db')}`);
await migrateToLatest(db);
afterAll(() => db.close());

const T0 = Date.UTC(2026, 10, 25, 23, 50); // ten minutes before a UTC midnight: cells of two days

function event(item: string, i: number, kind: 'scan' | 'device_seen' | 'checkout'): LedgerEvent {
  return ledgerEvent({
    organizationId: 'org-defer',
    licenseItemId: item,
    kind,
    at: T0 + ((i * 7 * 60_000) % (40 * 60_000)), // spread over 40 minutes
    projectId: i % 3 === 0 ? 'prj-a' : null,
    count: kind === 'scan' ? 1 + (i % 4) : 1,
    fingerprint: `fp-${i % 5}`,
  });
}

const scansInLedger = async (item: string) =>
  Number(
    (
      await db.kysely
        .selectFrom('usage_events')
        .select(sql<number>`coalesce(sum(count), 0)`.as('n'))
        .where('license_item_id', '=', item)
        .where('kind', '=', 'scan')
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('rollups deferred to the end of a group commit', () => {
  it('equal brute force over the committed ledger; each unit sees the scans of the units before it', async () => {
    const item = `itm-defer-${Date.now()}`;
    const seen: { before: number; seen: number }[] = [];
    let scansCommittedBefore = 0;
    // Started in one tick, so they join one group (at most 64).
    const units = Array.from({ length: 48 }, (_, i) =>
      db.transaction(async (trx) => {
        const events = [
          event(item, i, 'scan'),
          event(item, i, 'device_seen'),
          event(item, i + 1, 'checkout'),
        ];
        if (i % 6 === 5) {
          // reads the rollups inside the group: must see every scan of the units before it
          seen.push({ before: scansCommittedBefore, seen: await scansSince(trx, item, 0) });
        }
        await appendEvents(trx, events);
        if (i % 4 === 3) throw new Error(`unit ${i} fails after appending`);
        scansCommittedBefore += events[0]!.count;
        return i;
      }),
    );
    const results = await Promise.allSettled(units);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(12);
    expect(seen.length).toBe(8);
    for (const s of seen) expect(s.seen).toBe(s.before);
    expect(await scansInLedger(item)).toBe(scansCommittedBefore);
    for (const { table, stored, expected } of await rollupsAndBruteForce(db.kysely, item)) {
      expect(stored.length, table).toBeGreaterThan(0);
      expect(stored, table).toEqual(expected);
    }
  });

  it('a unit that flushes the queue and then rolls back does not lose the earlier units’ cells', async () => {
    const item = `itm-defer-rb-${Date.now()}`;
    const units = [
      db.transaction(async (trx) =>
        appendEvents(trx, [event(item, 1, 'scan'), event(item, 1, 'device_seen')]),
      ),
      db.transaction(async (trx) => {
        await appendEvents(trx, [event(item, 2, 'scan'), event(item, 2, 'device_seen')]);
        await scansSince(trx, item, 0); // flushes units 1 and 2 inside this unit's savepoint
        throw new Error('rolled back after the flush');
      }),
      db.transaction(async (trx) =>
        appendEvents(trx, [event(item, 3, 'scan'), event(item, 4, 'device_seen')]),
      ),
    ];
    const results = await Promise.allSettled(units);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await scansInLedger(item)).toBe(event(item, 1, 'scan').count + event(item, 3, 'scan').count);
    for (const { table, stored, expected } of await rollupsAndBruteForce(db.kysely, item)) {
      expect(stored.length, table).toBeGreaterThan(0);
      expect(stored, table).toEqual(expected);
    }
  });

  it('reads side by side inside a group all see the whole queue (one flushes, the others wait for it)', async () => {
    const item = `itm-defer-rd-${Date.now()}`;
    const appended = Array.from({ length: 10 }, (_, i) => event(item, i, 'scan'));
    const units = appended.map((e) => db.transaction((trx) => appendEvents(trx, [e])));
    const reader = db.transaction(async (trx) => {
      const window = { from: T0 - 86_400_000, to: T0 + 86_400_000 };
      const filter = { organizationId: 'org-defer', itemIds: [item], kinds: ['scan' as const] };
      const [sums, since, dayOnly] = await Promise.all([
        readSums(trx, filter, { window }),
        scansSince(trx, item, 0),
        readSums(trx, filter, { window: { from: Date.UTC(2026, 10, 25), to: Date.UTC(2026, 10, 26) } }),
      ]);
      return {
        sums: sums.reduce((a, r) => a + r.value, 0),
        since,
        dayOnly: dayOnly.reduce((a, r) => a + r.value, 0),
      };
    });
    await Promise.all(units);
    const seen = await reader;
    const total = appended.reduce((a, e) => a + e.count, 0);
    const firstDay = appended.filter((e) => e.at < Date.UTC(2026, 10, 26)).reduce((a, e) => a + e.count, 0);
    expect(firstDay).toBeGreaterThan(0);
    expect(firstDay).toBeLessThan(total);
    expect(seen).toEqual({ sums: total, since: total, dayOnly: firstDay });
  });
});
