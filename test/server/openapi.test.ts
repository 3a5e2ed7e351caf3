/**
 * The published OpenAPI document covers every route: each operation documents its success answer
 * (a JSON schema, a CSV or event stream, or 204 without a body) and the one error shape with every
 * error code; the live snapshot, readiness and a deletion answer as documented.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/contract/errors.ts';
import { bearerAs } from '../support/auth.ts';
import { type Documented, documentedAnswers } from '../support/documented.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe('the OpenAPI document', () => {
  let t: TestApp;
  let d: Documented;
  beforeAll(async () => {
    t = await createTestApp('sqlite::memory:');
    d = await documentedAnswers(t.app);
  });
  afterAll(async () => t.close());

  it('documents a success answer and the error shape for every operation', () => {
    const operations = Object.entries(d.doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThan(60);
    const unsummarised: string[] = [];
    for (const { path, method, op } of operations) {
      const what = `${method.toUpperCase()} ${path}`;
      if (!(op as { summary?: string }).summary) unsummarised.push(what);
      const success = Object.entries(op.responses).filter(([code]) => code.startsWith('2'));
      expect(success.length, what).toBeGreaterThan(0);
      for (const [code, r] of success) {
        if (code === '204') expect(r.content, what).toBeUndefined();
        else {
          const schemas = Object.values<{ schema?: object }>(r.content ?? {}).map((c) => c.schema);
          expect(schemas.length, `${what} ${code} has content`).toBeGreaterThan(0);
          for (const s of schemas) expect(Object.keys(s ?? {}).length, `${what} ${code}`).toBeGreaterThan(0);
        }
      }
      // how it is authenticated: nothing, a license key, or the portal's bearer token or cookie
      const security = (op as { security?: Record<string, unknown>[] }).security;
      const schemes = security?.flatMap((s) => Object.keys(s)).sort();
      if (
        ['/api/v1/health', '/api/v1/ready', '/api/v1/auth/login', '/api/v1/client/public-key'].includes(path)
      )
        expect(schemes, what).toEqual([]);
      else if (path.startsWith('/api/v1/client/')) expect(schemes, what).toEqual(['license']);
      else expect(schemes, what).toEqual(['bearer', 'cookie']);
      const error = op.responses['4XX']?.content?.['application/json']?.schema;
      expect(error?.properties?.error?.properties?.code?.enum, what).toEqual(Object.keys(ERROR_CODES));
    }
    // a reader of /api/docs sees what each operation does
    expect(unsummarised).toEqual([]);
  });

  it('real answers match it: an error, readiness, a deletion, the live snapshot', async () => {
    const missing = await t.app.inject('/api/v1/license-items/LI-99999');
    expect(missing.statusCode).toBe(401);
    d.expectDocumented('GET', '/api/v1/license-items/{id}', 401, missing.json());

    const ready = await t.app.inject('/api/v1/ready');
    d.expectDocumented('GET', '/api/v1/ready', 200, ready.json());

    const vendor = await bearerAs(t, 'vendor');
    const made = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: vendor.headers,
      payload: { name: 'Scanner', modules: [] },
    });
    const gone = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/products/${made.json().product.id}`,
      headers: vendor.headers,
    });
    expect([gone.statusCode, gone.body]).toEqual([204, '']);

    const orgId = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: vendor.headers,
        payload: { name: 'Live Org' },
      })
    ).json().organization.id;
    const live = await t.app.inject({
      url: `/api/v1/live?organizationId=${orgId}&tz=Asia/Kathmandu`,
      headers: vendor.headers,
    });
    expect(live.statusCode, live.body).toBe(200);
    d.expectDocumented('GET', '/api/v1/live', 200, live.json());
    expect(() => d.expectDocumented('GET', '/api/v1/live', 200, { snapshot: { at: 1 } })).toThrow();
  });
});
