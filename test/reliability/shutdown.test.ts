/**
 * Graceful shutdown of the real server process: SIGTERM while a large CSV export is being read
 * slowly, a live event stream is open and usage batches are in flight. In-flight requests finish with 2xx, nothing is recorded
 * without its answer, the process exits 0, and the SQLite database is closed cleanly (WAL
 * checkpointed away, integrity check passes, a restart serves again).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/storage/api-token-repository.ts';
import { createProject } from '../../src/storage/catalog-repository.ts';
import { openDb } from '../../src/storage/db.ts';
import { createUser } from '../../src/storage/user-repository.ts';
import { fixtureOn } from '../client/fixtures.ts';
import { DIALECTS } from '../support/dialects.ts';
import { type ServerProcess, startServerProcess } from './support/server-process.ts';

const DAY = 86_400_000;
const BATCHES = 60;

async function fixture(url: string) {
  const db = openDb(url);
  try {
    const k = db.kysely;
    const now = Date.now();
    const s = randomBytes(5).toString('hex');
    const { org, item, code } = await fixtureOn(db, {
      model: 'per-scan',
      quota: 1_000_000,
      validFrom: now - 400 * DAY,
      maxActivations: 10,
    });
    const project = await createProject(
      k,
      { organizationId: org.id, name: `P ${s}`, key: `pk-${s}`, licenseItemIds: [item.id] },
      now,
    );
    const admin = await createUser(
      k,
      { organizationId: org.id, email: `sd-${s}@example.test`, password: 'long enough pw', role: 'admin' },
      now,
    );
    const { token } = await createApiToken(k, admin.id, 'shutdown', now);
    return { itemId: item.id, code: code.code, projectId: project.id, token };
  } finally {
    await db.close();
  }
}

/** GET that reads the first chunk, then stalls for `pauseMs` before reading the rest. */
function slowGet(
  url: string,
  headers: Record<string, string>,
  pauseMs: number,
  onFirstChunk: () => void,
): Promise<{ status: number; body: string }> {
  return new Promise((ok, fail) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      let body = '';
      let first = true;
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
        if (first) {
          first = false;
          res.pause();
          onFirstChunk();
          setTimeout(() => res.resume(), pauseMs);
        }
      });
      res.on('end', () => ok({ status: res.statusCode ?? 0, body }));
      res.on('error', fail);
    });
    req.on('error', fail);
  });
}

/** POST on its own connection; a connection-level failure is reported, not thrown. */
function post(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number } | { error: string }> {
  return new Promise((ok) => {
    const req = http.request(
      url,
      { method: 'POST', agent: false, headers: { ...headers, 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        res.on('end', () => ok({ status: res.statusCode ?? 0 }));
        res.on('error', (e) => ok({ error: e.message }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => ok({ error: e.code ?? e.message }));
    req.end(body);
  });
}

describe.each(DIALECTS)('graceful shutdown on $name', (dialect) => {
  const servers: ServerProcess[] = [];
  afterAll(() => {
    for (const s of servers) s.kill();
  });

  it('SIGTERM lets in-flight requests finish, exits 0 and closes the database cleanly', {
    timeout: 90_000,
  }, async () => {
    const url = dialect.url();
    const server = await startServerProcess({ databaseUrl: url });
    servers.push(server);
    const f = await fixture(url);

    // The export: a year of 2-hour rows, read slowly so it is still in flight at SIGTERM.
    let exportStarted: () => void = () => {};
    const started = new Promise<void>((ok) => {
      exportStarted = ok;
    });
    const q = new URLSearchParams({
      from: new Date(Date.now() - 365 * DAY).toISOString(),
      to: new Date().toISOString(),
      tz: 'UTC',
    });
    const csv = slowGet(
      `${server.url}/api/v1/projects/${f.projectId}/usage-table.csv?${q}`,
      { authorization: `Bearer ${f.token}` },
      1500,
      exportStarted,
    );
    await started;

    // A browser watching the live page: an event stream that never ends on its own.
    const live = await new Promise<{ ended: Promise<string> }>((ok, fail) => {
      const req = http.get(
        `${server.url}/api/v1/live`,
        { headers: { authorization: `Bearer ${f.token}`, accept: 'text/event-stream' }, agent: false },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          const ended = new Promise<string>((done) => {
            res.on('end', () => done(text));
            res.on('error', () => done(`${text}[error]`));
            res.on('close', () => done(text));
          });
          res.once('data', () => ok({ ended }));
          res.on('data', (c: string) => {
            text += c;
          });
          if (res.statusCode !== 200) fail(new Error(`live: ${res.statusCode}`));
        },
      );
      req.on('error', fail);
    });

    // Usage batches on their own connections, SIGTERM once the first is answered.
    let sigtermAt = 0;
    const batches = Array.from({ length: BATCHES }, (_, i) => ({
      batchId: `sd-${i}-${randomBytes(3).toString('hex')}`,
      count: i + 1,
    }));
    const results = batches.map((b) =>
      post(
        `${server.url}/api/v1/client/usage`,
        { authorization: `License ${f.code}` },
        JSON.stringify({
          batchId: b.batchId,
          fingerprint: 'dev-1',
          events: [{ kind: 'scan', count: b.count, at: new Date(Date.now() - 60_000).toISOString() }],
        }),
      ).then((r) => ({ ...r, at: Date.now() })),
    );
    await Promise.race(results);
    sigtermAt = Date.now();
    server.child.kill('SIGTERM');
    const answers = await Promise.all(results);
    const exit = await server.exited;
    const exitedAt = Date.now();
    const exported = await csv;

    expect(exit, server.output()).toEqual({ code: 0, signal: null });
    // the open event stream was ended by the server, not left to hold the shutdown up
    expect(await live.ended).toMatch(/licstat live/);
    expect(exitedAt - sigtermAt).toBeLessThan(15_000);
    // the export that was in flight finished whole
    expect(exported.status).toBe(200);
    const rows = exported.body.trim().split(/\r?\n/);
    expect(rows[0]).toMatch(/^Interval start,Interval end,/);
    expect(rows.length).toBeGreaterThan(4000);
    const cols = rows[0]!.split(',').length;
    expect(rows.every((r) => r.split(',').length === cols)).toBe(true);
    // Every batch got its 202, or never reached a handler: a connection refused, or Fastify's 503
    // for a request that arrived after close() began. Below, the ledger proves none of those ran.
    const acked = new Set<string>();
    let refused = 0;
    answers.forEach((a, i) => {
      if ('status' in a && a.status === 202) acked.add(batches[i]!.batchId);
      else if ('status' in a) {
        expect(a.status).toBe(503);
        refused++;
      } else {
        expect(a.error).toMatch(/ECONNREFUSED|ECONNRESET|socket hang up/);
        refused++;
      }
    });
    const answeredDuringShutdown = answers.filter(
      (a) => 'status' in a && a.status === 202 && a.at > sigtermAt,
    ).length;

    if (dialect.name === 'sqlite') {
      const file = url.slice('sqlite:'.length);
      // close() checkpointed the WAL into the database file and removed it
      expect(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0).toBe(true);
      const raw = new Database(file, { readonly: true });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      raw.close();
    }
    // what the ledger holds is exactly the acknowledged batches
    const db = openDb(url);
    try {
      const rows2 = await db.kysely
        .selectFrom('usage_events')
        .select(['batch_id', 'count'])
        .where('license_item_id', '=', f.itemId)
        .execute();
      expect(new Set(rows2.map((r) => r.batch_id))).toEqual(acked);
      const want = batches.filter((b) => acked.has(b.batchId)).reduce((s, b) => s + b.count, 0);
      expect(rows2.reduce((s, r) => s + Number(r.count), 0)).toBe(want);
    } finally {
      await db.close();
    }
    console.log(
      `[shutdown ${dialect.name}] export ${rows.length - 1} rows completed; ${acked.size}/${BATCHES} batches acknowledged (${answeredDuringShutdown} after SIGTERM), ${refused} refused unprocessed, exit ${exit.code} in ${exitedAt - sigtermAt} ms`,
    );

    // and it serves again on the same database
    const again = await startServerProcess({ databaseUrl: url });
    servers.push(again);
    expect((await fetch(`${again.url}/api/v1/ready`)).status).toBe(200);
    again.child.kill('SIGINT');
    expect((await again.exited).code).toBe(0);
  });
});
