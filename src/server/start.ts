/** Opens storage, prepares the server's keys and first user, and listens. Used by `licstat serve`. */
import type { Config } from '../config.ts';
import { type Clock, systemClock } from '../core/clock.ts';
import { createLeaseSigner } from '../core/lease-signer.ts';
import { migrateToLatest, openDb } from '../storage/db.ts';
import { loadOrCreateSigningKey } from '../storage/server-keys-repository.ts';
import { ensureBootstrapVendor } from '../storage/user-repository.ts';
import { type BuildOptions, buildApp } from './app.ts';
import { notificationsOf } from './notifications.ts';
import type { App, Deps } from './types.ts';

export async function createDeps(config: Config, clock: Clock = systemClock): Promise<Deps> {
  const db = openDb(config.databaseUrl);
  await migrateToLatest(db);
  const key = await loadOrCreateSigningKey(db.kysely, clock.now());
  await ensureBootstrapVendor(db, config, clock.now());
  return { config, db, clock, signer: createLeaseSigner(key.id, key.publicKeyPem, key.privateKeyPem) };
}

export interface Started {
  app: App;
  deps: Deps;
  url: string;
  stop(): Promise<void>;
}

export async function startServer(
  config: Config,
  opts: BuildOptions & { clock?: Clock } = {},
): Promise<Started> {
  const deps = await createDeps(config, opts.clock);
  const app = await buildApp(deps, opts);
  app.addHook('onClose', async () => deps.db.close());
  await app.listen({ port: config.port, host: config.host });
  notificationsOf(deps).startBackground(); // webhook deliveries and the alert tick
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  return { app, deps, url: `http://${config.host}:${port}`, stop: () => app.close() };
}
