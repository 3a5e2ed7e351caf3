import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distinctPrefixes } from './activation-prefix.ts';
import { newLicenseCode } from './ids.ts';

describe('activation code prefixes', () => {
  it('uses the first group when it is unique', () => {
    const m = distinctPrefixes(['K7QX-M2PA-9F3D', 'AB12-CD34-EF56']);
    expect(m.get('K7QX-M2PA-9F3D')).toBe('K7QX');
    expect(m.get('AB12-CD34-EF56')).toBe('AB12');
  });
  it('lengthens by whole groups until unique', () => {
    const m = distinctPrefixes(['K7QX-M2PA-9F3D', 'K7QX-M2PB-0000', 'K7QX-M2PA-9F3E']);
    expect(m.get('K7QX-M2PB-0000')).toBe('K7QX-M2PB');
    expect(m.get('K7QX-M2PA-9F3D')).toBe('K7QX-M2PA-9F3D');
  });
  it('every prefix starts its code, is group-aligned, at least 4 long, and no other code starts with it', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('AAAA', 'AAAB', 'BBBB'), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 30 }),
        (heads, n) => {
          const codes = Array.from(
            { length: n },
            (_, i) => `${heads[i % heads.length]}-${newLicenseCode(2)}`,
          );
          const m = distinctPrefixes(codes);
          for (const c of new Set(codes)) {
            const p = m.get(c)!;
            expect(c.startsWith(p)).toBe(true);
            expect(p.length).toBeGreaterThanOrEqual(4);
            expect(c.length === p.length || c[p.length] === '-').toBe(true);
            for (const o of codes) if (o !== c) expect(o.startsWith(p)).toBe(false);
            // shortest: the previous group prefix is shared with another code
            const shorter = p.split('-').slice(0, -1).join('-');
            if (shorter.length >= 4) expect(codes.some((o) => o !== c && o.startsWith(shorter))).toBe(true);
          }
        },
      ),
    );
  });
});
