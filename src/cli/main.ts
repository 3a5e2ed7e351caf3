/** The `licstat` command. Each subcommand lives in its own module under cli/commands. */
import { Command } from 'commander';
import { registerServe } from './commands/serve.ts';

const program = new Command()
  .name('licstat')
  .description('licstat license server and license-usage portal')
  .showHelpAfterError();

registerServe(program);

await program.parseAsync(process.argv);
