/**
 * The benchmark harness: --help prints its options and exits (it used to start a full run), and a
 * database given to it that holds real data is refused before anything is built or written.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOrganization } from '../../src/storage/catalog-repository.ts';
import { migrateToLatest, openDb } from '../../src/storage/db.ts';
import { type ChildOutput, childOutput } from '../support/child-output.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Runs bench/run.ts; a run that does not stop within 30 s (a real benchmark) is killed and fails. */
function bench(args: string[], env: Record<string, string> = {}): Promise<ChildOutput> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group: a runaway run is killed with its build and servers
  });
  return childOutput(child, {
    timeoutMs: 30_000,
    onTimeout: () => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    },
  });
}

describe('npm run bench', { timeout: 60_000 }, () => {
  it('--help prints the options and exits; an unknown option is refused', async () => {
    const help = await bench(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run bench/);
    for (const option of ['--quick', '--only', '--database', '--help']) expect(help.stdout).toContain(option);
    expect(help.stdout).toContain('DATABASE_URL is never used');
    const typo = await bench(['--quik']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/^bench: Unknown option '--quik'/);
  });

  it('refuses a --database that holds data other than its own, and writes nothing into it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'licstat-bench-guard-')), 'real.db');
    const db = openDb(`sqlite:${file}`);
    await migrateToLatest(db);
    await createOrganization(db.kysely, 'Acme Robotics', Date.now());
    await db.close();
    const before = statSync(file).mtimeMs;
    const r = await bench(['--quick', '--database', `sqlite:${file}`], {
      DATABASE_URL: 'sqlite:/nonexistent/x.db',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `bench: refusing --database sqlite:${file}: it holds data that is not the benchmark's (organization Acme Robotics)`,
    );
    expect(statSync(file).mtimeMs).toBe(before);
  });
});
