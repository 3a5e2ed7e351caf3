/**
 * History mode: the same domain use cases the client routes call, with an explicit past `now`
 * per action, straight on the database (no HTTP). Months of activity are written in seconds,
 * and every figure is produced by exactly the code that serves live clients.
 */
import { fixedClock } from '../core/clock.ts';
import type { LeaseSigner } from '../core/lease-signer.ts';
import {
  activate,
  type ClientKey,
  endSession,
  renewSession,
  reportUsage,
  resolveClientKey,
  startSession,
  take,
} from '../services/client/index.ts';
import type { Db } from '../storage/db.ts';
import type { Driver } from './runner.ts';

export function historyDriver(db: Db, signer: LeaseSigner): Driver {
  const keys = new Map<string, ClientKey>();
  const keyOf = async (raw: string): Promise<ClientKey> => {
    let k = keys.get(raw);
    if (!k) {
      k = await resolveClientKey(db.kysely, raw);
      keys.set(raw, k);
    }
    return k;
  };
  let batchSeq = 0;
  return {
    async activate(m, now) {
      await activate(
        db,
        await keyOf(m.licenseKey),
        { fingerprint: m.fingerprint, hostname: m.hostname, email: m.email, version: m.version },
        now,
      );
    },
    async start(m, now) {
      const r = await startSession(
        db,
        signer,
        await keyOf(m.licenseKey),
        {
          fingerprint: m.fingerprint,
          email: m.email,
          version: m.version,
          ...(m.project ? { project: m.project } : {}),
        },
        now,
      );
      return {
        sessionId: r.session.id,
        mode: r.session.mode === 'full' ? 'full' : 'limited',
        ...(r.session.reason ? { reason: r.session.reason } : {}),
      };
    },
    async renew(m, sessionId, now) {
      await renewSession(db, signer, await keyOf(m.licenseKey), sessionId, fixedClock(now));
    },
    async end(m, sessionId, now) {
      await endSession(db, await keyOf(m.licenseKey), sessionId, now);
    },
    async take(m, now) {
      const r = await take(
        db,
        await keyOf(m.licenseKey),
        { fingerprint: m.fingerprint, email: m.email, hostname: m.hostname, version: m.version },
        now,
      );
      return r.moved;
    },
    async usage(m, events, now) {
      await reportUsage(
        db,
        await keyOf(m.licenseKey),
        {
          batchId: `hist-${now}-${m.index}-${++batchSeq}`,
          fingerprint: m.fingerprint,
          email: m.email,
          ...(m.project ? { project: m.project } : {}),
          events: events.map((e) => ({
            kind: 'scan' as const,
            count: e.count,
            at: new Date(e.at).toISOString(),
          })),
        },
        now,
      );
    },
  };
}
