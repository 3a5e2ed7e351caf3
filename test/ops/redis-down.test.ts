/**
 * REDIS_URL pointing nowhere: the errors go through the app's log, at most once per interval, not
 * as ioredis's "Unhandled error event" stack traces on stderr; client requests do not wait for it.
 */
import { type AddressInfo, createServer } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { createDeps } from '../../src/server/start.ts';

/** A port with nothing listening on it: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Redis unreachable', () => {
  it('is logged once through the app logger, not on stderr, and client requests do not wait for it', async () => {
    const consoleErrors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const port = await closedPort();
    const deps = await createDeps(
      loadConfig({
        DATABASE_URL: 'sqlite::memory:',
        LOG_LEVEL: 'silent',
        REDIS_URL: `redis://127.0.0.1:${port}`,
      }),
    );
    let log = '';
    const stream = new Writable({
      write(chunk, _enc, done) {
        log += String(chunk);
        done();
      },
    });
    const app = await buildApp(deps, { webDist: '/nonexistent', logger: { level: 'info', stream } });
    try {
      await app.ready();
      // ioredis retries every 50 ms, then a little slower: a dozen failures in this time
      await new Promise((r) => setTimeout(r, 2500));
      const t0 = performance.now();
      for (let i = 0; i < 5; i++) {
        const r = await app.inject({
          url: '/api/v1/client/public-key',
          headers: { authorization: 'License K-REDIS-DOWN' },
        });
        expect(r.statusCode).toBe(200);
      }
      // queued behind reconnect attempts these took 0.3–2 s each
      expect(performance.now() - t0).toBeLessThan(1000);

      const stderrLines = consoleErrors.mock.calls.filter((c) => String(c[0]).includes('ioredis'));
      expect(stderrLines).toEqual([]);
      const redisLines = log
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: number; msg: string; redis?: string; err?: string })
        .filter((l) => l.msg.startsWith('Redis'));
      expect(redisLines).toHaveLength(1);
      expect(redisLines[0]).toMatchObject({
        level: 40,
        redis: `127.0.0.1:${port}`,
        err: expect.stringContaining('ECONNREFUSED'),
      });
      expect(redisLines[0]!.msg).toMatch(/^Redis unreachable: client API rate limits are not enforced/);
    } finally {
      await app.close();
      await deps.db.close();
    }
  });
});
