/**
 * A real licstat server for browser tests: a fresh SQLite database, a free port, the built web
 * portal (built when web/dist is missing or older than the portal's sources), and a vendor user
 * created at start.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../../src/config.ts';
import { type Started, startServer } from '../../../src/server/start.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const WEB_DIST = resolve(ROOT, 'web/dist');
export const VENDOR_EMAIL = 'vendor@licstat.test';
export const PASSWORD = 'correct horse battery staple';

/** The newest modification time among the files under these paths. */
function newestMtime(paths: string[]): number {
  let newest = 0;
  for (const p of paths) {
    const s = statSync(p);
    if (s.isDirectory()) newest = Math.max(newest, newestMtime(readdirSync(p).map((name) => join(p, name))));
    else newest = Math.max(newest, s.mtimeMs);
  }
  return newest;
}

export function ensureWebBuilt(): void {
  const built = join(WEB_DIST, 'index.html');
  // a stale build would test yesterday's portal: the sources it is built from are the web's and the contract's
  const sources = ['web/src', 'web/index.html', 'src/contract'].map((p) => resolve(ROOT, p));
  const fresh = existsSync(built) && statSync(built).mtimeMs >= newestMtime(sources);
  if (fresh && !process.env.LICSTAT_E2E_REBUILD) return;
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

export async function startE2eServer(env: Record<string, string> = {}): Promise<Started> {
  ensureWebBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'licstat-e2e-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `sqlite:${join(dir, 'e2e.db')}`,
    LICSTAT_DEMO: '0',
    LICSTAT_ADMIN_EMAIL: VENDOR_EMAIL,
    LICSTAT_ADMIN_PASSWORD: PASSWORD,
    LOG_LEVEL: 'silent',
    ...env,
  });
  return startServer(config, { webDist: WEB_DIST, logger: false });
}
