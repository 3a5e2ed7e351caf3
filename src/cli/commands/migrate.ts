import type { Command } from 'commander';
import { openStorage } from '../context.ts';

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('bring the database (DATABASE_URL) to the latest schema; safe to run again')
    .option('--database <url>', 'database URL instead of DATABASE_URL')
    .action(async (opts: { database?: string }) => {
      const db = await openStorage(opts.database);
      await db.close();
      process.stdout.write('database is at the latest schema\n');
    });
}
