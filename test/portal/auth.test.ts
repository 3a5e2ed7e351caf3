import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/hash.ts';
import { bearerAs, loginAs, loginUser, newUser, TEST_PASSWORD } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

describe.each(DIALECTS)('portal auth on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  const login = (email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
  const loginFrom = (remoteAddress: string, email: string, password: string) =>
    t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: { email, password } });

  it('logs in, answers /auth/me, logs out', async () => {
    const user = await newUser(t, 'admin');
    const r = await login(user.email.toUpperCase(), TEST_PASSWORD);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.user).toMatchObject({ id: user.id, email: user.email, role: 'admin' });
    expect(body.csrfToken).toEqual(expect.any(String));
    const c = r.cookies.find((x) => x.name === 'licstat_session')!;
    expect(c.httpOnly).toBe(true);
    expect(c.sameSite).toBe('Lax');
    expect(c.path).toBe('/');
    expect(c.secure).toBeFalsy();
    // only the hash of the cookie is stored
    const stored = await t.deps.db.kysely
      .selectFrom('auth_sessions')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    expect(stored.map((s) => s.id)).toEqual([sha256Hex(c.value)]);

    const cookie = `licstat_session=${c.value}`;
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual({ user: body.user, csrfToken: body.csrfToken });

    const out = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
    });
    expect(out.statusCode).toBe(204);
    const after = await t.app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('wrong password and unknown email are 401 INVALID_CREDENTIALS', async () => {
    const user = await newUser(t, 'member');
    for (const r of [await login(user.email, 'nope-nope'), await login(`nobody-${user.email}`, 'x')]) {
      expect(r.statusCode).toBe(401);
      expect(r.json().error.code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('no login is 401', async () => {
    const r = await t.app.inject({ url: '/api/v1/auth/me' });
    expect(r.statusCode).toBe(401);
  });

  it('locks a user out after repeated failures, with backoff capped at 15 minutes', async () => {
    const user = await newUser(t, 'admin');
    for (let i = 0; i < 5; i++) expect((await login(user.email, 'wrong')).statusCode).toBe(401);
    // locked now: even the right password is refused
    const locked = await login(user.email, TEST_PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('LOGIN_LOCKED');
    t.clock.advance(31_000);
    // released; another failure locks for longer (60 s)
    expect((await login(user.email, 'wrong')).statusCode).toBe(401);
    t.clock.advance(31_000);
    expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(429);
    t.clock.advance(30_000);
    // many more failures never lock beyond 15 minutes
    for (let i = 0; i < 12; i++) {
      expect((await login(user.email, 'wrong')).statusCode).toBe(401);
      t.clock.advance(15 * 60 * 1000);
    }
    const ok = await login(user.email, TEST_PASSWORD);
    expect(ok.statusCode).toBe(200);
    // an email without an account answers the same way, so the lockout tells no one who has one
    const nobody = `nobody-${user.email}`;
    const answers: number[] = [];
    for (let i = 0; i < 6; i++) answers.push((await login(nobody, 'wrong')).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 401, 429]);
    t.clock.advance(31_000);
    expect((await login(nobody.toUpperCase(), 'wrong')).statusCode).toBe(401);
    // success resets the counter
    expect((await login(user.email, 'wrong')).statusCode).toBe(401);
    expect((await login(user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('a lockout holds for the address that failed: someone else cannot lock the account for its owner', async () => {
    const user = await newUser(t, 'vendor');
    const from = (remoteAddress: string, password: string) => loginFrom(remoteAddress, user.email, password);
    const attacker = [];
    for (let i = 0; i < 7; i++) attacker.push((await from('198.51.100.7', 'wrong')).statusCode);
    expect(attacker).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect((await from('198.51.100.7', TEST_PASSWORD)).statusCode).toBe(429);
    // the owner, elsewhere, logs in; that does not lift the attacker's lock
    expect((await from('203.0.113.20', TEST_PASSWORD)).statusCode).toBe(200);
    expect((await from('198.51.100.7', TEST_PASSWORD)).statusCode).toBe(429);
    // kept in the database: another server process on it sees the same lock
    const other = await createTestApp(t.deps.config.databaseUrl, t.clock.now());
    try {
      const r = await other.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '198.51.100.7',
        payload: { email: user.email.toUpperCase(), password: TEST_PASSWORD },
      });
      expect(r.statusCode).toBe(429);
    } finally {
      await other.close();
    }
  });

  it('an account guessed at from many addresses stays open to the addresses its owner signed in from', async () => {
    const user = await newUser(t, 'vendor');
    const from = (remoteAddress: string, password: string) => loginFrom(remoteAddress, user.email, password);
    expect((await from('203.0.113.50', TEST_PASSWORD)).statusCode).toBe(200); // the owner's office
    // one IPv6 host rotating through its /64 is one address: locked after five
    const rotating = [];
    for (let i = 1; i <= 7; i++) rotating.push((await from(`2001:db8:9:9::${i}`, 'wrong')).statusCode);
    expect(rotating).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // many addresses, one guess each: 50 failures in all
    for (let i = 0; i < 45; i++)
      expect((await from(`198.18.${i >> 2}.${i & 3}`, 'wrong')).statusCode).toBe(401);
    const fresh = await from('192.0.2.99', TEST_PASSWORD);
    expect([fresh.statusCode, fresh.json().error?.code]).toEqual([429, 'LOGIN_LOCKED']);
    expect((await from('203.0.113.50', TEST_PASSWORD)).statusCode).toBe(200);
    // it passes: 15 minutes without failures
    t.clock.advance(15 * 60_000 + 1);
    expect((await from('192.0.2.99', TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('one address guessing slowly all day does not close the account to its owner on a new address', async () => {
    const user = await newUser(t, 'admin');
    // once every 16 minutes (past its own lock, capped at 15) for 16 hours: 60 failures in the day
    for (let i = 0; i < 60; i++) {
      t.clock.advance(16 * 60_000);
      expect((await loginFrom('198.51.100.77', user.email, 'wrong')).statusCode).toBe(401);
    }
    // right after its latest guess
    expect((await loginFrom('192.0.2.123', user.email, TEST_PASSWORD)).statusCode).toBe(200);
  });

  it('cookie writes need the CSRF token; bearer writes do not', async () => {
    const a = await loginAs(t, 'admin');
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: a.cookie },
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json().error.code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: a.cookie, 'x-csrf-token': 'x' },
    });
    expect(wrong.statusCode).toBe(403);
    const b = await bearerAs(t, 'admin');
    const me = await t.app.inject({ url: '/api/v1/auth/me', headers: b.headers });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.id).toBe(b.user.id);
    const tok = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: b.headers });
    expect(tok.statusCode).toBe(204);
    const bad = await t.app.inject({ url: '/api/v1/auth/me', headers: { authorization: 'Bearer nope' } });
    expect(bad.statusCode).toBe(401);
  });

  it('sessions slide and expire after 12 idle hours', async () => {
    const a = await loginUser(t, await newUser(t, 'member'));
    t.clock.advance(11 * 3600_000);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: a.headers })).statusCode).toBe(200);
    t.clock.advance(11 * 3600_000);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: a.headers })).statusCode).toBe(200);
    t.clock.advance(12 * 3600_000 + 1);
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: a.headers })).statusCode).toBe(401);
  });

  it('a login used every few hours still ends 7 days after it began', async () => {
    const a = await loginUser(t, await newUser(t, 'member'));
    const me = async () => (await t.app.inject({ url: '/api/v1/auth/me', headers: a.headers })).statusCode;
    const began = t.clock.now();
    while (t.clock.now() + 6 * 3600_000 < began + 7 * 86_400_000) {
      t.clock.advance(6 * 3600_000);
      expect(await me()).toBe(200);
    }
    t.clock.set(began + 7 * 86_400_000);
    expect(await me()).toBe(401);
  });
});
