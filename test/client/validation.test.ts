/** Bad input never reaches the ledger and never yields a 500. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { auth, fixture, orgLedgerRows, suffix } from './fixtures.ts';

describe.each(DIALECTS)('client input validation on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  it('malformed bodies, unknown keys, wrong types, huge and negative numbers are 4xx and write nothing', async () => {
    const f = await fixture(t.deps, { model: 'per-scan', quota: 100 });
    const mul = await fixture(t.deps, { model: 'multi-user', quota: 2 });
    const at = new Date(t.clock.now()).toISOString();
    const ev = (o: Record<string, unknown> = {}) => ({ kind: 'scan', count: 1, at, ...o });
    const usage = (o: Record<string, unknown>) => ({
      batchId: `b-${suffix()}`,
      fingerprint: 'd',
      events: [ev()],
      ...o,
    });
    const cases: [string, string, unknown, string?][] = [
      ['/client/usage', f.code.code, usage({ extra: 1 })],
      ['/client/usage', f.code.code, usage({ events: [] })],
      ['/client/usage', f.code.code, usage({ events: Array.from({ length: 1001 }, () => ev()) })],
      ['/client/usage', f.code.code, usage({ events: [ev({ count: -5 })] })],
      ['/client/usage', f.code.code, usage({ events: [ev({ count: 0 })] })],
      ['/client/usage', f.code.code, usage({ events: [ev({ count: 1e12 })] })],
      ['/client/usage', f.code.code, usage({ events: [ev({ count: 1.5 })] })],
      ['/client/usage', f.code.code, usage({ events: [ev({ count: { n: 1 } })] })],
      ['/client/usage', f.code.code, usage({ events: [ev({ kind: 'checkout' })] })],
      ['/client/usage', f.code.code, usage({ events: [ev({ at: 'yesterday' })] })],
      ['/client/usage', f.code.code, usage({ events: [ev({ at: '2026-13-45T99:00:00Z' })] })],
      ['/client/usage', f.code.code, usage({ events: [ev({ surprise: true })] })],
      ['/client/usage', f.code.code, usage({ batchId: 'x'.repeat(500) })],
      ['/client/usage', f.code.code, usage({ fingerprint: { a: 1 } })],
      ['/client/usage', f.code.code, usage({ fingerprint: ['a'] })],
      ['/client/usage', f.code.code, usage({ events: [ev({ count: '5' })] })],
      ['/client/usage', f.code.code, usage({ events: [ev({ count: true })] })],
      ['/client/usage', f.code.code, usage({ events: ev() })],
      ['/client/usage', f.code.code, usage({ batchId: 12 })],
      ['/client/usage', f.code.code, usage({ project: 'NO-SUCH-PROJECT' }), 'PROJECT_NOT_FOUND'],
      ['/client/usage', 'NOT-A-KEY', usage({}), 'LICENSE_NOT_FOUND'],
      ['/client/usage', mul.code.code, usage({}), 'MODEL_MISMATCH'],
      ['/client/usage', f.code.code, 'not json at all', 'INVALID_JSON'],
      ['/client/usage', f.code.code, [1, 2, 3]],
      ['/client/usage', f.code.code, null],
      ['/client/sessions', mul.code.code, { fingerprint: 'a' }],
      ['/client/sessions', mul.code.code, { fingerprint: '', email: 'e' }],
      ['/client/sessions', mul.code.code, { fingerprint: 'a'.repeat(201), email: 'e' }],
      ['/client/sessions', mul.code.code, { fingerprint: { a: 1 }, email: 'e' }],
      ['/client/sessions', mul.code.code, { fingerprint: 'a', email: 'e', admin: true }, 'VALIDATION_FAILED'],
      [
        '/client/sessions',
        mul.code.code,
        { fingerprint: 'a', email: 'e', project: 'NOPE' },
        'PROJECT_NOT_FOUND',
      ],
      ['/client/activations', mul.code.code, { hostname: 'h' }],
      ['/client/takes', mul.code.code, { fingerprint: 'a' }],
    ];
    for (const [path, key, body, code] of cases) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1${path}`,
        headers: { ...auth(key), 'content-type': 'application/json' },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      });
      expect(r.statusCode, `${path} ${JSON.stringify(body)?.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
      const err = r.json().error;
      expect(typeof err.code).toBe('string');
      expect(typeof err.message).toBe('string');
      if (code) expect(err.code).toBe(code);
      else expect(err.code).toMatch(/^(VALIDATION_FAILED|INVALID_JSON)$/);
    }
    const extra = await t.app.inject({
      method: 'POST',
      url: '/api/v1/client/sessions',
      headers: auth(mul.code.code),
      payload: { fingerprint: 'a', email: 'e', admin: true },
    });
    expect(extra.json().error.message).toBe('body has an unknown property: admin');
    expect(await orgLedgerRows(t.deps, f.org.id)).toBe(0);
    expect(await orgLedgerRows(t.deps, mul.org.id)).toBe(0);
    const sessions = await t.deps.db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('organization_id', 'in', [f.org.id, mul.org.id])
      .execute();
    expect(sessions).toHaveLength(0);
  });

  it('unknown session and activation ids are 404, odd ids are 4xx', async () => {
    const f = await fixture(t.deps, { model: 'multi-user', quota: 2 });
    for (const [method, url] of [
      ['POST', '/api/v1/client/sessions/ses_nope/renew'],
      ['POST', '/api/v1/client/sessions/ses_nope/end'],
      ['DELETE', '/api/v1/client/activations/act_nope'],
      ['POST', `/api/v1/client/sessions/${'x'.repeat(300)}/renew`],
    ] as const) {
      const r = await t.app.inject({ method, url, headers: auth(f.code.code) });
      expect(r.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
  });
});
