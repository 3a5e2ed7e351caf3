/**
 * Auth hardening not covered by test/portal/auth*.test.ts: cookie attributes (and no Secure from
 * a spoofed X-Forwarded-Proto without a trusted proxy), CSRF on every cookie write the router
 * serves, revoked tokens, a lockout that always ends, security headers, and passwords that never
 * reach the log even at trace level.
 */
import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import { createDeps } from '../../src/server/start.ts';
import type { App, Deps } from '../../src/server/types.ts';
import { loginAs, newUser, TEST_PASSWORD, uniq } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { fillParams, listRoutes, routeKey } from './support/routes.ts';

const WRITES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

describe.each(DIALECTS)('auth hardening on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t?.close());

  const login = (email: string, password: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers, payload: { email, password } });

  it('the session cookie is HttpOnly, SameSite=Lax, not Secure over plain http even if a header claims https', async () => {
    const u = await newUser(t, 'admin');
    const r = await login(u.email, TEST_PASSWORD, { 'x-forwarded-proto': 'https' });
    expect(r.statusCode).toBe(200);
    const raw = String(r.headers['set-cookie']);
    expect(raw).toMatch(/licstat_session=/);
    expect(raw).toMatch(/HttpOnly/i);
    expect(raw).toMatch(/SameSite=Lax/i);
    expect(raw).toMatch(/Path=\//);
    // LICSTAT_TRUST_PROXY is off: a client cannot talk the server into trusting its header
    expect(raw).not.toMatch(/Secure/i);
  });

  it('behind a trusted TLS proxy the cookie is Secure, on login and on logout', async () => {
    const deps = await createDeps(
      loadConfig({ DATABASE_URL: dialect.url(), LOG_LEVEL: 'silent', LICSTAT_TRUST_PROXY: '1' }),
      new ManualClock(),
    );
    const app = await buildApp(deps, { webDist: '/nonexistent' });
    try {
      const u = await newUser(
        { app, deps, clock: deps.clock as ManualClock, close: async () => {} },
        'member',
      );
      const https = { 'x-forwarded-proto': 'https' };
      const r = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers: https,
        payload: { email: u.email, password: TEST_PASSWORD },
      });
      const raw = String(r.headers['set-cookie']);
      expect(raw).toMatch(/;\s*Secure/i);
      expect(raw).toMatch(/HttpOnly/i);
      expect(raw).toMatch(/SameSite=Lax/i);
      const out = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: {
          ...https,
          cookie: `licstat_session=${r.cookies[0]!.value}`,
          'x-csrf-token': r.json().csrfToken as string,
        },
      });
      expect(out.statusCode).toBe(204);
      expect(String(out.headers['set-cookie'])).toMatch(/;\s*Secure/i);
    } finally {
      await app.close();
      await deps.db.close();
    }
  });

  it('every cookie-authenticated write the router serves needs the CSRF token', async () => {
    const admin = await loginAs(t, 'admin');
    const writes = listRoutes(t.app).filter(
      (r) => WRITES.has(r.method) && !r.url.startsWith('/api/v1/client/') && r.url !== '/api/v1/auth/login',
    );
    expect(writes.length).toBeGreaterThan(20);
    for (const r of writes) {
      const url = fillParams(r.url, { id: 'any-id' });
      for (const csrf of [undefined, 'wrong-token', `${admin.csrfToken}x`]) {
        const res = await t.app.inject({
          method: r.method as InjectOptions['method'],
          url,
          headers: { cookie: admin.cookie, ...(csrf ? { 'x-csrf-token': csrf } : {}) },
          payload: {},
        });
        expect(res.statusCode, `${routeKey(r)} csrf=${csrf}`).toBe(403);
        expect(res.json().error.code).toBe('CSRF_TOKEN_INVALID');
      }
    }
    // and the session is still alive: the refusals did not log the admin out
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: admin.headers });
    expect(me.statusCode).toBe(200);
  });

  it('a revoked API token, or one of a disabled user, is 401 at once', async () => {
    const admin = await loginAs(t, 'admin');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: admin.headers,
      payload: { name: 'ci' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const body = created.json() as { apiToken: { id: string; token: string } };
    const bearer = { authorization: `Bearer ${body.apiToken.token}` };
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: bearer })).statusCode).toBe(200);
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/api-tokens/${body.apiToken.id}`,
      headers: admin.headers,
    });
    expect(del.statusCode).toBeLessThan(300);
    const after = await t.app.inject({ url: '/api/v1/auth/me', headers: bearer });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');

    // a member whose admin disables them loses their token's access too
    const memberLogin = await loginAs(t, 'member', admin.user.organization_id);
    const tok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: memberLogin.headers,
      payload: { name: 'm' },
    });
    const mBearer = {
      authorization: `Bearer ${(tok.json() as { apiToken: { token: string } }).apiToken.token}`,
    };
    const disable = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${memberLogin.user.id}`,
      headers: admin.headers,
      payload: { disabled: true },
    });
    expect(disable.statusCode, disable.body).toBe(200);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: mBearer })).statusCode).toBe(401);
    // the disabled member's cookie session is gone as well
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: memberLogin.headers })).statusCode).toBe(
      401,
    );
  });

  it('a lockout always ends: 150 hostile attempts never lock past 15 minutes', async () => {
    const u = await newUser(t, 'admin');
    let longest = 0;
    for (let i = 0; i < 150; i++) {
      const r = await login(u.email, `guess-${i}`);
      expect([401, 429]).toContain(r.statusCode);
      if (r.statusCode === 429) longest = Math.max(longest, Number(r.headers['retry-after']));
      // the attacker waits out some locks, so failures keep counting
      if (i % 10 === 9) t.clock.advance(16 * 60_000);
    }
    expect(longest).toBeGreaterThan(0);
    expect(longest).toBeLessThanOrEqual(15 * 60);
    t.clock.advance(15 * 60_000 + 1000);
    expect((await login(u.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('answers carry the security headers', async () => {
    for (const url of [
      '/api/v1/health',
      '/api/v1/auth/me',
      '/api/v1/no-such-route',
      '/api/docs',
      '/%61pi/v1/health',
    ]) {
      const r = await t.app.inject({ url });
      const h = r.headers;
      expect(h['content-security-policy'], url).toMatch(/default-src 'self'/);
      expect(h['content-security-policy'], url).toMatch(/frame-ancestors 'self'|frame-ancestors 'none'/);
      expect(h['content-security-policy'], url).toMatch(/object-src 'none'/);
      // a portal served over plain http (a LAN address without a TLS proxy) must still load its assets
      expect(h['content-security-policy'], url).not.toMatch(/upgrade-insecure-requests/);
      expect(h['x-content-type-options'], url).toBe('nosniff');
      expect(h['x-frame-options'], url).toMatch(/SAMEORIGIN|DENY/);
      expect(h['referrer-policy'], url).toBeTruthy();
      expect(h['strict-transport-security'], url).toMatch(/max-age=\d+/);
      expect(h['cross-origin-opener-policy'], url).toBe('same-origin');
      expect(h['x-powered-by'], url).toBeUndefined();
      expect(h['cache-control'], url).toBe('no-store');
    }
  });
});

describe('passwords never reach the log', () => {
  let app: App;
  let deps: Deps;
  let lines = '';
  beforeAll(async () => {
    const url = DIALECTS[0]!.url();
    deps = await createDeps(loadConfig({ DATABASE_URL: url, LOG_LEVEL: 'trace' }), new ManualClock());
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines += String(chunk);
        done();
      },
    });
    app = await buildApp(deps, { webDist: '/nonexistent', logger: { level: 'trace', stream } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await deps?.db.close();
  });

  it('not on login, failed login, user creation, password change or a malformed body', async () => {
    const secret = `Pw-${uniq()}-Zebra!`;
    const next = `Pw-${uniq()}-Yak!`;
    const vendor = await newUser(
      { app, deps, clock: deps.clock as ManualClock, close: async () => {} },
      'vendor',
    );
    const send = (o: InjectOptions) => app.inject(o);
    const vLogin = await send({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: vendor.email, password: TEST_PASSWORD },
    });
    const cookie = `licstat_session=${vLogin.cookies[0]!.value}`;
    const vh = { cookie, 'x-csrf-token': vLogin.json().csrfToken as string };
    const org = await send({
      method: 'POST',
      url: '/api/v1/organizations',
      headers: vh,
      payload: { name: 'L' },
    });
    const email = `logged-${uniq()}@example.test`;
    const created = await send({
      method: 'POST',
      url: '/api/v1/users',
      headers: vh,
      payload: { organizationId: org.json().organization.id, email, password: secret, role: 'admin' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const ok = await send({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: secret },
    });
    expect(ok.statusCode).toBe(200);
    const h = {
      cookie: `licstat_session=${ok.cookies[0]!.value}`,
      'x-csrf-token': ok.json().csrfToken as string,
    };
    await send({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password: `${secret}x` } });
    await send({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: secret, extra: secret },
    });
    await send({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: `{"email":"${email}","password":"${secret}"`,
    });
    const change = await send({
      method: 'PATCH',
      url: '/api/v1/users/me',
      headers: h,
      payload: { currentPassword: secret, password: next },
    });
    expect(change.statusCode, change.body).toBe(200);
    expect(lines.length).toBeGreaterThan(1000); // the log did capture the requests
    expect(lines).toContain('/api/v1/auth/login');
    expect(lines).not.toContain(secret);
    expect(lines).not.toContain(next);
    expect(lines).not.toContain(TEST_PASSWORD);
    // nor the session cookie or CSRF token, which are as good as a password
    expect(lines).not.toContain(ok.cookies[0]!.value);
  });
});
