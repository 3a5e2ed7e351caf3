/** The `licstat` command tree, built apart from parsing so tests can inspect every subcommand. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { packageRoot } from '../server/paths.ts';
import { registerExport } from './commands/export.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerPublicKey } from './commands/public-key.ts';
import { registerRebuildRollups } from './commands/rebuild-rollups.ts';
import { registerSeedDemo } from './commands/seed-demo.ts';
import { registerServe } from './commands/serve.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerToken } from './commands/token.ts';
import { registerUser } from './commands/user.ts';

/** package.json's version, found from src/ or the dist/ bundle alike. */
export function licstatVersion(): string {
  try {
    const file = join(packageRoot(import.meta.dirname), 'package.json');
    return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown'; // no command fails for want of a version
  }
}

export function buildProgram(): Command {
  const program = new Command()
    .name('licstat')
    .description('licstat license server and license-usage portal')
    .version(licstatVersion(), '-V, --version', 'print the licstat version')
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
