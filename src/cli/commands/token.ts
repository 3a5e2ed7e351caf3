import type { Command } from 'commander';
import { createApiToken } from '../../storage/api-token-repository.ts';
import { findUserByEmail } from '../../storage/user-repository.ts';
import { openExistingStorage } from '../context.ts';

export function registerToken(program: Command): void {
  const token = program.command('token').description('API tokens (Authorization: Bearer) for scripts');
  token
    .command('create')
    .description('create an API token for a user; it is printed once and stored only as a hash')
    .requiredOption('--email <email>', "the user the token acts as (it has the user's role)")
    .option('--name <name>', 'what the token is for', 'cli')
    .option('--database <url>', 'database URL instead of DATABASE_URL')
    .action(async (o: { email: string; name: string; database?: string }) => {
      const db = await openExistingStorage(o.database);
      try {
        const user = await findUserByEmail(db.kysely, o.email);
        if (!user) throw new Error(`no user with email ${o.email}`);
        const { row, token: secret } = await createApiToken(db.kysely, user.id, o.name, Date.now());
        process.stderr.write(
          `token ${row.id} for ${user.email} (${user.role}); store it now, it is not shown again:\n`,
        );
        process.stdout.write(`${secret}\n`);
      } finally {
        await db.close();
      }
    });
}
