import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { systemClock } from '../../core/clock.ts';
import type { DemoCatalog } from '../../demo/catalog.ts';
import { databaseIsEmpty, describeLogins, seedDemo } from '../../demo/seed.ts';
import { limitHeapGrowth } from '../../server/heap-growth.ts';
import { createDeps, startServer } from '../../server/start.ts';
import type { BootstrapOutcome } from '../../storage/user-repository.ts';

/** One line on what LICSTAT_ADMIN_EMAIL/PASSWORD did, or how to make a first user; null: nothing to say. */
export function describeBootstrap(o: BootstrapOutcome): string | null {
  switch (o.kind) {
    case 'created':
      return `Created vendor user ${o.email} (LICSTAT_ADMIN_EMAIL).`;
    case 'ignored':
      return o.existing
        ? `LICSTAT_ADMIN_EMAIL/LICSTAT_ADMIN_PASSWORD ignored: the database already has users (${o.email} among them; its password stays as it is; licstat user set-password --email ${o.email} changes it).`
        : `LICSTAT_ADMIN_EMAIL/LICSTAT_ADMIN_PASSWORD ignored: the database already has users, so no user ${o.email} was created (they apply only to a database without users; licstat user create --email ${o.email} --password … adds one).`;
    case 'no-users':
      return 'No users yet: create the first vendor user with `licstat user create --email you@example.com --password …` (or set LICSTAT_ADMIN_EMAIL and LICSTAT_ADMIN_PASSWORD and restart).';
    case 'none':
      return null;
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the server and web portal (settings from the environment: PORT, HOST, DATABASE_URL, …)')
    .option(
      '--demo',
      'on an empty database (no organizations, no users), seed demo data first (LICSTAT_DEMO=0 turns it off)',
    )
    .action(async (o: { demo?: boolean }) => {
      limitHeapGrowth();
      const config = loadConfig();
      // --demo (npm start) seeds unless LICSTAT_DEMO=0; without it only LICSTAT_DEMO=1 seeds.
      const wantDemo = o.demo ? config.demo !== false : config.demo === true;
      let demo: DemoCatalog | null = null;
      // the operator's first user, made by the demo path's first open (the second finds users)
      let created: BootstrapOutcome | null = null;
      if (wantDemo) {
        // empty as found, before LICSTAT_ADMIN_EMAIL's user is created: a first start gets both
        let empty = false;
        const deps = await createDeps(config, systemClock, {
          beforeBootstrap: async (db) => {
            empty = await databaseIsEmpty(db);
          },
          afterBootstrap: (o) => {
            if (o.kind === 'created') created = o;
          },
        });
        try {
          if (empty) {
            process.stdout.write('Empty database: seeding demo data (90 days of history)…\n');
            const t0 = Date.now();
            demo = (await seedDemo(deps.db, deps.signer)).catalog;
            process.stdout.write(`Demo data seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s.\n`);
          }
        } finally {
          await deps.db.close();
        }
      }
      const started = await startServer(config, { logger: { level: config.logLevel } });
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        started.app.log.info({ signal }, 'shutting down');
        // close() stops accepting, lets in-flight requests finish, then closes the database (onClose).
        await started.stop();
        process.exit(0);
      };
      // before the URL is printed: a supervisor may signal as soon as it reads it, and a signal
      // without a listener kills the process at once, without the clean shutdown
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
      const said = describeBootstrap(created ?? started.bootstrap);
      if (said) process.stdout.write(`${said}\n`);
      process.stdout.write(`\nlicstat is running at ${started.url}\n`);
      if (demo) process.stdout.write(describeLogins(demo, started.url));
    });
}
