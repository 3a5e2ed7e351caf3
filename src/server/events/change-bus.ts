/**
 * One change feed per server process. After a write transaction commits, its changes are
 * published here (commit-feed.ts); alerts and the live feed subscribe. On PostgreSQL the bus also
 * NOTIFYs other processes on one channel and LISTENs on one dedicated connection, so a browser
 * connected to process A sees a session started through process B. The LISTEN connection is
 * opened only while someone in this process needs remote changes.
 */
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Change } from '../../storage/ledger-feed.ts';

const CHANNEL = 'licstat_changes';
const FLUSH_MS = 50;

export interface ChangeBus {
  /** changes committed by this process; forwarded to other processes on PostgreSQL */
  publishLocal(changes: Change[]): void;
  /** every change, local or (PostgreSQL) from other processes */
  on(listener: (c: Change, origin: 'local' | 'remote') => void): () => void;
  /** start receiving other processes' changes (reference counted) */
  listenRemote(): Promise<() => void>;
  close(): Promise<void>;
}

export function createChangeBus(databaseUrl: string, onError: (e: unknown) => void): ChangeBus {
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const isPg = databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://');
  const pid = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  let notifier: pg.Pool | null = null;
  let listener: pg.Client | null = null;
  let listeners = 0;
  let closed = false;

  const emit = (c: Change, origin: 'local' | 'remote') => emitter.emit('change', c, origin);
  const outgoing = new Map<string, Change>();
  let flushTimer: NodeJS.Timeout | null = null;
  let flushing: Promise<unknown> = Promise.resolve();
  const flush = () => {
    flushTimer = null;
    if (closed || outgoing.size === 0) return;
    const all = [...outgoing.values()];
    outgoing.clear();
    if (!notifier) {
      notifier = new pg.Pool({ connectionString: databaseUrl, max: 1 });
      notifier.on('error', onError);
    }
    const pool = notifier;
    // payloads stay far below PostgreSQL's 8000-byte NOTIFY limit: 40 changes per message
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < all.length; i += 40) {
      const payload = JSON.stringify({ pid, changes: all.slice(i, i + 40) });
      sends.push(pool.query('select pg_notify($1, $2)', [CHANNEL, payload]).catch(onError));
    }
    flushing = Promise.all(sends);
  };

  return {
    publishLocal(changes) {
      for (const c of changes) emit(c, 'local');
      if (!isPg || closed || changes.length === 0) return;
      // coalesced: at most one NOTIFY per 50 ms per process, whatever the commit rate
      for (const c of changes) outgoing.set(`${c.organizationId}\u0000${c.licenseItemId}`, c);
      flushTimer ??= setTimeout(flush, FLUSH_MS);
    },
    on(fn) {
      emitter.on('change', fn);
      return () => emitter.off('change', fn);
    },
    async listenRemote() {
      listeners++;
      if (isPg && !listener && !closed) {
        const client = new pg.Client({ connectionString: databaseUrl });
        listener = client;
        client.on('error', onError);
        client.on('notification', (n) => {
          try {
            const msg = JSON.parse(n.payload ?? '{}') as { pid?: string; changes?: Change[] };
            if (msg.pid === pid) return;
            for (const c of msg.changes ?? []) emit(c, 'remote');
          } catch (e) {
            onError(e);
          }
        });
        await client.connect();
        await client.query(`listen ${CHANNEL}`);
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        listeners--;
        if (listeners === 0 && listener) {
          const l = listener;
          listener = null;
          l.end().catch(onError);
        }
      };
    },
    async close() {
      if (flushTimer) {
        clearTimeout(flushTimer);
        flush(); // send what is pending before closing
      }
      closed = true;
      await flushing;
      emitter.removeAllListeners();
      const l = listener;
      listener = null;
      await Promise.allSettled([l?.end(), notifier?.end()]);
    },
  };
}
