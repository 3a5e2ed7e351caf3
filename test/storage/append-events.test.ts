/**
 * appendEvents writes the events and their rollup levels as statements that PostgreSQL receives
 * as one (storage/multi-row.ts runStatements): large appends (several chunks per table, more
 * parameters than one combined statement takes) and appends onto existing cells must leave every
 * rollup table equal to brute force over the ledger, on both databases.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../../src/core/ledger-event.ts';
import { migrateToLatest, openDb } from '../../src/storage/db.ts';
import { appendEvents } from '../../src/storage/ledger-repository.ts';
import { DIALECTS } from '../support/dialects.ts';
import { ledgerEvent } from '../support/ledger-events.ts';
import { rollupsAndBruteForce } from '../support/rollup-brute-force.ts';

const T0 = Date.UTC(2026, 10, 20, 22);

function events(item: string, n: number, seed: number): LedgerEvent[] {
  return Array.from({ length: n }, (_, i) => {
    const kind = (['scan', 'device_seen', 'checkout', 'full_access'] as const)[(i + seed) % 4]!;
    return ledgerEvent({
      organizationId: 'org-append',
      licenseItemId: item,
      kind,
      at: T0 + ((i * 7_919 + seed * 104_729) % (30 * 3_600_000)), // spread over 30 hours
      projectId: i % 5 === 0 ? 'prj-b' : null,
      count: kind === 'scan' ? 1 + (i % 9) : 1,
      fingerprint: `fp-${(i * 31 + seed) % 900}`,
    });
  });
}

describe.each(DIALECTS)('appendEvents on $name', (dialect) => {
  const db = openDb(dialect.url());
  afterAll(() => db.close());

  it('a large append and appends onto its cells equal brute force at every rollup level', async () => {
    await migrateToLatest(db);
    const item = `itm-append-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
    // 4,000 events: ~900 device cells per presence level (5 chunks of 200), over 70,000 parameters in all
    await db.transaction((trx) => appendEvents(trx, events(item, 4_000, 1)));
    for (let seed = 2; seed < 6; seed++)
      await db.transaction((trx) => appendEvents(trx, events(item, 40, seed)));
    const ledger = await db.kysely
      .selectFrom('usage_events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('license_item_id', '=', item)
      .executeTakeFirstOrThrow();
    expect(Number(ledger.n)).toBe(4_160);
    const tables = await rollupsAndBruteForce(db.kysely, item);
    expect(tables.find((t) => t.table === 'device_presence')!.stored.length).toBeGreaterThan(400);
    for (const { table, stored, expected } of tables) {
      expect(stored.length, table).toBeGreaterThan(0);
      expect(stored, table).toEqual(expected);
    }
  });
});
