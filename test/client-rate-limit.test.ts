import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { buildApp } from '../src/server/app.ts';
import { createDeps } from '../src/server/start.ts';
import type { App, Deps } from '../src/server/types.ts';
import { fixture } from './client/fixtures.ts';
import { DIALECTS } from './support/dialects.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
async function redisReachable(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    await r.ping();
    return true;
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
const haveRedis = await redisReachable();

const opened: { app: App; deps: Deps }[] = [];
async function app(env: Record<string, string>): Promise<App> {
  const deps = await createDeps(
    loadConfig({
      DATABASE_URL: DIALECTS[0]!.url(),
      LOG_LEVEL: 'silent',
      LICSTAT_CLIENT_RATE_LIMIT: '3',
      ...env,
    }),
  );
  const a = await buildApp(deps, { webDist: '/nonexistent' });
  opened.push({ app: a, deps });
  return a;
}
afterAll(async () => {
  for (const o of opened) {
    await o.app.close();
    await o.deps.db.close();
  }
});

/** A server without the per-key limit in the way, a valid key, and a start from a chosen address. */
async function guessingSetup() {
  const a = await app({ LICSTAT_CLIENT_RATE_LIMIT: '100000' });
  const { code } = await fixture(opened.at(-1)!.deps, { model: 'multi-user', quota: 5 });
  const start = (key: string, remoteAddress: string) =>
    a.inject({
      method: 'POST',
      url: '/api/v1/client/sessions',
      remoteAddress,
      headers: { authorization: `License ${key}` },
      payload: { fingerprint: 'pc', email: 'u@x.test' },
    });
  return { code, start };
}

const call = (a: App, key: string) =>
  a.inject({ url: '/api/v1/client/public-key', headers: { authorization: `License ${key}` } });

describe('client API rate limit', () => {
  it('limits per license key in memory, with the JSON error shape', async () => {
    const a = await app({});
    const key = `K-${randomUUID()}`;
    for (let i = 0; i < 3; i++) expect((await call(a, key)).statusCode).toBe(200);
    const limited = await call(a, key);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    expect((await call(a, `K-${randomUUID()}`)).statusCode).toBe(200);
    // portal routes are not limited by the client limiter
    for (let i = 0; i < 5; i++) expect((await a.inject('/api/v1/health')).statusCode).toBe(200);
  });

  it('an encoded path is the same route and counts against the same key', async () => {
    const a = await app({});
    const key = `K-${randomUUID()}`;
    const get = (url: string) => a.inject({ url, headers: { authorization: `License ${key}` } });
    expect((await get('/api/v1/client/public-key')).statusCode).toBe(200);
    expect((await get('/api/v1/%63lient/public-key')).statusCode).toBe(200);
    expect((await get('/api/v1/clien%74/public-key')).statusCode).toBe(200);
    expect((await get('/api/v1/%63lient/public-key')).statusCode).toBe(429);
  });

  it('an address guessing license keys is stopped, for every key; other addresses are not', async () => {
    const { code, start } = await guessingSetup();
    for (let i = 0; i < 100; i++)
      expect((await start(`GUESS-${i}-${randomUUID()}`, '10.9.9.9')).statusCode).toBe(401);
    const blocked = await start(code.code, '10.9.9.9');
    expect([blocked.statusCode, blocked.json().error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await start(`GUESS-${randomUUID()}`, '10.9.9.9')).statusCode).toBe(429);
    expect((await start(code.code, '10.9.9.10')).statusCode).toBe(201);
  });

  it('a program retrying one stale key is not a guesser; an IPv6 /64 counts as one address', async () => {
    const { code, start } = await guessingSetup();
    const stale = `DELETED-${randomUUID()}`;
    for (let i = 0; i < 150; i++) expect((await start(stale, '10.7.7.7')).statusCode).toBe(401);
    expect((await start(code.code, '10.7.7.7')).statusCode).toBe(201);
    // one IPv6 host owns its /64: a different address per guess changes nothing
    for (let i = 0; i < 100; i++)
      expect((await start(`GUESS-${randomUUID()}`, `2001:db8:7:7::${(i + 1).toString(16)}`)).statusCode).toBe(
        401,
      );
    expect((await start(code.code, '2001:db8:7:7:ffff::1')).statusCode).toBe(429);
    expect((await start(code.code, '2001:db8:7:8::1')).statusCode).toBe(201);
  });

  it('behind LICSTAT_TRUST_PROXY=1 only a proxy on this machine speaks for the client: forged hops change nothing', async () => {
    const a = await app({ LICSTAT_CLIENT_RATE_LIMIT: '100000', LICSTAT_TRUST_PROXY: '1' });
    const guess = (remoteAddress: string, xff: string) =>
      a.inject({
        method: 'POST',
        url: '/api/v1/client/sessions',
        remoteAddress,
        headers: { authorization: `License GUESS-${randomUUID()}`, 'x-forwarded-for': xff },
        payload: { fingerprint: 'pc', email: 'u@x.test' },
      });
    // through the local proxy: the client is the address the proxy appended, whatever it was sent
    for (let i = 0; i < 100; i++)
      expect((await guess('127.0.0.1', `198.51.100.${i}, 203.0.113.7`)).statusCode).toBe(401);
    expect((await guess('127.0.0.1', '198.51.100.200, 203.0.113.7')).statusCode).toBe(429);
    expect((await guess('127.0.0.1', '203.0.113.8')).statusCode).toBe(401);
    // a client reaching the server directly cannot name another address
    for (let i = 0; i < 100; i++) expect((await guess('192.0.2.1', `203.0.113.${i}`)).statusCode).toBe(401);
    expect((await guess('192.0.2.1', '203.0.113.250')).statusCode).toBe(429);
  });

  it.runIf(haveRedis || process.env.CI)(
    'shares one limit between two server processes through Redis',
    async () => {
      const a = await app({ REDIS_URL });
      const b = await app({ REDIS_URL });
      const key = `K-${randomUUID()}`;
      expect((await call(a, key)).statusCode).toBe(200);
      expect((await call(b, key)).statusCode).toBe(200);
      expect((await call(a, key)).statusCode).toBe(200);
      expect((await call(b, key)).statusCode).toBe(429);
    },
  );
});
