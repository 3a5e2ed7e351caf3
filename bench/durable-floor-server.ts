/**
 * Figure 1's second reference: the least any durable, signed session start and renewal must do.
 * A bare Fastify server with the client API's two routes: a start inserts one session row, a
 * renewal updates it, both with better-sqlite3 (WAL, synchronous=FULL, group-committed per turn of
 * the event loop as licstat does), and each answers with one Ed25519-signed lease-sized token
 * (signed on libuv's thread pool after the commit, as licstat does).
 * No authentication, seat check, ledger, rollups or validation: what licstat adds to this floor
 * is what the ratio against it shows.
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';

const db = new SQLite(join(mkdtempSync(join(tmpdir(), 'licstat-floor-')), 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(
  'create table sessions (id text primary key, fingerprint text not null, renewed_at integer not null)',
);
const insert = db.prepare('insert into sessions (id, fingerprint, renewed_at) values (?, ?, ?)');
const renew = db.prepare('update sessions set renewed_at = ? where id = ? returning fingerprint');

type Write = () => unknown;
let queue: { write: Write; done: (v: unknown) => void }[] = [];
const commit = db.transaction((writes: typeof queue) => writes.map((w) => w.write()));
/** Runs `write` in the next group's transaction; resolves once that group has committed. */
const durably = (write: Write) =>
  new Promise<unknown>((done) => {
    if (queue.length === 0)
      setImmediate(() => {
        const group = queue;
        queue = [];
        const results = commit(group);
        for (const [i, w] of group.entries()) w.done(results[i]);
      });
    queue.push({ write, done });
  });

const { privateKey } = generateKeyPairSync('ed25519');
/** Signed on libuv's thread pool, as licstat signs (core/lease-signer.ts). */
const lease = async (sessionId: string, fingerprint: string, now: number) => {
  const head = Buffer.from(
    JSON.stringify({
      v: 1,
      sessionId,
      licenseItemId: 'itm_01FLOOR0000000000000000000',
      mode: 'full',
      modules: ['core', 'export'],
      fingerprint,
      issuedAt: new Date(now).toISOString(),
      expiresAt: new Date(now + 3_600_000).toISOString(),
    }),
  ).toString('base64url');
  const sig = await new Promise<Buffer>((resolve, reject) =>
    sign(null, Buffer.from(head), privateKey, (err, out) => (err ? reject(err) : resolve(out))),
  );
  return { token: `${head}.${sig.toString('base64url')}`, expiresAt: now + 3_600_000 };
};

const app = Fastify({ logger: false });
app.get('/api/v1/health', async () => ({ status: 'ok' }));
app.post('/api/v1/client/sessions', async (req, reply) => {
  const fingerprint = String((req.body as { fingerprint?: unknown } | null)?.fingerprint ?? '');
  const id = `ses_${randomUUID()}`;
  const now = Date.now();
  await durably(() => insert.run(id, fingerprint, now));
  return reply.code(201).send({ session: { id, mode: 'full' }, lease: await lease(id, fingerprint, now) });
});
app.post('/api/v1/client/sessions/:id/renew', async (req, reply) => {
  const { id } = req.params as { id: string };
  const now = Date.now();
  const row = (await durably(() => renew.get(now, id))) as { fingerprint: string } | undefined;
  if (!row) return reply.code(404).send({ error: { code: 'SESSION_NOT_FOUND' } });
  return { lease: await lease(id, row.fingerprint, now) };
});
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
process.stdout.write('listening\n');
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
