import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMEOUT_MS, realTimers } from './timers.ts';

describe('real timers', () => {
  afterEach(() => vi.useRealTimers());

  it('wait longer than one setTimeout can (a 90-day lease) without firing early', () => {
    vi.useFakeTimers();
    const fired: number[] = [];
    const ninetyDays = 90 * 86_400_000;
    expect(ninetyDays).toBeGreaterThan(MAX_TIMEOUT_MS);
    realTimers.set(() => fired.push(Date.now()), ninetyDays);
    const start = Date.now();
    vi.advanceTimersByTime(MAX_TIMEOUT_MS + 1);
    vi.advanceTimersByTime(ninetyDays - MAX_TIMEOUT_MS - 2);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([start + ninetyDays]);
  });

  it('a long wait can be cleared in any of its steps', () => {
    vi.useFakeTimers();
    let fired = 0;
    const h = realTimers.set(() => fired++, 3 * MAX_TIMEOUT_MS);
    vi.advanceTimersByTime(MAX_TIMEOUT_MS + 5);
    realTimers.clear(h);
    vi.advanceTimersByTime(3 * MAX_TIMEOUT_MS);
    expect(fired).toBe(0);
  });
});
