/** The `licstat` command. Each subcommand lives in its own module under cli/commands. */
import { buildProgram } from './program.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  // `licstat export … | head` closes the pipe early: not a failure.
  if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
  // A failed command says why in one line; no stack trace for an operator's mistake.
  process.stderr.write(`licstat: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
