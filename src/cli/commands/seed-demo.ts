import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { systemClock } from '../../core/clock.ts';
import { databaseIsEmpty, describeLogins, seedDemo } from '../../demo/seed.ts';
import { createDeps } from '../../server/start.ts';
import { interruptible, parsePositiveInt, progressBar } from '../context.ts';

export function registerSeedDemo(program: Command): void {
  program
    .command('seed-demo')
    .description(
      'fill an empty database with demo data: a vendor, two customer organizations with users, every license model, projects, and months of usage history ending in live sessions',
    )
    .option('--days <n>', 'days of history', '90')
    .option('--seed <n>', 'random seed (same seed, same history)', '42')
    .option('--database <url>', 'database URL instead of DATABASE_URL')
    .action(async (o: { days: string; seed: string; database?: string }) => {
      const days = parsePositiveInt('days', o.days);
      const seed = parsePositiveInt('seed', o.seed);
      const config = loadConfig();
      let empty = false;
      const deps = await createDeps(
        { ...config, databaseUrl: o.database ?? config.databaseUrl },
        systemClock,
        {
          beforeBootstrap: async (db) => {
            empty = await databaseIsEmpty(db);
          },
        },
      );
      const stop = interruptible();
      try {
        if (!empty) {
          throw new Error(
            'the database already has organizations or users; seed-demo fills an empty database only',
          );
        }
        const bar = progressBar('writing history', 1);
        const t0 = Date.now();
        const r = await seedDemo(deps.db, deps.signer, {
          days,
          seed,
          onProgress: (d, t) => bar.update(d, t),
          shouldStop: () => stop.stopped,
        });
        bar.stop();
        const t = r.tally;
        process.stdout.write(
          `${r.stopped ? 'stopped early: ' : ''}${t.actions} client actions: ${t.starts.full} full, ${t.starts.limited} limited, ${t.starts.declined} declined starts; ${t.takes} takes (${t.takesDenied} denied); ${t.scans} scans\n`,
        );
        process.stdout.write(`seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
        process.stdout.write(describeLogins(r.catalog));
      } finally {
        stop.dispose();
        await deps.db.close();
      }
    });
}
