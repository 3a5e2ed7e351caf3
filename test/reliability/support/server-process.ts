/**
 * The real server as a child process, for tests that kill it, stop it or run several of it:
 * the current sources bundled once per test file with esbuild (starts faster than tsx on a busy
 * machine), run with `node <bundle> serve`, ready once it prints its URL.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export const ROOT = resolve(import.meta.dirname, '../../..');

let bundle: Promise<string> | undefined;

/** Bundles src/cli/main.ts into node_modules/.cache (inside the package, so packages resolve). */
export function serverBundle(): Promise<string> {
  bundle ??= (async () => {
    const dir = join(ROOT, 'node_modules/.cache/licstat-test');
    mkdirSync(dir, { recursive: true });
    // test workers do not always exit normally: sweep away bundles of earlier runs
    for (const f of readdirSync(dir)) {
      try {
        if (Date.now() - statSync(join(dir, f)).mtimeMs > 3_600_000) rmSync(join(dir, f), { force: true });
      } catch {
        // removed meanwhile by another test file
      }
    }
    const outfile = join(dir, `licstat-${process.pid}-${Date.now()}.mjs`);
    await build({
      entryPoints: [join(ROOT, 'src/cli/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      outfile,
      logLevel: 'warning',
    });
    process.once('exit', () => rmSync(outfile, { force: true }));
    return outfile;
  })();
  return bundle;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => ok(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** everything written to stdout and stderr so far */
  output(): string;
  /** resolves when the process has exited */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL if still running (cleanup) */
  kill(): void;
}

export interface ServerOptions {
  databaseUrl: string;
  port?: number;
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export async function startServerProcess(o: ServerOptions): Promise<ServerProcess> {
  const file = await serverBundle();
  const port = o.port ?? (await freePort());
  const child = spawn(process.execPath, [file, 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: o.databaseUrl,
      LICSTAT_DEMO: '0',
      LICSTAT_CLIENT_RATE_LIMIT: '100000000',
      LOG_LEVEL: 'warn',
      ...o.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    out += b.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) =>
    child.once('exit', (code, signal) => ok({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (o.startTimeoutMs ?? 30_000);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  while (!out.includes('licstat is running at')) {
    if (gone) throw new Error(`server exited before it was ready:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server not ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url,
    port,
    child,
    output: () => out,
    exited,
    kill: () => {
      if (!gone) child.kill('SIGKILL');
    },
  };
}
