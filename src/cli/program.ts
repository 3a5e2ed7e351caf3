/** The `licstat` command tree, built apart from parsing so tests can inspect every subcommand. */
import { Command } from 'commander';
import { registerExport } from './commands/export.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerPublicKey } from './commands/public-key.ts';
import { registerRebuildRollups } from './commands/rebuild-rollups.ts';
import { registerSeedDemo } from './commands/seed-demo.ts';
import { registerServe } from './commands/serve.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerToken } from './commands/token.ts';
import { registerUser } from './commands/user.ts';

export function buildProgram(): Command {
  const program = new Command()
    .name('licstat')
    .description('licstat license server and license-usage portal')
    .showHelpAfterError();
  registerServe(program);
  registerMigrate(program);
  registerRebuildRollups(program);
  registerUser(program);
  registerToken(program);
  registerPublicKey(program);
  registerSeedDemo(program);
  registerSimulate(program);
  registerExport(program);
  return program;
}
