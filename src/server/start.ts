/** Opens storage, prepares the server's keys and first user, and listens. Used by `licstat serve`. */
import type { Config } from '../config.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { createLeaseSigner } from '../core/lease-signer.ts';
import { type Db, migrateToLatest, openDb } from '../storage/db.ts';
import { loadOrCreateSigningKey } from '../storage/server-keys-repository.ts';
import { type BootstrapOutcome, ensureBootstrapVendor } from '../storage/user-repository.ts';
import { type BuildOptions, buildApp } from './app.ts';
import { notificationsOf } from './notifications.ts';
import type { App, Deps } from './types.ts';

export async function createDeps(
  config: Config,
  clock: Clock = systemClock,
  opts: {
    beforeBootstrap?: (db: Db) => Promise<void>;
    /** what LICSTAT_ADMIN_EMAIL/PASSWORD did, for serve to tell the operator */
    afterBootstrap?: (outcome: BootstrapOutcome) => void;
  } = {},
): Promise<Deps> {
  const db = openDb(config.databaseUrl);
  await migrateToLatest(db);
  const key = await loadOrCreateSigningKey(db.kysely, clock.now());
  // e.g. deciding whether the database is empty before the operator's first user goes in
  await opts.beforeBootstrap?.(db);
  const bootstrap = await ensureBootstrapVendor(db, config, clock.now());
  opts.afterBootstrap?.(bootstrap);
  return { config, db, clock, signer: createLeaseSigner(key.id, key.publicKeyPem, key.privateKeyPem) };
}

export interface Started {
  app: App;
  deps: Deps;
  url: string;
  /** what LICSTAT_ADMIN_EMAIL/PASSWORD did at this start */
  bootstrap: BootstrapOutcome;
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  opts: BuildOptions & { clock?: Clock } = {},
): Promise<Started> {
  let bootstrap: BootstrapOutcome = { kind: 'none' };
  const deps = await createDeps(config, opts.clock, {
    afterBootstrap: (o) => {
      bootstrap = o;
    },
  });
  const app = await buildApp(deps, opts);
  app.addHook('onClose', async () => deps.db.close());
  await app.listen({ port: config.port, host: config.host });
  notificationsOf(deps).startBackground(); // webhook deliveries and the alert tick
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  return {
    app,
    deps,
    url: `http://${urlHost(config.host)}:${port}`,
    bootstrap,
    stop: () => app.close(),
  };
}

/** The host as a URL names it: IPv6 in brackets; "every address" as this machine's name. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
