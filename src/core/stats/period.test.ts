import { describe, expect, it } from 'vitest';
import { LicstatError } from '../../contract/errors.ts';
import { localDateStart } from '../time-buckets.ts';
import { resolvePeriod } from './period.ts';

const now = Date.parse('2026-06-15T12:34:00Z');
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof LicstatError ? e.code : 'OTHER';
  }
  return undefined;
};

describe('stats period', () => {
  it('defaults: the last 30 days ending at the end of today, in the saved zone', () => {
    const p = resolvePeriod({}, { now, savedTimeZone: 'Asia/Kathmandu' });
    expect(p.tz).toBe('Asia/Kathmandu');
    expect(p.to).toBe(localDateStart('2026-06-16', 'Asia/Kathmandu'));
    expect(p.from).toBe(localDateStart('2026-05-17', 'Asia/Kathmandu'));
    expect(p.granularity).toBe('day');
    expect(p.today).toEqual({ start: localDateStart('2026-06-15', 'Asia/Kathmandu'), end: p.to });
  });
  it('UTC when the user has no valid saved zone', () => {
    expect(resolvePeriod({}, { now, savedTimeZone: 'Mars/Olympus' }).tz).toBe('UTC');
  });
  it('local dates are local midnights; instants are instants', () => {
    const p = resolvePeriod(
      { from: '2026-03-08', to: '2026-03-09T00:00:00-05:00', tz: 'America/New_York' },
      { now },
    );
    expect(p.from).toBe(Date.parse('2026-03-08T05:00:00Z'));
    expect(p.to).toBe(Date.parse('2026-03-09T05:00:00Z'));
    expect(p.granularity).toBe('2h');
  });
  it('refuses bad periods with clear codes', () => {
    expect(codeOf(() => resolvePeriod({ from: '2026-02-01', to: '2026-01-01' }, { now }))).toBe(
      'INVALID_PERIOD',
    );
    expect(codeOf(() => resolvePeriod({ from: '2026-01-01', to: '2026-01-01' }, { now }))).toBe(
      'INVALID_PERIOD',
    );
    expect(codeOf(() => resolvePeriod({ tz: 'Nowhere/Else' }, { now }))).toBe('INVALID_TIME_ZONE');
    expect(codeOf(() => resolvePeriod({ from: '2000-01-01', to: '2100-01-01' }, { now }))).toBe(
      'INVALID_PERIOD',
    );
    expect(codeOf(() => resolvePeriod({ from: 'yesterday' }, { now }))).toBe('INVALID_PERIOD');
    expect(codeOf(() => resolvePeriod({ from: '2026-02-30' }, { now }))).toBe('INVALID_PERIOD');
    expect(codeOf(() => resolvePeriod({ from: '2024-01-01', granularity: '2h' }, { now }))).toBe(
      'INVALID_PERIOD',
    );
  });
});
