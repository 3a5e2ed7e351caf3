import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';

describe('login throttle per address', () => {
  it('blocks an address after too many failures in the window, then releases it', () => {
    const t = new LoginThrottle(3, 1000, 100);
    for (let i = 0; i < 3; i++) {
      expect(t.blockedFor('a', 10)).toBe(0);
      t.fail('a', 10);
    }
    expect(t.blockedFor('a', 10)).toBe(1000);
    expect(t.blockedFor('b', 10)).toBe(0);
    expect(t.blockedFor('a', 1010)).toBe(0);
  });
  it('stays bounded in memory', () => {
    const t = new LoginThrottle(3, 1000, 10);
    for (let i = 0; i < 1000; i++) t.fail(`ip${i}`, 0);
    expect((t as unknown as { failures: Map<string, unknown> }).failures.size).toBeLessThanOrEqual(10);
  });
});
