/**
 * Security headers (Helmet's) on every answer. @fastify/helmet builds a Helmet middleware per
 * request (it parses the CSP directives each time): a measurable share of a client API call.
 * The headers depend only on the options, so they are computed once, by running @fastify/helmet
 * in a throwaway Fastify instance and reading what it set, then copied onto each reply by one
 * cheap hook. Same headers, same values, as registering @fastify/helmet globally.
 */
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import Fastify from 'fastify';
import type { App } from '../types.ts';

export async function helmetHeaders(opts: FastifyHelmetOptions): Promise<[string, string][]> {
  const probe = Fastify({ logger: false });
  await probe.register(helmet, opts);
  let headers: [string, string][] = [];
  probe.get('/', async (_req, reply) => {
    // only helmet's onRequest hooks have written raw headers at this point
    headers = Object.entries(reply.raw.getHeaders()).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.join(', ') : String(v),
    ]);
    return '';
  });
  await probe.inject({ url: '/' });
  await probe.close();
  if (headers.length === 0) throw new Error('helmet set no headers');
  return headers;
}

export async function registerSecurityHeaders(app: App, opts: FastifyHelmetOptions): Promise<void> {
  const headers = await helmetHeaders(opts);
  app.addHook('onRequest', (request, reply, done) => {
    const res = reply.raw;
    for (const [k, v] of headers) res.setHeader(k, v);
    // API answers hold an organization's data: no browser or shared cache keeps them (a route may
    // still set its own, e.g. the live stream's no-cache)
    // (by the route matched: the raw URL may spell it with %-escapes)
    if ((request.routeOptions.url ?? request.url).startsWith('/api/'))
      res.setHeader('cache-control', 'no-store');
    done();
  });
}
