import { describe, expect, test } from 'vitest';
import { backoffDelay, renewalDelay } from './backoff.ts';

describe('backoffDelay', () => {
  const opts = { baseMs: 1000, maxMs: 60_000 };
  test('doubles per attempt between half and the whole step, capped', () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const step = Math.min(60_000, 1000 * 2 ** attempt);
      expect(backoffDelay(attempt, opts, () => 0)).toBe(step / 2);
      expect(backoffDelay(attempt, opts, () => 0.999999)).toBeLessThanOrEqual(step);
      expect(backoffDelay(attempt, opts, () => 0.999999)).toBeGreaterThan(step * 0.99);
    }
    expect(backoffDelay(1000, opts, () => 1)).toBe(60_000);
  });
});

describe('renewalDelay', () => {
  test('renews at 50–80 % of the lease life, from now', () => {
    const issued = 1_000_000;
    const expires = issued + 86_400_000;
    expect(renewalDelay(issued, expires, issued, () => 0)).toBe(43_200_000);
    expect(renewalDelay(issued, expires, issued, () => 1)).toBe(Math.round(86_400_000 * 0.8));
    // measured from now, never negative
    expect(renewalDelay(issued, expires, issued + 10_000, () => 0)).toBe(43_190_000);
    expect(renewalDelay(issued, expires, expires + 1, () => 0)).toBe(0);
  });
});
