import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultUsageOrder, effectiveUsageOrder, parseUsageOrder, splitCount } from './usage-order.ts';

const item = (id: string, validTo: number, remaining: number) => ({ id, validTo, remaining });

describe('license usage order', () => {
  it('default: expires first, then most quota left, then id', () => {
    const order = defaultUsageOrder([
      item('c', 300, 5),
      item('a', 200, 1),
      item('b', 200, 9),
      item('d', 200, 9),
    ]);
    expect(order.map((i) => i.id)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('custom order wins for the items it lists; the rest follow by default', () => {
    const items = [item('a', 100, 1), item('b', 200, 1), item('c', 50, 1)];
    expect(effectiveUsageOrder(items, ['b', 'gone']).map((i) => i.id)).toEqual(['b', 'c', 'a']);
    expect(effectiveUsageOrder(items, null).map((i) => i.id)).toEqual(['c', 'a', 'b']);
  });

  it('parses stored orders defensively', () => {
    expect(parseUsageOrder('["LI-1","LI-2"]')).toEqual(['LI-1', 'LI-2']);
    expect(parseUsageOrder('{')).toBeNull();
    expect(parseUsageOrder('[1]')).toBeNull();
    expect(parseUsageOrder(null)).toBeNull();
  });
});

describe('splitting a metered batch', () => {
  it('fills the first item, then the next', () => {
    expect(splitCount(150, [item('x', 1, 100), item('y', 2, 1000)])).toEqual([
      { id: 'x', count: 100 },
      { id: 'y', count: 50 },
    ]);
  });

  it('records what is left as overage on the last item', () => {
    expect(splitCount(30, [item('x', 1, 10), item('y', 2, 0), item('z', 3, 5)])).toEqual([
      { id: 'x', count: 10 },
      { id: 'z', count: 20 },
    ]);
    expect(splitCount(7, [item('x', 1, 0)])).toEqual([{ id: 'x', count: 7 }]);
  });

  it('never drops or invents units and never exceeds a non-last item', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 6 }),
        (count, rems) => {
          const cands = rems.map((r, i) => ({ id: `i${i}`, remaining: r }));
          const out = splitCount(count, cands);
          expect(out.reduce((s, a) => s + a.count, 0)).toBe(count);
          for (const a of out) {
            const idx = cands.findIndex((c) => c.id === a.id);
            if (idx < cands.length - 1) expect(a.count).toBeLessThanOrEqual(cands[idx]!.remaining);
          }
        },
      ),
    );
  });
});
