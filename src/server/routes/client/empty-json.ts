/**
 * Renew and end take no body, but many HTTP clients still send `Content-Type: application/json`
 * with an empty body. Inside this encapsulated context an empty JSON body is simply no body;
 * anything else must still be valid JSON.
 */
import type { App } from '../../types.ts';

export async function withEmptyJsonAllowed(app: App, register: (scoped: App) => void): Promise<void> {
  await app.register(async (scoped) => {
    const a = scoped as unknown as App;
    a.removeContentTypeParser('application/json');
    a.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
      const text = String(body);
      if (text.trim() === '') return done(null, undefined);
      try {
        done(null, JSON.parse(text));
      } catch {
        const err = new Error('invalid JSON') as Error & { code: string; statusCode: number };
        err.code = 'FST_ERR_CTP_INVALID_JSON_BODY';
        err.statusCode = 400;
        done(err, undefined);
      }
    });
    register(a);
  });
}
