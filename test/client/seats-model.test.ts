/**
 * Random sequences of starts, renewals, ends and clock moves on a multi-user item, checked step
 * by step against a brute-force model of who holds a seat.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { auth, fixture, ledgerOf } from './fixtures.ts';

type Op =
  | { op: 'start' }
  | { op: 'renew'; pick: number }
  | { op: 'end'; pick: number }
  | { op: 'advance'; ms: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ op: 'start' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('renew' as const), pick: fc.nat(50) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('end' as const), pick: fc.nat(50) }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 900_000 }) }),
  },
);

describe.each(DIALECTS)('seat model on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  it('every start, renewal and end agrees with the brute-force model', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 25 }), async (ops) => {
        const quota = 3;
        const leaseMs = 600_000;
        const f = await fixture(t.deps, { model: 'multi-user', quota, refreshS: leaseMs / 1000 });
        // model: session id -> {seat, expires, ended}
        const model = new Map<string, { seat: boolean; expires: number; ended: boolean }>();
        const ids: string[] = [];
        let starts = 0;
        let fulls = 0;
        const held = (now: number) =>
          [...model.values()].filter((s) => s.seat && !s.ended && s.expires > now).length;
        for (const o of ops) {
          const now = t.clock.now();
          if (o.op === 'advance') {
            t.clock.advance(o.ms);
          } else if (o.op === 'start') {
            const r = await t.app.inject({
              method: 'POST',
              url: '/api/v1/client/sessions',
              headers: auth(f.code.code),
              payload: { fingerprint: `m${starts}`, email: 'e@x' },
            });
            starts++;
            const expectFull = held(now) < quota;
            expect(r.json().session.mode).toBe(expectFull ? 'full' : 'limited');
            if (expectFull) fulls++;
            model.set(r.json().session.id, { seat: expectFull, expires: now + leaseMs, ended: false });
            ids.push(r.json().session.id);
          } else if (ids.length > 0) {
            const id = ids[o.pick % ids.length]!;
            const s = model.get(id)!;
            const r = await t.app.inject({
              method: 'POST',
              url: `/api/v1/client/sessions/${id}/${o.op}`,
              headers: auth(f.code.code),
            });
            if (o.op === 'renew') {
              if (s.ended || s.expires <= now) {
                expect(r.statusCode).toBe(410);
                s.ended = true;
              } else {
                expect(r.statusCode).toBe(200);
                s.expires = now + leaseMs;
              }
            } else {
              expect(r.statusCode).toBe(200);
              s.ended = true;
            }
          }
        }
        const l = await ledgerOf(t.deps, f.item.id);
        expect(l.byKind.checkout?.rows ?? 0).toBe(fulls);
        expect(l.byKind.declined?.rows ?? 0).toBe(starts - fulls);
      }),
      { numRuns: 25 },
    );
  });
});
