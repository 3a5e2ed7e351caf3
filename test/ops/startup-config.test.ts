/**
 * Start-up mistakes say what is wrong: invalid settings name the variable and what it accepts;
 * LICSTAT_ADMIN_EMAIL/PASSWORD are checked as POST /users checks a user, and what they did (or
 * that they were ignored) is reported.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeBootstrap } from '../../src/cli/commands/serve.ts';
import { loadConfig } from '../../src/config.ts';
import { migrateToLatest, openDb } from '../../src/storage/db.ts';
import { ensureBootstrapVendor } from '../../src/storage/user-repository.ts';

const freshSqlite = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-ops-')), 'ops.db')}`;
const errorOf = (env: Record<string, string>): string => {
  try {
    loadConfig(env);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('invalid settings name the variable and the allowed values', () => {
  it('enumerations list their values', () => {
    expect(errorOf({ LOG_LEVEL: 'loud' })).toBe(
      'invalid environment: LOG_LEVEL="loud" must be one of fatal, error, warn, info, debug, trace, silent',
    );
    expect(errorOf({ LICSTAT_DEMO: 'yes' })).toBe('invalid environment: LICSTAT_DEMO="yes" must be 0 or 1');
  });

  it('every invalid variable at once, in one line', () => {
    expect(errorOf({ PORT: 'eighty', LICSTAT_WEBHOOK_ALLOW_PRIVATE: 'true' })).toBe(
      'invalid environment: PORT="eighty" must be an integer from 0 to 65535; LICSTAT_WEBHOOK_ALLOW_PRIVATE="true" must be 0 or 1',
    );
  });

  it('never repeats a value that may hold a password', () => {
    const said = errorOf({ LICSTAT_SMTP_URL: 'http://mailer:hunter22@mail.example' });
    expect(said).toBe(
      'invalid environment: LICSTAT_SMTP_URL must be smtp://[user:password@]host[:port] or smtps://…',
    );
    expect(errorOf({ LICSTAT_ADMIN_EMAIL: 'a@b.test', LICSTAT_ADMIN_PASSWORD: 'hunter2' })).toBe(
      'invalid environment: LICSTAT_ADMIN_PASSWORD must be 8 to 1024 characters',
    );
  });
});

describe('LICSTAT_ADMIN_EMAIL / LICSTAT_ADMIN_PASSWORD', () => {
  it('a trusted proxy that is not an address, a CIDR or a range name is refused by name', () => {
    expect(() => loadConfig({ LICSTAT_TRUST_PROXY: 'abc' })).toThrow(
      'invalid environment: LICSTAT_TRUST_PROXY has "abc", which is not an IP address, a CIDR (address/prefix) or loopback, linklocal, uniquelocal',
    );
    expect(() => loadConfig({ LICSTAT_TRUST_PROXY: '10.0.0.0/33' })).toThrow('"10.0.0.0/33"');
    expect(() => loadConfig({ LICSTAT_TRUST_PROXY: '10.0.0.1, 999.1.1.1' })).toThrow('"999.1.1.1"');
    expect(loadConfig({ LICSTAT_TRUST_PROXY: '10.0.0.0/8, ::1, loopback' }).trustProxy).toBe(
      '10.0.0.0/8, ::1, loopback',
    );
    expect(loadConfig({ LICSTAT_TRUST_PROXY: '1' }).trustProxy).toBe('loopback');
  });

  it('one without the other is refused', () => {
    expect(errorOf({ LICSTAT_ADMIN_EMAIL: 'boss@vendor.test' })).toBe(
      'invalid environment: LICSTAT_ADMIN_EMAIL is set but LICSTAT_ADMIN_PASSWORD is not: set both to create the first vendor user, or neither',
    );
    expect(errorOf({ LICSTAT_ADMIN_PASSWORD: 'very secret pw' })).toBe(
      'invalid environment: LICSTAT_ADMIN_PASSWORD is set but LICSTAT_ADMIN_EMAIL is not: set both to create the first vendor user, or neither',
    );
  });

  it('an email or password POST /users would refuse is refused', () => {
    for (const email of ['boss', 'boss at vendor.test', `${'x'.repeat(250)}@vendor.test`])
      expect(errorOf({ LICSTAT_ADMIN_EMAIL: email, LICSTAT_ADMIN_PASSWORD: 'very secret pw' })).toBe(
        `invalid environment: LICSTAT_ADMIN_EMAIL=${JSON.stringify(email)} must be an email address (name@domain, at most 254 characters)`,
      );
    expect(
      errorOf({ LICSTAT_ADMIN_EMAIL: 'boss@vendor.test', LICSTAT_ADMIN_PASSWORD: 'x'.repeat(1025) }),
    ).toBe('invalid environment: LICSTAT_ADMIN_PASSWORD must be 8 to 1024 characters');
    expect(errorOf({ LICSTAT_ADMIN_EMAIL: 'boss@vendor.test', LICSTAT_ADMIN_PASSWORD: '12345678' })).toBe(
      'no error',
    );
  });

  it('reports what they did: created, ignored on a database with users, or no users at all', async () => {
    const url = freshSqlite();
    const db = openDb(url);
    await migrateToLatest(db);
    try {
      const none = loadConfig({ DATABASE_URL: url });
      const set = loadConfig({
        DATABASE_URL: url,
        LICSTAT_ADMIN_EMAIL: 'Boss@Vendor.test',
        LICSTAT_ADMIN_PASSWORD: 'very secret pw',
      });
      const noUsers = await ensureBootstrapVendor(db, none, 1);
      expect(noUsers).toEqual({ kind: 'no-users' });
      expect(describeBootstrap(noUsers)).toBe(
        'No users yet: create the first vendor user with `licstat user create --email you@example.com --password …` (or set LICSTAT_ADMIN_EMAIL and LICSTAT_ADMIN_PASSWORD and restart).',
      );
      const created = await ensureBootstrapVendor(db, set, 2);
      expect(created).toEqual({ kind: 'created', email: 'boss@vendor.test' });
      expect(describeBootstrap(created)).toBe('Created vendor user boss@vendor.test (LICSTAT_ADMIN_EMAIL).');
      // a restart with the variables still set
      const again = await ensureBootstrapVendor(db, set, 3);
      expect(again).toEqual({ kind: 'ignored', email: 'boss@vendor.test', existing: true });
      expect(describeBootstrap(again)).toContain('LICSTAT_ADMIN_EMAIL/LICSTAT_ADMIN_PASSWORD ignored');
      expect(describeBootstrap(again)).toContain('licstat user set-password --email boss@vendor.test');
      // another email on a database that has users: nothing created, and said so
      const other = loadConfig({
        DATABASE_URL: url,
        LICSTAT_ADMIN_EMAIL: 'new@vendor.test',
        LICSTAT_ADMIN_PASSWORD: 'very secret pw',
      });
      const ignored = await ensureBootstrapVendor(db, other, 4);
      expect(ignored).toEqual({ kind: 'ignored', email: 'new@vendor.test', existing: false });
      expect(describeBootstrap(ignored)).toBe(
        'LICSTAT_ADMIN_EMAIL/LICSTAT_ADMIN_PASSWORD ignored: the database already has users, so no user new@vendor.test was created (they apply only to a database without users; licstat user create --email new@vendor.test --password … adds one).',
      );
      expect(await ensureBootstrapVendor(db, none, 5)).toEqual({ kind: 'none' });
      expect(describeBootstrap({ kind: 'none' })).toBeNull();
      const users = await db.kysely.selectFrom('users').select('email').execute();
      expect(users).toEqual([{ email: 'boss@vendor.test' }]);
    } finally {
      await db.close();
    }
  });

  it('two processes starting at once on an empty database: one creates, the other is told it was ignored', async () => {
    const url = freshSqlite();
    const db = openDb(url);
    await migrateToLatest(db);
    try {
      const set = loadConfig({
        DATABASE_URL: url,
        LICSTAT_ADMIN_EMAIL: 'boss@vendor.test',
        LICSTAT_ADMIN_PASSWORD: 'very secret pw',
      });
      // both find no users, both hash the password, one insert loses on the unique email
      const outcomes = await Promise.all([
        ensureBootstrapVendor(db, set, 1),
        ensureBootstrapVendor(db, set, 2),
      ]);
      expect(outcomes.map((o) => o.kind).sort()).toEqual(['created', 'ignored']);
    } finally {
      await db.close();
    }
  });
});
