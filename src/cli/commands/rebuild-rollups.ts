import type { Command } from 'commander';
import { rebuildRollups } from '../../storage/ledger-repository.ts';
import { interruptible, openExistingStorage, progressBar } from '../context.ts';

export function registerRebuildRollups(program: Command): void {
  program
    .command('rebuild-rollups')
    .description('throw the usage rollups away and derive them again from the ledger (one transaction)')
    .option('--database <url>', 'database URL instead of DATABASE_URL')
    .action(async (opts: { database?: string }) => {
      const db = await openExistingStorage(opts.database);
      // One transaction: Ctrl-C lets it commit (the rollups are never half rebuilt), then exits.
      const stop = interruptible();
      const bar = progressBar('rebuilding rollups', 1);
      try {
        const total = await rebuildRollups(db.kysely, (done, t) => bar.update(done, t));
        bar.stop();
        process.stdout.write(`rebuilt rollups from ${total} ledger events\n`);
      } finally {
        bar.stop();
        stop.dispose();
        await db.close();
      }
    });
}
