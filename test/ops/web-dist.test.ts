/** A server without a built portal says so at start, naming the command that builds it. */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { createDeps } from '../../src/server/start.ts';

describe('web portal not built', () => {
  it('logs a warning naming npm run build:web, and / is a 404', async () => {
    const deps = await createDeps(loadConfig({ DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent' }));
    let log = '';
    const stream = new Writable({
      write(chunk, _enc, done) {
        log += String(chunk);
        done();
      },
    });
    const app = await buildApp(deps, { webDist: '/nonexistent/web/dist', logger: { level: 'info', stream } });
    try {
      const warnings = log
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .filter((l) => l.level === 40);
      expect(warnings.map((w) => w.msg)).toEqual([
        'web portal not built (no /nonexistent/web/dist/index.html): / answers 404 until `npm run build:web` builds it',
      ]);
      expect((await app.inject('/')).statusCode).toBe(404);
    } finally {
      await app.close();
      await deps.db.close();
    }
  });
});
