import { describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../core/ledger-event.ts';
import { presenceCells, sumCells } from './rollup-writer.ts';

const HOUR = 3_600_000;
const event = (
  at: number,
  item: string,
  kind: LedgerEvent['kind'],
  fingerprint: string | null,
): LedgerEvent => ({
  organizationId: 'org',
  licenseItemId: item,
  projectId: null,
  activationCodeId: null,
  activationId: null,
  sessionId: null,
  kind,
  count: 1,
  at,
  receivedAt: at,
  email: null,
  fingerprint,
  batchId: null,
});

describe('rollup rows', () => {
  // PostgreSQL locks an upsert's rows in the order given: concurrent batches must meet their
  // shared cells in one order, or they can deadlock
  it('come out in one order whatever order the events came in', () => {
    const events = [
      event(5 * HOUR, 'LI-2', 'scan', 'b'),
      event(1 * HOUR, 'LI-1', 'scan', 'a'),
      event(3 * HOUR, 'LI-2', 'device_seen', 'c'),
      event(2 * HOUR, 'LI-1', 'device_seen', 'a'),
      event(4 * HOUR, 'LI-1', 'device_seen', 'b'),
    ];
    const reversed = [...events].reverse();
    const shuffled = [events[2]!, events[0]!, events[4]!, events[1]!, events[3]!];
    for (const unit of [HOUR, null]) {
      expect(sumCells(reversed, unit)).toEqual(sumCells(events, unit));
      expect(sumCells(shuffled, unit)).toEqual(sumCells(events, unit));
      expect(presenceCells(reversed, unit)).toEqual(presenceCells(events, unit));
      expect(presenceCells(shuffled, unit)).toEqual(presenceCells(events, unit));
    }
    expect(sumCells(events, HOUR).length).toBe(5);
  });
});
