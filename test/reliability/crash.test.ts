/**
 * Crash safety: usage batches stream in from several senders, the server is SIGKILLed mid-stream
 * and restarted on the same database, and every sender retries each batch it saw no answer for
 * (same batchId, same body). The ledger must then hold every batch exactly once: per batch, the
 * rows and the scan total the sender wrote, nothing more.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { type Db, openDb } from '../../src/storage/db.ts';
import { fixtureOn } from '../client/fixtures.ts';
import { DIALECTS } from '../support/dialects.ts';
import { type ServerProcess, startServerProcess } from './support/server-process.ts';

const SENDERS = 4;
const IN_FLIGHT_PER_SENDER = 4;
const BATCHES_PER_SENDER = 90;
/** a kill comes once these shares of all batches have been acknowledged: mid-stream, and again mid-recovery */
const KILL_AFTER_ACKS = [0.35, 0.7].map((f) => Math.floor(SENDERS * BATCHES_PER_SENDER * f));

interface Batch {
  batchId: string;
  body: string;
  events: number;
  scans: number;
  ackedBeforeKill: boolean;
  acked: boolean;
  duplicate: boolean;
  attempts: number;
}

interface CrashFigures {
  batches: number;
  eventsSent: number;
  scansSent: number;
  batchesAckedBeforeKill: number;
  eventsAckedBeforeKill: number;
  inFlightAtKill: number;
  kills: number;
  answeredDuplicate: number;
  rowsFound: number;
  scansFound: number;
}

async function catalog(db: Db): Promise<{ itemId: string; code: string }> {
  const { item, code } = await fixtureOn(db, {
    model: 'per-scan',
    quota: 1_000_000_000,
    maxActivations: 100,
  });
  return { itemId: item.id, code: code.code };
}

function makeBatches(run: string, sender: number): Batch[] {
  const out: Batch[] = [];
  for (let i = 0; i < BATCHES_PER_SENDER; i++) {
    const n = 1 + Math.floor(Math.random() * 8);
    const events = Array.from({ length: n }, () => ({
      kind: 'scan' as const,
      count: 1 + Math.floor(Math.random() * 500),
      at: new Date(Date.now() - Math.floor(Math.random() * 3_600_000)).toISOString(),
    }));
    const batchId = `${run}-s${sender}-b${i}`;
    out.push({
      batchId,
      body: JSON.stringify({ batchId, fingerprint: `device-${sender}`, events }),
      events: n,
      scans: events.reduce((s, e) => s + e.count, 0),
      ackedBeforeKill: false,
      acked: false,
      duplicate: false,
      attempts: 0,
    });
  }
  return out;
}

describe.each(DIALECTS)('crash safety on $name', (dialect) => {
  const servers: ServerProcess[] = [];
  let db: Db | undefined;
  afterAll(async () => {
    for (const s of servers) s.kill();
    await db?.close();
  });

  it('SIGKILL mid-stream and again mid-recovery, restarts, retries: every batch counted exactly once', {
    timeout: 120_000,
  }, async () => {
    const url = dialect.url();
    const first = await startServerProcess({ databaseUrl: url });
    servers.push(first);
    db = openDb(url);
    const { itemId, code } = await catalog(db);
    const base = first.url;
    const run = randomBytes(4).toString('hex');
    const senders = Array.from({ length: SENDERS }, (_, s) => makeBatches(run, s));
    const all = senders.flat();

    let killed = false;
    let acks = 0;
    let unexpected = '';
    const reached = KILL_AFTER_ACKS.map(() => {
      let ok: () => void = () => {};
      const p = new Promise<void>((resolve) => {
        ok = resolve;
      });
      return { p, ok };
    });

    /** Sends one batch until it is acknowledged; connection failures and 5xx are retried. */
    async function deliver(b: Batch): Promise<void> {
      for (;;) {
        b.attempts++;
        try {
          const r = await fetch(`${base}/api/v1/client/usage`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `License ${code}` },
            body: b.body,
            signal: AbortSignal.timeout(20_000),
          });
          const text = await r.text();
          if (r.status === 202) {
            const answer = JSON.parse(text) as { accepted: number; duplicate: boolean };
            b.acked = true;
            b.ackedBeforeKill = !killed;
            b.duplicate = answer.duplicate;
            acks++;
            KILL_AFTER_ACKS.forEach((n, i) => {
              if (acks === n) reached[i]!.ok();
            });
            return;
          }
          if (r.status < 500) {
            unexpected ||= `${b.batchId}: ${r.status} ${text}`;
            return;
          }
        } catch {
          // connection refused or reset while the server is down: retry below
        }
        await new Promise((ok) => setTimeout(ok, 30 + Math.random() * 70));
      }
    }

    async function sender(batches: Batch[]): Promise<void> {
      let next = 0;
      const worker = async () => {
        while (next < batches.length) await deliver(batches[next++]!);
      };
      await Promise.all(Array.from({ length: IN_FLIGHT_PER_SENDER }, worker));
    }

    const sending = Promise.all(senders.map(sender));
    // SIGKILL, restart on the same port and database while the senders keep retrying; twice.
    let server = first;
    let ackedAtKill: Batch[] = [];
    let inFlightAtKill = 0;
    for (const [i, point] of reached.entries()) {
      await point.p;
      if (i === 0) {
        killed = true;
        ackedAtKill = all.filter((b) => b.ackedBeforeKill);
        inFlightAtKill = all.filter((b) => !b.acked && b.attempts > 0).length;
      }
      server.child.kill('SIGKILL');
      const exit = await server.exited;
      expect(exit.signal).toBe('SIGKILL');
      server = await startServerProcess({ databaseUrl: url, port: first.port });
      servers.push(server);
    }
    await sending;
    expect(unexpected).toBe('');
    expect(all.every((b) => b.acked)).toBe(true);

    const rows = await db.kysely
      .selectFrom('usage_events')
      .select(['batch_id', 'kind', 'count'])
      .where('license_item_id', '=', itemId)
      .execute();
    const found = new Map<string, { rows: number; scans: number }>();
    for (const r of rows) {
      expect(r.kind).toBe('scan');
      const f = found.get(r.batch_id ?? '') ?? { rows: 0, scans: 0 };
      f.rows++;
      f.scans += Number(r.count);
      found.set(r.batch_id ?? '', f);
    }
    // Exactly once, batch by batch: what the sender wrote, nothing lost, nothing doubled.
    expect(found.size).toBe(all.length);
    for (const b of all) expect(found.get(b.batchId), b.batchId).toEqual({ rows: b.events, scans: b.scans });

    const figures: CrashFigures = {
      batches: all.length,
      eventsSent: all.reduce((s, b) => s + b.events, 0),
      scansSent: all.reduce((s, b) => s + b.scans, 0),
      batchesAckedBeforeKill: ackedAtKill.length,
      eventsAckedBeforeKill: ackedAtKill.reduce((s, b) => s + b.events, 0),
      // sent before the first kill but unanswered: retried after the restart
      inFlightAtKill,
      kills: KILL_AFTER_ACKS.length,
      answeredDuplicate: all.filter((b) => b.duplicate).length,
      rowsFound: rows.length,
      scansFound: rows.reduce((s, r) => s + Number(r.count), 0),
    };
    expect(figures.rowsFound).toBe(figures.eventsSent);
    expect(figures.scansFound).toBe(figures.scansSent);
    console.log(`[crash ${dialect.name}] ${JSON.stringify(figures)}`);

    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });
});
