/**
 * Several real server processes on one PostgreSQL database: seat and activation limits hold
 * across processes (row locks, not process memory), checked against the database itself.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LicenseModel } from '../../src/contract/domain.ts';
import { type Db, openDb } from '../../src/storage/db.ts';
import { fixtureOn } from '../client/fixtures.ts';
import { DIALECTS } from '../support/dialects.ts';
import { type ServerProcess, startServerProcess } from './support/server-process.ts';

const PROCESSES = 3;
const pg = DIALECTS.find((d) => d.name === 'postgres');

const item = (db: Db, model: LicenseModel, quota: number, maxActivations: number) =>
  fixtureOn(db, { model, quota, maxActivations });

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function post(base: string, path: string, key: string, body: object): Promise<Answer> {
  const r = await fetch(`${base}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `License ${key}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe.skipIf(!pg)('several server processes on one PostgreSQL database', () => {
  const servers: ServerProcess[] = [];
  let db: Db;
  beforeAll(async () => {
    const url = pg!.url();
    // Started one after the other: the first runs the migrations.
    for (let i = 0; i < PROCESSES; i++) servers.push(await startServerProcess({ databaseUrl: url }));
    db = openDb(url);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(
      servers.map(async (s) => {
        s.child.kill('SIGTERM');
        await s.exited;
      }),
    );
    await db?.close();
  });

  const at = (i: number) => servers[i % servers.length]!.url;

  it('a 5-seat multi-user item gives exactly 5 full sessions, twice over', { timeout: 60_000 }, async () => {
    const { item: mul, code } = await item(db, 'multi-user', 5, 100);
    const starts = (round: number) =>
      Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          post(at(i), '/client/sessions', code.code, {
            fingerprint: `m-${round}-${i}`,
            email: `u${i}@example.test`,
          }),
        ),
      );
    const first = await starts(1);
    expect(first.every((a) => a.status === 201)).toBe(true);
    const full1 = first.filter((a) => (a.body.session as { mode: string }).mode === 'full');
    expect(full1.length).toBe(5);
    for (const a of first.filter((x) => !full1.includes(x)))
      expect(a.body.session).toMatchObject({ mode: 'limited', reason: 'ALL_SEATS_IN_USE' });

    // Ending the 5 through different processes frees exactly 5 seats for the next wave.
    const ends = await Promise.all(
      full1.map((a, i) =>
        post(at(i + 1), `/client/sessions/${(a.body.session as { id: string }).id}/end`, code.code, {}),
      ),
    );
    expect(ends.map((e) => e.status)).toEqual([200, 200, 200, 200, 200]);
    const second = await starts(2);
    expect(second.filter((a) => (a.body.session as { mode: string }).mode === 'full').length).toBe(5);

    // The database agrees: never more than 5 seats held, and the ledger has 10 checkouts.
    const held = await db.kysely
      .selectFrom('sessions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('license_item_id', '=', mul.id)
      .where('holds_seat', '=', 1)
      .where('ended_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(held.n)).toBe(5);
    const kinds = await db.kysely
      .selectFrom('usage_events')
      .select(['kind'])
      .where('license_item_id', '=', mul.id)
      .execute();
    const n = (k: string) => kinds.filter((r) => r.kind === k).length;
    expect(n('checkout')).toBe(10);
    expect(n('declined')).toBe(50);

    // Each process's Prometheus counters add up to the 60 starts and 5 ends it was sent.
    const counted = async (route: string, status: string) => {
      let total = 0;
      for (const srv of servers) {
        const text = await (await fetch(`${srv.url}/metrics`)).text();
        for (const line of text.split('\n'))
          if (
            line.startsWith('licstat_http_request_duration_seconds_count{') &&
            line.includes(`route="${route}"`) &&
            line.includes(`status="${status}"`)
          )
            total += Number(line.split(' ').pop());
      }
      return total;
    };
    expect(await counted('/api/v1/client/sessions', '201')).toBe(60);
    expect(await counted('/api/v1/client/sessions/:id/end', '200')).toBe(5);
  });

  it('a code with 3 activations activates exactly 3 machines', { timeout: 60_000 }, async () => {
    const { code } = await item(db, 'single-user', 10, 3);
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        post(at(i), '/client/activations', code.code, { fingerprint: `a-${i}`, hostname: `host-${i}` }),
      ),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBe(3);
    expect(statuses.filter((s) => s === 409).length).toBe(21);
    for (const a of answers.filter((x) => x.status === 409))
      expect((a.body.error as { code: string }).code).toBe('ACTIVATIONS_EXHAUSTED');
    const live = await db.kysely
      .selectFrom('activations')
      .select(['id'])
      .where('activation_code_id', '=', code.id)
      .where('deactivated_at', 'is', null)
      .execute();
    expect(live.length).toBe(3);
  });

  it('one machine activating through every process at once gets one activation', {
    timeout: 60_000,
  }, async () => {
    const { code } = await item(db, 'single-user', 10, 3);
    const answers = await Promise.all(
      Array.from({ length: 9 }, (_, i) =>
        post(at(i), '/client/activations', code.code, { fingerprint: 'same-machine' }),
      ),
    );
    expect(answers.every((a) => a.status === 200 || a.status === 201)).toBe(true);
    expect(answers.filter((a) => a.status === 201).length).toBe(1);
    const ids = new Set(answers.map((a) => (a.body.activation as { id: string }).id));
    expect(ids.size).toBe(1);
  });
});

const REDIS_URL = process.env.LICSTAT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
async function redisUp(): Promise<boolean> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
const haveRedis = await redisUp();

describe('client rate limit across server processes', () => {
  const servers: ServerProcess[] = [];
  afterAll(() => {
    for (const s of servers) s.kill();
  });
  const key = () => `K-${randomBytes(6).toString('hex')}`;
  const hit = (base: string, k: string) =>
    fetch(`${base}/api/v1/client/public-key`, {
      headers: { authorization: `License ${k}` },
      signal: AbortSignal.timeout(10_000),
    });

  it.runIf(haveRedis || process.env.CI)(
    'two processes share one per-key limit through Redis',
    { timeout: 60_000 },
    async () => {
      const url = DIALECTS[0]!.url();
      const env = { REDIS_URL, LICSTAT_CLIENT_RATE_LIMIT: '10' };
      const a = await startServerProcess({ databaseUrl: url, env });
      servers.push(a);
      const b = await startServerProcess({ databaseUrl: url, env });
      servers.push(b);
      const k = key();
      const statuses: number[] = [];
      for (let i = 0; i < 16; i++) statuses.push((await hit(i % 2 ? b.url : a.url, k)).status);
      expect(statuses.filter((s) => s === 200).length).toBe(10);
      expect(statuses.slice(10).every((s) => s === 429)).toBe(true);
      // another key is not affected
      expect((await hit(b.url, key())).status).toBe(200);
    },
  );

  it('a Redis that is down does not take licensing down', { timeout: 60_000 }, async () => {
    const s = await startServerProcess({
      databaseUrl: DIALECTS[0]!.url(),
      env: { REDIS_URL: 'redis://127.0.0.1:1', LICSTAT_CLIENT_RATE_LIMIT: '10' },
    });
    servers.push(s);
    const k = key();
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      const r = await hit(s.url, k);
      expect(r.status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(5_000);
    }
  });
});
