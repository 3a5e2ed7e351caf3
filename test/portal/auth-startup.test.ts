import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import { createDeps } from '../../src/server/start.ts';

const freshSqlite = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-')), 'test.db')}`;

describe('auth at startup and behind a proxy', () => {
  it('creates the LICSTAT_ADMIN_EMAIL vendor on an empty database, once', async () => {
    const url = freshSqlite();
    const env = {
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      LICSTAT_ADMIN_EMAIL: 'Boss@Vendor.test',
      LICSTAT_ADMIN_PASSWORD: 'very secret pw',
    };
    const deps = await createDeps(loadConfig(env), new ManualClock());
    const app = await buildApp(deps, { webDist: '/nonexistent' });
    const r = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'boss@vendor.test', password: 'very secret pw' },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json().user).toMatchObject({ role: 'vendor', organizationId: null, email: 'boss@vendor.test' });
    await app.close();
    await deps.db.close();
    // a second start with another password changes nothing
    const again = await createDeps(
      loadConfig({ ...env, LICSTAT_ADMIN_PASSWORD: 'another secret' }),
      new ManualClock(),
    );
    const users = await again.db.kysely.selectFrom('users').select('email').execute();
    expect(users).toEqual([{ email: 'boss@vendor.test' }]);
    await again.db.close();
  });

  it('marks the cookie Secure when a trusted proxy says the request came over https', async () => {
    const env = {
      DATABASE_URL: freshSqlite(),
      LOG_LEVEL: 'silent',
      LICSTAT_TRUST_PROXY: '1',
      LICSTAT_ADMIN_EMAIL: 'v@vendor.test',
      LICSTAT_ADMIN_PASSWORD: 'very secret pw',
    };
    const deps = await createDeps(loadConfig(env), new ManualClock());
    const app = await buildApp(deps, { webDist: '/nonexistent' });
    const login = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        headers,
        payload: { email: 'v@vendor.test', password: 'very secret pw' },
      });
    const https = (await login({ 'x-forwarded-proto': 'https' })).cookies[0]!;
    expect(https.secure).toBe(true);
    expect(https.httpOnly).toBe(true);
    const plain = (await login({})).cookies[0]!;
    expect(plain.secure).toBeFalsy();
    await app.close();
    await deps.db.close();
  });
});
