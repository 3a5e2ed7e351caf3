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
}

const licenseKeyOf = (authorization: string | undefined): string | null => {
  const m = /^License\s+(\S{1,200})$/i.exec(authorization ?? '');
  return m ? m[1]! : null;
};

export async function registerClientRateLimit(app: App, opts: ClientRateLimitOptions): Promise<void> {
  // ioredis is loaded only when configured: a single-process server does not carry it in memory.
  const redis = opts.redisUrl
    ? new (await import('ioredis')).Redis(opts.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1 })
    : undefined;
  if (redis) app.addHook('onClose', async () => void redis.disconnect());
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
