/** The `licstat` command. Each subcommand lives in its own module under cli/commands. */
import { buildProgram } from './program.ts';

// `licstat … | head` closes the pipe early: not a failure.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (e) {
  if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
  // A failed command says why in one line; no stack trace for an operator's mistake.
  process.stderr.write(`licstat: ${(e as Error).message}\n`);
  process.exitCode = 1;
}
