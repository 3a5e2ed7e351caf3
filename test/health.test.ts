import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

  it('publishes a lease public key', async () => {
    const r = (await t.app.inject('/api/v1/client/public-key')).json();
    expect(r.algorithm).toBe('Ed25519');
    expect(r.publicKeyPem).toContain('BEGIN PUBLIC KEY');
  });
});
