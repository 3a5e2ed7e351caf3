import { describe, expect, it } from 'vitest';
import { urlHost } from './start.ts';

describe('the printed URL', () => {
  it('brackets IPv6 hosts and names this machine for the unspecified addresses', () => {
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('fe80::1')).toBe('[fe80::1]');
    expect(urlHost('0.0.0.0')).toBe('localhost');
    expect(urlHost('::')).toBe('localhost');
    expect(urlHost('licenses.example.com')).toBe('licenses.example.com');
    for (const h of ['::1', '127.0.0.1', 'licenses.example.com'])
      expect(new URL(`http://${urlHost(h)}:8080`).port).toBe('8080');
  });
});
