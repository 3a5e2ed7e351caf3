/**
 * `licstat seed-demo` and `serve --demo`: the demo catalog plus months of history written
 * through the client use cases with past `now` values (history mode), ending in sessions that
 * are live at the real now.
 */
import type { LeaseSigner } from '../core/lease-signer.ts';
import type { Db } from '../storage/db.ts';
import { type DemoCatalog, seedCatalog } from './catalog.ts';
import { planFleet } from './fleet.ts';
import { groupLanes, runHistory } from './history-run.ts';
import { seededRng } from './random.ts';
import type { Tally } from './runner.ts';

export interface SeedOptions {
  now?: number;
  days?: number;
  seed?: number;
  onProgress?(done: number, total: number): void;
  shouldStop?(): boolean;
}

export interface SeedResult {
  catalog: DemoCatalog;
  tally: Tally;
  stopped: boolean;
}

/**
 * Whether demo data may go in: no organization and no user. A database that has only its
 * operator's vendor account (LICSTAT_ADMIN_EMAIL) is a real one starting out, not an empty one:
 * seeding it would add demo logins whose passwords the README publishes.
 */
export async function databaseIsEmpty(db: Db): Promise<boolean> {
  const org = await db.kysely.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
  const user = await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return !org && !user;
}

export async function seedDemo(db: Db, signer: LeaseSigner, opts: SeedOptions = {}): Promise<SeedResult> {
  const now = opts.now ?? Date.now();
  const days = opts.days ?? 90;
  const catalog = await seedCatalog(db, now);
  const from = now - days * 86_400_000;
  const plans = groupLanes(catalog.pools).map((pools, i) =>
    planFleet(pools, from, now, seededRng((opts.seed ?? 42) + i), 2),
  );
  const { tally, stopped } = await runHistory(db, signer, plans, {
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.shouldStop ? { shouldStop: opts.shouldStop } : {}),
  });
  return { catalog, tally, stopped };
}

/** The lines `serve --demo` and `seed-demo` print: where to go and how to log in. */
export function describeLogins(catalog: DemoCatalog, portalUrl?: string): string {
  const lines = ['', 'Demo data is ready.'];
  if (portalUrl) lines.push(`  Portal:  ${portalUrl}`);
  lines.push('  Logins (email / password):');
  for (const l of catalog.logins) {
    const who = l.organization ? `${l.role} of ${l.organization}` : 'vendor staff';
    lines.push(`    ${l.email.padEnd(26)} ${l.password.padEnd(16)} ${who}`);
  }
  return `${lines.join('\n')}\n`;
}
