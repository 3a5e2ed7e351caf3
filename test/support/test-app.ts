/** Builds a real app on a real database for route tests, with a manual clock. */
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import { createDeps } from '../../src/server/start.ts';
import type { App, Deps } from '../../src/server/types.ts';

export interface TestApp {
  app: App;
  deps: Deps;
  clock: ManualClock;
  close(): Promise<void>;
}

export async function createTestApp(
  databaseUrl: string,
  now = Date.now(),
  env: Record<string, string> = {},
): Promise<TestApp> {
  const clock = new ManualClock(now);
  const deps = await createDeps(
    loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', ...env }),
    clock,
  );
  const app = await buildApp(deps, { webDist: '/nonexistent' });
  await app.ready();
  return {
    app,
    deps,
    clock,
    close: async () => {
      await app.close();
      await deps.db.close();
    },
  };
}
