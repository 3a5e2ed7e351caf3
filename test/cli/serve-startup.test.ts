/**
 * `licstat serve` start-up as an operator sees it: LICSTAT_ADMIN_EMAIL/PASSWORD mistakes refuse
 * to start in one line; what they did, that they were ignored, or how to make a first user is said.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type ChildOutput, childOutput } from '../support/child-output.ts';

const BIN = join(import.meta.dirname, '../../bin/licstat.js');
const freshDb = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-serve-')), 'serve.db')}`;
const PORT = '0'; // any free port: the test only needs the server to start

/** Starts `serve`; resolves once it listens (then stops it) or once it exits on its own. */
function serve(databaseUrl: string, extra: Record<string, string>): Promise<ChildOutput> {
  const child = spawn('node', [BIN, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT,
      LOG_LEVEL: 'silent',
      LICSTAT_DEMO: '',
      LICSTAT_ADMIN_EMAIL: '',
      LICSTAT_ADMIN_PASSWORD: '',
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return childOutput(child, {
    timeoutMs: 60_000,
    onTimeout: () => child.kill('SIGKILL'),
    onStdout: (soFar) => {
      if (soFar.includes('licstat is running at')) child.kill('SIGTERM');
    },
  });
}

describe('licstat serve start-up messages', { timeout: 180_000 }, () => {
  test('LICSTAT_ADMIN_EMAIL without LICSTAT_ADMIN_PASSWORD, or an email POST /users refuses: no start, one line', async () => {
    const half = await serve(freshDb(), { LICSTAT_ADMIN_EMAIL: 'ops@vendor.test' });
    expect([half.code, half.stdout, half.stderr]).toEqual([
      1,
      '',
      'licstat: invalid environment: LICSTAT_ADMIN_EMAIL is set but LICSTAT_ADMIN_PASSWORD is not: set both to create the first vendor user, or neither\n',
    ]);
    const bad = await serve(freshDb(), {
      LICSTAT_ADMIN_EMAIL: 'ops',
      LICSTAT_ADMIN_PASSWORD: 'a long operator password',
    });
    expect([bad.code, bad.stderr]).toEqual([
      1,
      'licstat: invalid environment: LICSTAT_ADMIN_EMAIL="ops" must be an email address (name@domain, at most 254 characters)\n',
    ]);
  });

  test('an empty database gets a hint; the variables create the user once, later starts say they were ignored', async () => {
    const url = freshDb();
    const empty = await serve(url, {});
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain(
      'No users yet: create the first vendor user with `licstat user create --email you@example.com --password …` (or set LICSTAT_ADMIN_EMAIL and LICSTAT_ADMIN_PASSWORD and restart).',
    );
    const operator = {
      LICSTAT_ADMIN_EMAIL: 'ops@vendor.test',
      LICSTAT_ADMIN_PASSWORD: 'a long operator password',
    };
    const first = await serve(url, operator);
    expect(first.stdout).toContain('Created vendor user ops@vendor.test (LICSTAT_ADMIN_EMAIL).');
    expect(first.stdout).not.toContain('No users yet');
    const other = await serve(url, { ...operator, LICSTAT_ADMIN_EMAIL: 'someone@vendor.test' });
    expect(other.stdout).toContain(
      'LICSTAT_ADMIN_EMAIL/LICSTAT_ADMIN_PASSWORD ignored: the database already has users, so no user someone@vendor.test was created',
    );
    const plain = await serve(url, {});
    expect(plain.stdout).not.toMatch(/No users yet|ignored|Created vendor user/);
  });
});
