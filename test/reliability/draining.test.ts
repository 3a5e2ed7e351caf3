/**
 * A request that arrives while the server shuts down — on a keep-alive connection whose earlier
 * request is still being answered — gets 503 UNAVAILABLE in the API's error shape and runs no
 * handler, while the request in flight finishes whole. SQLite only: this is the HTTP layer's
 * behaviour, the database plays no part in it.
 */
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { newId } from '../../src/core/ids.ts';
import { startServer } from '../../src/server/start.ts';
import { createApiToken } from '../../src/storage/api-token-repository.ts';
import { openDb } from '../../src/storage/db.ts';
import { createUser } from '../../src/storage/user-repository.ts';
import { fixture } from '../client/fixtures.ts';

// A CSV of ~12 MB: more than the loopback socket buffers hold while the reader is paused (if it all
// fitted, the export would finish before close() and the report would find the connection closed).
const SESSIONS = 150_000;

test('a request arriving during shutdown gets 503 UNAVAILABLE and is not run; the one in flight completes', {
  timeout: 60_000,
}, async () => {
  const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-drain-')), 'drain.db')}`;
  const server = await startServer(loadConfig({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'silent' }), {
    webDist: '/nonexistent',
  });
  const f = await fixture(server.deps, { model: 'per-scan', quota: 1000 });
  const now = server.deps.clock.now();
  const k = server.deps.db.kysely;
  const admin = await createUser(
    k,
    {
      organizationId: f.org.id,
      email: `drain-${f.code.id}@example.com`,
      password: 'a-long-password-1',
      role: 'admin',
    },
    now,
  );
  const { token } = await createApiToken(k, admin.id, 'drain', now);
  for (let i = 0; i < SESSIONS; i += 1000)
    await k
      .insertInto('sessions')
      .values(
        Array.from({ length: 1000 }, (_, j) => ({
          id: newId('ses'),
          organization_id: f.org.id,
          license_item_id: f.item.id,
          activation_code_id: f.code.id,
          project_id: null,
          activation_id: null,
          fingerprint: `fp-${i + j}`,
          email: `u${j}@example.com`,
          program: 'DrainApp',
          version: '1.0',
          mode: 'full',
          reason: null,
          holds_seat: 0,
          started_at: now - 86_400_000 + i + j,
          renewed_at: now - 86_400_000 + i + j,
          lease_expires_at: now - 80_000_000,
          ended_at: now - 80_000_000,
          end_reason: 'closed',
        })),
      )
      .execute();

  const port = Number(new URL(server.url).port);
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((r) => socket.once('connect', () => r()));
  const chunks: Buffer[] = [];
  const ended = new Promise<void>((r) => socket.once('close', () => r()));
  // A: the export, read one chunk and then left unread, so it is still in flight at close()
  socket.write(
    `GET /api/v1/sessions.csv?view=full HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`,
  );
  chunks.push(await new Promise<Buffer>((r) => socket.once('data', r)));
  socket.pause();
  const stopped = server.stop();
  await expect.poll(() => server.app.server.listening, { timeout: 10_000, interval: 10 }).toBe(false);
  // B: a usage report on the same connection, after close() began
  const body = JSON.stringify({
    batchId: 'drain-b',
    fingerprint: 'dev-1',
    events: [{ kind: 'scan', count: 7, at: new Date(now - 60_000).toISOString() }],
  });
  socket.write(
    `POST /api/v1/client/usage HTTP/1.1\r\nHost: x\r\nAuthorization: License ${f.code.code}\r\n` +
      `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.on('data', (c: Buffer) => chunks.push(c));
  socket.resume();
  await ended;
  await stopped;

  const raw = Buffer.concat(chunks);
  const firstHead = raw.indexOf('\r\n\r\n');
  expect(raw.subarray(0, firstHead).toString()).toMatch(
    /^HTTP\/1\.1 200 [\s\S]*\r\ntransfer-encoding: chunked/i,
  );
  const { body: csv, rest } = dechunk(raw, firstHead + 4);
  // every session row arrived, after the header row
  expect(csv.trimEnd().split('\r\n').length).toBe(SESSIONS + 1);
  const reply = rest.toString('utf8');
  const [head, json] = reply.split('\r\n\r\n') as [string, string];
  expect(head).toMatch(/^HTTP\/1\.1 503 /);
  expect(head).toMatch(/\r\nretry-after: 5\r\n/i);
  expect(head).toMatch(/\r\nconnection: close\r\n/i);
  expect(JSON.parse(json)).toMatchObject({ error: { code: 'UNAVAILABLE', message: expect.any(String) } });

  // B ran no handler: no batch, no scan in the ledger
  const db = openDb(url);
  try {
    expect(await db.kysely.selectFrom('usage_batches').selectAll().execute()).toEqual([]);
    expect(
      await db.kysely.selectFrom('usage_events').selectAll().where('kind', '=', 'scan').execute(),
    ).toEqual([]);
  } finally {
    await db.close();
  }
});

/** The body of a chunked HTTP/1.1 answer starting at `at`, and the bytes after it. */
function dechunk(raw: Buffer, at: number): { body: string; rest: Buffer } {
  const parts: Buffer[] = [];
  let i = at;
  for (;;) {
    const eol = raw.indexOf('\r\n', i);
    const size = Number.parseInt(raw.subarray(i, eol).toString(), 16);
    i = eol + 2;
    if (size === 0) return { body: Buffer.concat(parts).toString('utf8'), rest: raw.subarray(i + 2) };
    parts.push(raw.subarray(i, i + size));
    i += size + 2;
  }
}
