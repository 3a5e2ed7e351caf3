/**
 * Rate limits for the client API, per license key (per IP for calls without one). With REDIS_URL
 * the counters live in Redis, so several server processes share one limit; otherwise in memory.
 */
import rateLimit from '@fastify/rate-limit';
import { LicstatError } from '../../contract/errors.ts';
import type { App } from '../types.ts';

export interface ClientRateLimitOptions {
  /** requests per minute per license key */
  perKeyPerMinute: number;
  redisUrl?: string;
  /** while Redis stays unreachable, log it at most this often (ms) */
  redisErrorLogIntervalMs?: number;
}

/** Redis errors repeat on every reconnect attempt (several a second): log the first, then one per interval. */
const REDIS_ERROR_LOG_INTERVAL_MS = 30_000;
/** How long start-up waits for the first Redis connection. */
const FIRST_CONNECT_WAIT_MS = 3_000;

const licenseKeyOf = (authorization: string | undefined): string | null => {
  const m = /^License\s+(\S{1,200})$/i.exec(authorization ?? '');
  return m ? m[1]! : null;
};

export async function registerClientRateLimit(app: App, opts: ClientRateLimitOptions): Promise<void> {
  // ioredis is loaded only when configured: a single-process server does not carry it in memory.
  const redis = opts.redisUrl
    ? new (await import('ioredis')).Redis(opts.redisUrl, {
        lazyConnect: false,
        maxRetriesPerRequest: 1,
        // while Redis is down a counter fails at once (and skipOnError lets the request through)
        // instead of queueing for the next reconnect attempt: up to 2 s on every client request
        enableOfflineQueue: false,
      })
    : undefined;
  if (redis) {
    // Without a listener ioredis prints "Unhandled error event" and a stack to stderr on every
    // reconnect attempt, outside the structured log.
    const every = opts.redisErrorLogIntervalMs ?? REDIS_ERROR_LOG_INTERVAL_MS;
    const where = `${redis.options.host}:${redis.options.port}`; // never the URL: it may hold a password
    let lastLogged = 0;
    let suppressed = 0;
    let down = false;
    redis.on('error', (err: Error) => {
      down = true;
      const now = Date.now();
      if (now - lastLogged < every) {
        suppressed++;
        return;
      }
      app.log.warn(
        { redis: where, err: err.message, repeatsSinceLastLog: suppressed },
        `Redis unreachable: client API rate limits are not enforced until it is back (logged at most every ${Math.round(every / 1000)} s)`,
      );
      lastLogged = now;
      suppressed = 0;
    });
    redis.on('ready', () => {
      if (!down) return;
      down = false;
      lastLogged = 0;
      suppressed = 0;
      app.log.info({ redis: where }, 'Redis reachable again: client API rate limits shared again');
    });
    app.addHook('onClose', async () => void redis.disconnect());
    // without the offline queue, counters before the first connection would not count: wait for
    // it (or its first failure; a host that does not answer at all gets a few seconds)
    await new Promise<void>((resolve) => {
      const settle = () => {
        clearTimeout(timer);
        redis.off('ready', settle);
        redis.off('error', settle);
        resolve();
      };
      const timer = setTimeout(settle, FIRST_CONNECT_WAIT_MS);
      redis.once('ready', settle);
      redis.once('error', settle);
    });
  }
  await app.register(rateLimit, {
    global: true,
    max: opts.perKeyPerMinute,
    timeWindow: 60_000,
    redis,
    nameSpace: 'licstat-rl-',
    // A Redis outage must not take licensing down with it.
    skipOnError: true,
    // by the route matched, not the raw URL: /api/v1/%63lient/sessions reaches the same route
    allowList: (req) => !(req.routeOptions.url ?? '').startsWith('/api/v1/client/'),
    keyGenerator: (req) => {
      const key = licenseKeyOf(req.headers.authorization);
      return key ? `key:${key}` : `ip:${req.ip}`;
    },
    errorResponseBuilder: (_req, ctx) =>
      new LicstatError(
        'RATE_LIMITED',
        `too many requests for this license key; retry in ${Math.ceil(ctx.ttl / 1000)} s`,
      ),
  });
}
