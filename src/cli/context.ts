/** What CLI commands share: the database from the environment, progress bars, and a polite Ctrl-C. */
import { SingleBar } from 'cli-progress';
import { loadConfig } from '../config.ts';
import { type Db, migrateToLatest, openDb } from '../storage/db.ts';

/** Opens DATABASE_URL (or --database) migrated to the latest schema; the caller closes it. */
export async function openStorage(databaseUrl?: string): Promise<Db> {
  const config = loadConfig();
  const db = openDb(databaseUrl ?? config.databaseUrl);
  await migrateToLatest(db);
  return db;
}

/** A progress bar on stderr (stdout stays clean for data); silent when stderr is not a terminal. */
export function progressBar(
  label: string,
  total: number,
): { update(done: number, total?: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    barsize: 30,
  });
  bar.start(Math.max(1, total), 0);
  return {
    update(done, t) {
      if (t !== undefined) bar.setTotal(Math.max(1, t));
      bar.update(done);
    },
    stop: () => bar.stop(),
  };
}

/**
 * Ctrl-C (SIGINT/SIGTERM) sets a flag that long work checks between transactions: the current
 * transaction finishes, then the command stops cleanly. A second Ctrl-C exits at once.
 */
export function interruptible(): { readonly stopped: boolean; dispose(): void } {
  const state = { stopped: false };
  const onSignal = () => {
    if (state.stopped) process.exit(130);
    state.stopped = true;
    process.stderr.write('\nstopping after the current transaction (Ctrl-C again to abort)…\n');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get stopped() {
      return state.stopped;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

/** Parses an ISO date or instant option into epoch ms, or fails with a clear message. */
export function parseInstant(name: string, text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw new Error(`--${name}: not an ISO 8601 date or instant: ${text}`);
  return ms;
}

export function parsePositiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: not a non-negative integer: ${text}`);
  return n;
}
