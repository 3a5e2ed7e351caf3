/**
 * Operator recovery at the command line (child processes on a fresh SQLite file): user
 * set-password, list, disable/enable, and licstat --version.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { verifyPassword } from '../../src/core/passwords.ts';
import { createAuthSession } from '../../src/storage/auth-session-repository.ts';
import { createOrganization } from '../../src/storage/catalog-repository.ts';
import { migrateToLatest, openDb } from '../../src/storage/db.ts';
import { loginLockedFor, recordLoginFailure } from '../../src/storage/login-failure-repository.ts';
import { createUser, findUserByEmail } from '../../src/storage/user-repository.ts';

const BIN = join(import.meta.dirname, '../../bin/licstat.js');
const freshDb = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-cli-user-')), 'cli.db')}`;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `licstat …` on the database, optionally piping `input` into its stdin. */
function licstat(databaseUrl: string, args: string[], input?: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('node', [BIN, ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', LICSTAT_DEMO: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** A database with a vendor and an organization's admin, the vendor locked out and logged in twice. */
async function setUp(url: string) {
  const db = openDb(url);
  await migrateToLatest(db);
  const now = Date.now();
  const org = await createOrganization(db.kysely, 'Acme Robotics', now);
  const vendor = await createUser(
    db.kysely,
    { organizationId: null, email: 'boss@vendor.test', password: 'the lost password', role: 'vendor' },
    now,
  );
  const admin = await createUser(
    db.kysely,
    { organizationId: org.id, email: 'admin@acme.test', password: 'admin password', role: 'admin' },
    now,
  );
  await createAuthSession(db.kysely, vendor.id, now);
  await createAuthSession(db.kysely, vendor.id, now);
  await createAuthSession(db.kysely, admin.id, now);
  // guessing locked the vendor's login from one address and counted failures from another; the
  // admin mistyped once
  for (let i = 0; i < 10; i++)
    await recordLoginFailure(db.kysely, vendor.email, '10.0.0.1', now, () => 15 * 60_000);
  await recordLoginFailure(db.kysely, vendor.email, '10.0.0.2', now, () => 0);
  await recordLoginFailure(db.kysely, admin.email, '10.0.0.3', now, () => 0);
  await db.close();
  return { org, vendor, admin };
}

async function look<T>(url: string, fn: (db: ReturnType<typeof openDb>) => Promise<T>): Promise<T> {
  const db = openDb(url);
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const sessionsOf = (db: ReturnType<typeof openDb>, userId: string) =>
  db.kysely.selectFrom('auth_sessions').select('id').where('user_id', '=', userId).execute();

const failuresOf = (db: ReturnType<typeof openDb>, email: string) =>
  db.kysely
    .selectFrom('login_failures')
    .select(['address', 'failures'])
    .where('email', '=', email)
    .orderBy('address')
    .execute();

describe('licstat user (operator recovery)', { timeout: 180_000 }, () => {
  test('set-password: a new password from stdin, sessions ended, lockout cleared, audited', async () => {
    const url = freshDb();
    const { vendor, admin } = await setUp(url);
    // locked out before
    expect(
      await look(url, (db) => loginLockedFor(db.kysely, vendor.email, '10.0.0.1', Date.now())),
    ).toBeGreaterThan(0);
    expect(await look(url, (db) => failuresOf(db, vendor.email))).toEqual([
      { address: '10.0.0.1', failures: 10 },
      { address: '10.0.0.2', failures: 1 },
    ]);

    // refused before anything is touched: no password, both ways, too short, unknown user
    const refusals = [
      [
        ['--email', vendor.email],
        'licstat: give the new password with either --password or --password-stdin',
      ],
      [
        ['--email', vendor.email, '--password', 'long enough pw', '--password-stdin'],
        'licstat: give the new password with either --password or --password-stdin',
      ],
      [['--email', vendor.email, '--password', 'short'], 'licstat: --password needs at least 8 characters'],
      [
        ['--email', 'nobody@vendor.test', '--password', 'long enough pw'],
        'licstat: no user with email nobody@vendor.test (licstat user list shows them)',
      ],
    ] as const;
    for (const [args, said] of refusals) {
      const r = await licstat(url, ['user', 'set-password', ...args]);
      expect([r.code, r.stderr.trim()]).toEqual([1, said]);
    }
    const short = await licstat(
      url,
      ['user', 'set-password', '--email', vendor.email, '--password-stdin'],
      'abc\n',
    );
    expect([short.code, short.stderr.trim()]).toEqual([
      1,
      'licstat: the password on stdin needs at least 8 characters',
    ]);
    expect(await look(url, (db) => sessionsOf(db, vendor.id))).toHaveLength(2);

    // the email as the operator types it; the trailing line end of echo is not part of the password
    const ok = await licstat(
      url,
      ['user', 'set-password', '--email', ' Boss@Vendor.TEST', '--password-stdin'],
      'a brand new password\n',
    );
    expect(ok.stderr).toBe('');
    expect([ok.code, ok.stdout.trim()]).toEqual([
      0,
      'set the password of vendor user boss@vendor.test; their portal sessions ended',
    ]);
    await look(url, async (db) => {
      const row = (await findUserByEmail(db.kysely, vendor.email))!;
      expect(await verifyPassword('a brand new password', row.password_hash)).toBe(true);
      expect(await verifyPassword('the lost password', row.password_hash)).toBe(false);
      // the lockout (login_failures, every address) is over for this user only
      expect(await loginLockedFor(db.kysely, vendor.email, '10.0.0.1', Date.now())).toBe(0);
      expect(await failuresOf(db, vendor.email)).toEqual([]);
      expect(await failuresOf(db, admin.email)).toEqual([{ address: '10.0.0.3', failures: 1 }]);
      expect(await sessionsOf(db, vendor.id)).toEqual([]);
      // another user's login is untouched
      expect(await sessionsOf(db, admin.id)).toHaveLength(1);
      const audit = await db.kysely.selectFrom('audit_log').selectAll().execute();
      expect(audit.map((a) => [a.action, a.target, a.user_id])).toEqual([['user.password', vendor.id, null]]);
    });

    // --password works too
    const again = await licstat(url, [
      'user',
      'set-password',
      '--email',
      admin.email,
      '--password',
      'admin pw #2',
    ]);
    expect(again.code).toBe(0);
    await look(url, async (db) => {
      const row = (await findUserByEmail(db.kysely, admin.email))!;
      expect(await verifyPassword('admin pw #2', row.password_hash)).toBe(true);
      expect(await sessionsOf(db, admin.id)).toEqual([]);
    });
  });

  test('list, disable and enable', async () => {
    const url = freshDb();
    const { org, vendor, admin } = await setUp(url);

    const all = await licstat(url, ['user', 'list']);
    expect(all.code).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^EMAIL\s+ROLE\s+ORGANIZATION\s+DISABLED$/);
    expect(lines.slice(1).map((l) => l.split(/\s{2,}/))).toEqual([
      ['admin@acme.test', 'admin', `${org.id} (Acme Robotics)`, 'no'],
      ['boss@vendor.test', 'vendor', '— (vendor staff)', 'no'],
    ]);
    const ofOrg = await licstat(url, ['user', 'list', '--org', org.id, '--json']);
    expect(JSON.parse(ofOrg.stdout)).toEqual([
      {
        email: 'admin@acme.test',
        role: 'admin',
        organizationId: org.id,
        organization: 'Acme Robotics',
        disabled: false,
      },
    ]);
    // by its exact name, as `export --org` takes it
    const byName = await licstat(url, ['user', 'list', '--org', 'Acme Robotics', '--json']);
    expect(JSON.parse(byName.stdout)).toEqual(JSON.parse(ofOrg.stdout));
    const noOrg = await licstat(url, ['user', 'list', '--org', 'org_nope']);
    expect([noOrg.code, noOrg.stderr.trim()]).toEqual([
      1,
      'licstat: no organization with id or name org_nope',
    ]);

    const off = await licstat(url, ['user', 'disable', '--email', admin.email]);
    expect([off.code, off.stdout.trim()]).toEqual([0, 'disabled admin user admin@acme.test']);
    await look(url, async (db) => {
      expect((await findUserByEmail(db.kysely, admin.email))!.disabled).toBe(1);
      expect(await sessionsOf(db, admin.id)).toEqual([]);
      // the vendor's sessions stay
      expect(await sessionsOf(db, vendor.id)).toHaveLength(2);
    });
    const listed = await licstat(url, ['user', 'list', '--org', org.id]);
    expect(listed.stdout).toMatch(/admin@acme\.test\s+admin\s+.+\s+yes\n$/);
    expect((await licstat(url, ['user', 'disable', '--email', admin.email])).stdout.trim()).toBe(
      'admin@acme.test is already disabled',
    );
    const on = await licstat(url, ['user', 'enable', '--email', 'ADMIN@acme.test']);
    expect([on.code, on.stdout.trim()]).toEqual([0, 'enabled admin user admin@acme.test']);
    await look(url, async (db) => {
      expect((await findUserByEmail(db.kysely, admin.email))!.disabled).toBe(0);
      const audit = await db.kysely
        .selectFrom('audit_log')
        .select(['action', 'details'])
        .orderBy('id')
        .execute();
      expect(audit.map((a) => [a.action, JSON.parse(a.details!)])).toEqual([
        ['user.update', { disabled: true, via: 'cli' }],
        ['user.update', { disabled: false, via: 'cli' }],
      ]);
    });
    // disabling the last vendor says how to undo it
    const last = await licstat(url, ['user', 'disable', '--email', vendor.email]);
    expect(last.code).toBe(0);
    expect(last.stderr).toContain(`licstat user enable --email ${vendor.email}`);
  });

  test('user create refuses a password POST /users would refuse, and is audited', async () => {
    const url = freshDb();
    expect((await licstat(url, ['migrate'])).code).toBe(0); // it makes no database (existing-database.test.ts)
    const long = await licstat(url, [
      'user',
      'create',
      '--email',
      'a@b.test',
      '--password',
      'x'.repeat(1025),
    ]);
    expect([long.code, long.stderr.trim()]).toEqual([1, 'licstat: --password takes at most 1024 characters']);
    const ok = await licstat(url, ['user', 'create', '--email', 'a@b.test', '--password', 'long enough']);
    expect(ok.code).toBe(0);
    const audit = await look(url, (db) => db.kysely.selectFrom('audit_log').select('action').execute());
    expect(audit).toEqual([{ action: 'user.create' }]);
  });

  test('licstat --version prints package.json version', async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version: string;
    };
    const r = await licstat(freshDb(), ['--version']);
    expect([r.code, r.stdout]).toEqual([0, `${version}\n`]);
  });
});
