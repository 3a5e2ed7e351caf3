/**
 * Live mode: each simulated machine is a real LicstatClient talking HTTP to a running server,
 * so the whole client path (auth, routes, leases, batching, retries) is exercised. `now` is the
 * server's clock here; the runner only decides when to act.
 */
import { LicstatClient } from '../sdk/client.ts';
import type { QueueStore } from '../sdk/queue-store.ts';
import type { Driver } from './runner.ts';

export interface LiveDriver extends Driver {
  clients: Map<number, LicstatClient>;
  /** flushes usage and ends every session */
  close(): Promise<void>;
}

export function liveDriver(
  serverUrl: string,
  opts: {
    storage?: (machine: number) => QueueStore;
    /** the server's lease key (raw base64url) to pin; without it the key the server answers is trusted */
    publicKey?: string;
  } = {},
): LiveDriver {
  const clients = new Map<number, LicstatClient>();
  const clientOf = (m: Parameters<Driver['start']>[0]): LicstatClient => {
    let c = clients.get(m.index);
    if (!c) {
      c = new LicstatClient({
        serverUrl,
        licenseKey: m.licenseKey,
        fingerprint: m.fingerprint,
        email: m.email,
        hostname: m.hostname,
        version: m.version,
        ...(m.project ? { project: m.project } : {}),
        ...(opts.storage ? { storage: opts.storage(m.index) } : {}),
        // a simulation drives the operator's own server, named by URL: its answered key is good enough
        ...(opts.publicKey ? { publicKey: opts.publicKey } : { trustServerKey: true }),
        flushIntervalMs: 1000,
      });
      clients.set(m.index, c);
    }
    return c;
  };
  return {
    clients,
    async activate(m) {
      await clientOf(m).activate();
    },
    async start(m) {
      const lease = await clientOf(m).startSession();
      return {
        sessionId: lease.sessionId,
        mode: lease.mode,
        ...(lease.reason ? { reason: lease.reason } : {}),
      };
    },
    async renew(m) {
      // the SDK renews on its own timer; an explicit renewal here keeps the plan's rhythm
      await clientOf(m).renew();
    },
    async end(m) {
      await clientOf(m).endSession();
    },
    async take(m) {
      return (await clientOf(m).take()).moved;
    },
    async usage(m, events) {
      const c = clientOf(m);
      for (const e of events) c.reportUsage(e.count, e.at);
      const waiting = await c.flushUsage();
      if (waiting > 0) throw Object.assign(new Error('usage not delivered yet'), { code: 'NETWORK_ERROR' });
    },
    async close() {
      await Promise.all([...clients.values()].map((c) => c.close()));
    },
  };
}
