/** The `licstat` command. Each subcommand lives in its own module under cli/commands. */
import { Command } from 'commander';
import { registerExport } from './commands/export.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerRebuildRollups } from './commands/rebuild-rollups.ts';
import { registerSeedDemo } from './commands/seed-demo.ts';
import { registerServe } from './commands/serve.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerToken } from './commands/token.ts';
import { registerUser } from './commands/user.ts';

const program = new Command()
  .name('licstat')
  .description('licstat license server and license-usage portal')
  .showHelpAfterError();

registerServe(program);
registerMigrate(program);
registerRebuildRollups(program);
registerUser(program);
registerToken(program);
registerSeedDemo(program);
registerSimulate(program);
registerExport(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // `licstat export … | head` closes the pipe early: not a failure.
  if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
  // A failed command says why in one line; no stack trace for an operator's mistake.
  process.stderr.write(`licstat: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
