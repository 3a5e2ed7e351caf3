import { describe, expect, it } from 'vitest';
import { deviceLimit, startOutcome } from './seat-outcome.ts';
import { takesLeft, takeWindowStart } from './takes.ts';
import { eventTimeProblem, isValidAt } from './validity.ts';

describe('session start outcome', () => {
  const base = { quota: 2, activated: false, seatsInUse: 0 };
  it('single-user: activated machines run full, others limited', () => {
    expect(startOutcome({ ...base, model: 'single-user', activated: true }).kinds).toEqual(['full_access']);
    expect(startOutcome({ ...base, model: 'single-user' })).toMatchObject({
      mode: 'limited',
      kinds: ['limited_access'],
    });
  });
  it('multi-user: a free seat is checked out, otherwise declined', () => {
    expect(startOutcome({ ...base, model: 'multi-user', seatsInUse: 1 })).toEqual({
      mode: 'full',
      kinds: ['checkout', 'full_access'],
      holdsSeat: true,
    });
    expect(startOutcome({ ...base, model: 'multi-user', seatsInUse: 2 })).toEqual({
      mode: 'limited',
      reason: 'ALL_SEATS_IN_USE',
      kinds: ['declined', 'limited_access'],
      holdsSeat: false,
    });
  });
  it('per-device records the device; per-scan runs full', () => {
    expect(startOutcome({ ...base, model: 'per-device', activated: true }).kinds).toEqual([
      'device_seen',
      'full_access',
    ]);
    expect(startOutcome({ ...base, model: 'per-scan' }).mode).toBe('full');
    expect(() => startOutcome({ ...base, model: 'hardware-key' })).toThrow();
  });
  it('device limit includes the grace percentage', () => {
    expect(deviceLimit(10, 0)).toBe(10);
    expect(deviceLimit(10, 15)).toBe(11);
    expect(deviceLimit(100, 10)).toBe(110);
  });
});

describe('validity, event times and takes', () => {
  const v = { validFrom: 1000, validTo: 2000 };
  it('validity is half-open', () => {
    expect(isValidAt(v, 1000)).toBe(true);
    expect(isValidAt(v, 1999)).toBe(true);
    expect(isValidAt(v, 2000)).toBe(false);
    expect(isValidAt(v, 999)).toBe(false);
  });
  it('event times: inside validity and at most 5 minutes ahead', () => {
    const wide = { validFrom: 0, validTo: 10 * 86_400_000 };
    const now = 86_400_000;
    expect(eventTimeProblem(wide, now - 3600_000, now)).toBeNull();
    expect(eventTimeProblem(wide, now + 299_000, now)).toBeNull();
    expect(eventTimeProblem(wide, now + 301_000, now)).toMatch(/future/);
    expect(eventTimeProblem({ validFrom: now - 10, validTo: now + 1e9 }, now - 20, now)).toMatch(/validity/);
  });
  it('takes: rolling window and allowance', () => {
    expect(takeWindowStart({ takesPerPeriod: 4, takePeriodDays: 30 }, 31 * 86_400_000)).toBe(86_400_000);
    expect(takesLeft({ takesPerPeriod: 4, takePeriodDays: 30 }, 3)).toBe(1);
    expect(takesLeft({ takesPerPeriod: 4, takePeriodDays: 30 }, 9)).toBe(0);
    expect(takesLeft({ takesPerPeriod: null, takePeriodDays: null }, 9)).toBeNull();
  });
});
