import { describe, expect, it } from 'vitest';
import { QUARTER_MS } from '../time-buckets.ts';
import { readPlan } from './read-plan.ts';

const Q = QUARTER_MS;

describe('read plan: rollups for the aligned interior, ledger for the edges', () => {
  it('an aligned window is read from rollups only', () => {
    expect(readPlan({ from: 4 * Q, to: 8 * Q })).toEqual({ rollup: { from: 4 * Q, to: 8 * Q }, raw: [] });
  });
  it('unaligned edges go to the ledger up to the next quarter', () => {
    expect(readPlan({ from: 4 * Q + 7, to: 8 * Q + 9 })).toEqual({
      rollup: { from: 5 * Q, to: 8 * Q },
      raw: [
        { from: 4 * Q + 7, to: 5 * Q },
        { from: 8 * Q, to: 8 * Q + 9 },
      ],
    });
  });
  it('a window inside one quarter is read from the ledger', () => {
    expect(readPlan({ from: 4 * Q + 7, to: 4 * Q + 90 })).toEqual({
      rollup: null,
      raw: [{ from: 4 * Q + 7, to: 4 * Q + 90 }],
    });
  });
  it('unbounded sides stay unbounded; unaligned buckets force the ledger', () => {
    expect(readPlan({ from: null, to: null })).toEqual({ rollup: { from: null, to: null }, raw: [] });
    expect(readPlan({ from: 0, to: Q }, false)).toEqual({ rollup: null, raw: [{ from: 0, to: Q }] });
  });
});
