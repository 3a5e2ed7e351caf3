/**
 * While the server shuts down, requests that still arrive (on a keep-alive connection whose
 * earlier request is in flight) get a 503 `UNAVAILABLE` in the API's error shape, with
 * `Retry-After` and `Connection: close`, and run no handler. Fastify's own 503 for this case
 * (`return503OnClosing`, turned off in app.ts) has a body of another shape. Requests already
 * in flight finish.
 */
import { LicstatError } from '../../contract/errors.ts';
import type { App } from '../types.ts';

const RETRY_AFTER_S = 5;

export function registerDraining(app: App): void {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close').header('retry-after', String(RETRY_AFTER_S));
    throw new LicstatError('UNAVAILABLE', 'the server is shutting down; retry shortly');
  });
}
