import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { startServer } from '../../server/start.ts';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the server and web portal (settings from the environment: PORT, HOST, DATABASE_URL, …)')
    .action(async () => {
      const config = loadConfig();
      const started = await startServer(config, { logger: { level: config.logLevel } });
      process.stdout.write(`\nlicstat is running at ${started.url}\n`);
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        started.app.log.info({ signal }, 'shutting down');
        // close() stops accepting, lets in-flight requests finish, then closes the database (onClose).
        await started.stop();
        process.exit(0);
      };
      process.once('SIGTERM', () => void stop('SIGTERM'));
      process.once('SIGINT', () => void stop('SIGINT'));
    });
}
