import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAs } from './support/auth.ts';
import { DIALECTS } from './support/dialects.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

describe.each(DIALECTS)('health and errors on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  it('answers health and readiness', async () => {
    expect((await t.app.inject('/api/v1/health')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/api/v1/ready')).statusCode).toBe(200);
  });

  it('unknown routes get the JSON error shape', async () => {
    const r = await t.app.inject('/api/v1/nope');
    expect(r.statusCode).toBe(404);
    expect(r.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('a 401 names the scheme that authenticates: License on the client API, Bearer on the portal', async () => {
    const client = await t.app.inject({
      method: 'POST',
      url: '/api/v1/client/sessions',
      headers: { authorization: 'License nope' },
      payload: { fingerprint: 'f', email: 'e@example.com' },
    });
    expect([client.statusCode, client.headers['www-authenticate']]).toEqual([
      401,
      'License realm="licstat client API"',
    ]);
    const portal = await t.app.inject('/api/v1/license-items');
    expect([portal.statusCode, portal.headers['www-authenticate']]).toEqual([401, 'Bearer realm="licstat"']);
    expect((await t.app.inject('/api/v1/health')).headers['www-authenticate']).toBeUndefined();
  });

  it('an empty JSON body is no body: fine where none is needed, VALIDATION_FAILED where one is', async () => {
    const empty = { 'content-type': 'application/json' };
    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: empty,
      payload: '',
    });
    expect(logout.statusCode).toBe(204);
    const vendor = await bearerAs(t, 'vendor');
    const product = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { ...vendor.headers, ...empty },
      payload: '',
    });
    expect([product.statusCode, product.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const poisoned = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { ...vendor.headers, ...empty },
      payload: '{"name":"x","modules":[],"__proto__":{"admin":true}}',
    });
    expect(poisoned.statusCode).toBe(400);
  });

  it('publishes a lease public key', async () => {
    const r = (await t.app.inject('/api/v1/client/public-key')).json();
    expect(r.algorithm).toBe('Ed25519');
    expect(r.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });
});
