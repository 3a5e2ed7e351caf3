/** closeOnExit: a program stopped with SIGTERM frees its seat at once and delivers its usage. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server/start.ts';
import { DIALECTS } from '../support/dialects.ts';
import { ledgerByKind, licenseFixture } from './support.ts';

describe.each(DIALECTS)('closeOnExit on $name', (dialect) => {
  test('SIGTERM ends the session (seat freed) and flushes buffered usage', async () => {
    const server = await startServer(
      loadConfig({ DATABASE_URL: dialect.url(), PORT: '0', LOG_LEVEL: 'silent' }),
      {
        webDist: '/nonexistent',
      },
    );
    try {
      const f = await licenseFixture(server.deps.db, Date.now(), { model: 'per-scan', quota: 100 });
      const dir = mkdtempSync(join(tmpdir(), 'licstat-exit-'));
      // the program pins the key the server publishes, as a vendor builds it in
      const { publicKeyRaw } = (await (await fetch(`${server.url}/api/v1/client/public-key`)).json()) as {
        publicKeyRaw: string;
      };
      const child = spawn(
        'node',
        [
          '--import',
          'tsx',
          join(import.meta.dirname, 'fixtures/exit-child.ts'),
          server.url,
          f.code,
          dir,
          publicKeyRaw,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
      });
      const exited = new Promise<NodeJS.Signals | null>((r) =>
        child.on('exit', (_code, signal) => r(signal)),
      );
      await expect.poll(() => out, { timeout: 30_000, interval: 100 }).toMatch(/started ses_\S+ full/);
      const sessionId = /started (ses_\S+)/.exec(out)![1]!;
      child.kill('SIGTERM');
      expect(await exited).toBe('SIGTERM');
      const s = await server.deps.db.kysely
        .selectFrom('sessions')
        .select(['ended_at', 'end_reason'])
        .where('id', '=', sessionId)
        .executeTakeFirstOrThrow();
      expect(s.ended_at).not.toBeNull();
      expect(s.end_reason).toBe('closed');
      expect((await ledgerByKind(server.deps.db, f.item.id)).scan).toEqual({ rows: 1, sum: 3 });
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
