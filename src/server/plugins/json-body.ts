/**
 * JSON bodies. Many HTTP clients send `Content-Type: application/json` with an empty body on
 * requests that take none (renew, end, a webhook test, logout): an empty JSON body is simply no
 * body, so those work and a route that needs a body answers VALIDATION_FAILED naming it. Anything
 * else goes to Fastify's own parser (prototype-poisoning checks included; INVALID_JSON when it is
 * not JSON), which alone would refuse the empty body.
 */
import type { FastifyInstance } from 'fastify';

export function registerJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    // a test that stops at the first non-space character: no copy of a large body on every request
    if (/^\s*$/.test(text)) return done(null, undefined);
    parse(req, text, done);
  });
}
