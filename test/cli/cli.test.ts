/**
 * The licstat command as an operator runs it (a child process on a fresh SQLite file): help for
 * every subcommand, seed-demo's contents, export, rebuild-rollups, and serve --demo.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Command } from 'commander';
import { describe, expect, test } from 'vitest';
import { buildProgram } from '../../src/cli/program.ts';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server/start.ts';
import { openDb } from '../../src/storage/db.ts';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../bin/licstat.js');
const freshDb = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-cli-')), 'cli.db')}`;
const env = (databaseUrl: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  DATABASE_URL: databaseUrl,
  LOG_LEVEL: 'silent',
  LICSTAT_DEMO: '',
  ...extra,
});

// child processes on a shared 2-core machine: generous per-test time
describe('licstat command', { timeout: 180_000 }, () => {
  test('every subcommand has --help', async () => {
    const leaves = (c: Command): Command[] => (c.commands.length === 0 ? [c] : c.commands.flatMap(leaves));
    const all = leaves(buildProgram());
    expect(all.map((c) => c.name()).sort()).toEqual(
      [
        'create',
        'create',
        'disable',
        'enable',
        'list',
        'set-password',
        'migrate',
        'public-key',
        'rebuild-rollups',
        'seed-demo',
        'serve',
        'sessions',
        'simulate',
        'usage-statistics',
      ].sort(),
    );
    for (const c of all) {
      expect(c.description(), c.name()).not.toBe('');
      expect(c.helpInformation()).toMatch(/^Usage: licstat /);
      expect(c.helpInformation()).toContain('--help');
    }
    // and the installed command answers it
    const root = await run('node', [BIN, 'export', 'sessions', '--help']);
    expect(root.stdout).toMatch(/^Usage: licstat export sessions/);
  });

  test('an operator mistake is one line on stderr and exit code 1', async () => {
    const err = await run('node', [BIN, 'user', 'create', '--email', 'x@y', '--password', 'short'], {
      env: env(freshDb()),
    }).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(1);
    expect((err as { stderr: string }).stderr.trim()).toBe('licstat: --password needs at least 8 characters');
    // what POST /users refuses is refused here too
    for (const [flag, value, said] of [
      ['--email', 'not-an-email', 'licstat: --email not-an-email is not an email address'],
      [
        '--time-zone',
        'Mars/Olympus',
        'licstat: --time-zone Mars/Olympus is not an IANA time zone (e.g. Europe/Berlin)',
      ],
    ] as const) {
      const args = ['user', 'create', '--email', 'ops@example.com', '--password', 'long enough'];
      const bad = await run('node', [BIN, ...args, flag, value], { env: env(freshDb()) }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect([(bad as { code: number }).code, (bad as { stderr: string }).stderr.trim()]).toEqual([1, said]);
    }
    // a simulation whose every action was refused (here: no server there) fails, after its tally
    const sim = await run('node', [
      BIN,
      ...['simulate', '--mode', 'live', '--server', 'http://127.0.0.1:9', '--key', 'NOPE-NOPE'],
      ...['--model', 'multi-user', '--hours', '6', '--speed', '3600'],
    ]).catch((e: { code: number; stdout: string; stderr: string }) => e);
    const failed = sim as { code: number; stdout: string; stderr: string };
    expect(failed.code).toBe(1);
    // how many actions the live run gets to depends on the machine's pace: none goes through
    const tally = JSON.parse(failed.stdout) as {
      actions: number;
      refusals: Record<string, number>;
      starts: { full: number; limited: number; declined: number };
    };
    const refused = tally.refusals.NETWORK_ERROR ?? 0;
    expect(refused).toBeGreaterThan(0);
    expect(Object.keys(tally.refusals)).toEqual(['NETWORK_ERROR']);
    expect(tally.starts).toEqual({ full: 0, limited: 0, declined: 0 });
    expect(failed.stderr.trim()).toBe(
      `licstat: nothing went through: ${refused} of the ${tally.actions} actions were refused (NETWORK_ERROR), the rest needed a session that never started; check the key, --model and the server`,
    );
  });

  test('public-key prints the key GET /client/public-key publishes, and creates none on an empty database', async () => {
    const url = freshDb();
    // without --create it makes no database either (existing-database.test.ts): set one up
    await run('node', [BIN, 'migrate'], { env: env(url) });
    const none = await run('node', [BIN, 'public-key'], { env: env(url) }).catch(
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect((none as { code: number }).code).toBe(1);
    expect((none as { stdout: string }).stdout).toBe('');
    expect((none as { stderr: string }).stderr.trim()).toBe(
      'licstat: this database has no lease signing key yet: start the server on it once (licstat serve), or pass --create',
    );
    const look = openDb(url);
    try {
      expect(await look.kysely.selectFrom('server_keys').select('id').execute()).toEqual([]);
    } finally {
      await look.close();
    }

    const server = await startServer(loadConfig({ DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'silent' }), {
      webDist: '/nonexistent',
    });
    try {
      const published = (await (await fetch(`${server.url}/api/v1/client/public-key`)).json()) as {
        publicKeyRaw: string;
        publicKeyPem: string;
      };
      const raw = await run('node', [BIN, 'public-key'], { env: env(url) });
      expect(raw.stdout).toBe(`${published.publicKeyRaw}\n`);
      const pem = await run('node', [BIN, 'public-key', '--pem', '--database', url], { env: env(freshDb()) });
      expect(pem.stdout.trim()).toBe(published.publicKeyPem.trim());
      expect(pem.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    } finally {
      await server.stop();
    }

    // --create: the key the server will use at its first start
    const fresh = freshDb();
    const created = await run('node', [BIN, 'public-key', '--create'], { env: env(fresh) });
    expect(created.stdout).toMatch(/^[A-Za-z0-9_-]{43}\n$/);
    const again = await run('node', [BIN, 'public-key'], { env: env(fresh) });
    expect(again.stdout).toBe(created.stdout);
  });

  test('seed-demo fills an empty database with every model, declines, takes and live sessions; export and rebuild-rollups work on it', async () => {
    const url = freshDb();
    const { stdout } = await run('node', [BIN, 'seed-demo'], { env: env(url) });
    const seconds = Number(/seeded in ([\d.]+) s/.exec(stdout)?.[1]);
    expect(seconds).toBeLessThan(60);
    expect(stdout).toContain('admin@acme.example');
    expect(stdout).toContain('licstat-admin');

    const db = openDb(url);
    try {
      const k = db.kysely;
      const models = (await k.selectFrom('license_items').select('model').distinct().execute()).map(
        (r) => r.model,
      );
      expect(models.sort()).toEqual(['hardware-key', 'multi-user', 'per-device', 'per-scan', 'single-user']);
      const orders = (await k.selectFrom('orders').select('kind').distinct().execute()).map((r) => r.kind);
      expect(orders.sort()).toEqual(['full', 'trial']);
      const roles = await k.selectFrom('users').select(['role', 'organization_id']).execute();
      expect(roles.filter((r) => r.role === 'vendor')).toHaveLength(1);
      expect(roles.filter((r) => r.role === 'admin')).toHaveLength(2);
      expect(roles.filter((r) => r.role === 'member')).toHaveLength(2);
      // one item configured to two projects
      const shared = await k
        .selectFrom('project_items')
        .select('license_item_id')
        .groupBy('license_item_id')
        .having((eb) => eb.fn.countAll(), '>', 1)
        .execute();
      expect(shared.length).toBeGreaterThan(0);
      const kinds = new Map(
        (
          await k
            .selectFrom('usage_events')
            .select(['kind', (eb) => eb.fn.countAll<number>().as('n')])
            .groupBy('kind')
            .execute()
        ).map((r) => [r.kind, Number(r.n)]),
      );
      for (const kind of [
        'full_access',
        'limited_access',
        'declined',
        'take',
        'take_denied',
        'checkout',
        'scan',
        'device_seen',
      ]) {
        expect(kinds.get(kind) ?? 0, kind).toBeGreaterThan(0);
      }
      const now = Date.now();
      const earliest = await k
        .selectFrom('usage_events')
        .select((eb) => eb.fn.min('at').as('t'))
        .executeTakeFirstOrThrow();
      expect(now - Number(earliest.t)).toBeGreaterThan(85 * 86_400_000);
      const live = await k
        .selectFrom('sessions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('ended_at', 'is', null)
        .where('lease_expires_at', '>', now)
        .executeTakeFirstOrThrow();
      expect(Number(live.n)).toBeGreaterThan(3);
      // late reports: scans received long after they happened
      const late = await k
        .selectFrom('usage_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('kind', '=', 'scan')
        .where((eb) => eb('received_at', '>', eb('at', '+', 86_400_000)))
        .executeTakeFirstOrThrow();
      expect(Number(late.n)).toBeGreaterThan(0);

      // every rollup level (quarter, hour, 6 hours, day) sums to the ledger, kind by kind
      const sumsOf = async (
        table:
          | 'usage_rollups'
          | 'usage_rollups_hour'
          | 'usage_rollups_6h'
          | 'usage_rollups_day'
          | 'usage_rollups_all',
      ) =>
        (
          await k
            .selectFrom(table as 'usage_rollups')
            .select(['kind', (eb) => eb.fn.sum<number>('value').as('v')])
            .groupBy('kind')
            .orderBy('kind')
            .execute()
        ).map((r) => [r.kind, Number(r.v)]);
      const presence = async (
        table:
          | 'device_presence'
          | 'device_presence_hour'
          | 'device_presence_6h'
          | 'device_presence_day'
          | 'device_presence_all',
      ) =>
        Number(
          (
            await k
              .selectFrom(table as 'device_presence')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const rollups = async () => ({
        quarter: await sumsOf('usage_rollups'),
        hour: await sumsOf('usage_rollups_hour'),
        sixHours: await sumsOf('usage_rollups_6h'),
        day: await sumsOf('usage_rollups_day'),
        all: await sumsOf('usage_rollups_all'),
        presence: [
          await presence('device_presence'),
          await presence('device_presence_hour'),
          await presence('device_presence_6h'),
          await presence('device_presence_day'),
          await presence('device_presence_all'),
        ],
      });
      const ledgerSums = (
        await k
          .selectFrom('usage_events')
          .select(['kind', (eb) => eb.fn.sum<number>('count').as('v')])
          .groupBy('kind')
          .orderBy('kind')
          .execute()
      ).map((r) => [r.kind, Number(r.v)]);
      const before = await rollups();
      expect(before.quarter).toEqual(ledgerSums);
      expect(before.hour).toEqual(ledgerSums);
      expect(before.sixHours).toEqual(ledgerSums);
      expect(before.day).toEqual(ledgerSums);
      expect(before.all).toEqual(ledgerSums);
      const rebuilt = await run('node', [BIN, 'rebuild-rollups'], { env: env(url) });
      expect(rebuilt.stdout).toMatch(/rebuilt rollups from \d+ ledger events/);
      expect(await rollups()).toEqual(before);
    } finally {
      await db.close();
    }

    const out = join(mkdtempSync(join(tmpdir(), 'licstat-csv-')), 'usage.csv');
    await run('node', [BIN, 'export', 'usage-statistics', '--org', 'Acme Robotics', '--out', out], {
      env: env(url),
    });
    const csv = readFileSync(out, 'utf8').split('\r\n');
    expect(csv[0]).toBe(
      'Product,Licenses,Status,Activations,Activation Code,Full Access,Limited Access,Declined Access,Takes,Take Denied,Checkouts',
    );
    expect(csv.length).toBeGreaterThan(5);
    const again = await run('node', [BIN, 'seed-demo'], { env: env(url) }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((again as { stderr: string }).stderr).toContain('already has organizations or users');
  });

  test('Ctrl-C stops seed-demo after the current transaction, and the command exits cleanly', async () => {
    const url = freshDb();
    const child = spawn('node', [BIN, 'seed-demo'], { env: env(url), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    // once the catalog is in, history is being written (a fresh connection each look: the
    // schema appears while we wait)
    const ledgerRows = async () => {
      const look = openDb(url);
      try {
        const r = await look.kysely
          .selectFrom('usage_events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirst();
        return Number(r?.n ?? 0);
      } catch {
        return 0;
      } finally {
        await look.close();
      }
    };
    const db = openDb(url);
    try {
      await expect.poll(ledgerRows, { timeout: 60_000, interval: 200 }).toBeGreaterThan(0);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(err + out).toContain('stopping after the current transaction');
      expect(out).toMatch(/^stopped early: /m);
      // what was written is whole: rollups agree with the ledger
      const ledger = await db.kysely
        .selectFrom('usage_events')
        .select((eb) => eb.fn.sum<number>('count').as('n'))
        .executeTakeFirstOrThrow();
      const rolled = await db.kysely
        .selectFrom('usage_rollups')
        .select((eb) => eb.fn.sum<number>('value').as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(rolled.n)).toBe(Number(ledger.n));
    } finally {
      child.kill('SIGKILL');
      await db.close();
    }
  });

  test('serve --demo seeds an empty database, prints the portal URL and logins, and stops on SIGTERM', async () => {
    const url = freshDb();
    // the operator's vendor account and the demo data, both, on a first start
    const operator = {
      LICSTAT_ADMIN_EMAIL: 'ops@vendor.test',
      LICSTAT_ADMIN_PASSWORD: 'a long operator password',
    };
    const child = spawn('node', [BIN, 'serve', '--demo'], {
      env: env(url, { PORT: '0', ...operator }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await expect.poll(() => out, { timeout: 60_000, interval: 200 }).toContain('member@globex.example');
      // the demo path opens the database twice: the operator's user is reported as made, not ignored
      expect(out).toContain('Created vendor user ops@vendor.test (LICSTAT_ADMIN_EMAIL).');
      expect(out).not.toContain('ignored');
      const portal = /Portal:\s+(http:\/\/\S+)/.exec(out)?.[1];
      expect(portal).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${portal}/api/v1/health`);
      expect(health.status).toBe(200);
      const login = await fetch(`${portal}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: operator.LICSTAT_ADMIN_EMAIL,
          password: operator.LICSTAT_ADMIN_PASSWORD,
        }),
      });
      expect(login.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    /** Starts `serve --demo`, waits until it listens, stops it; answers what it printed. */
    const serveOnce = async (db: string, extra: Record<string, string>) => {
      const quiet = spawn('node', [BIN, 'serve', '--demo'], {
        env: env(db, { PORT: '0', ...extra }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let quietOut = '';
      quiet.stdout.on('data', (d: Buffer) => {
        quietOut += d.toString();
      });
      const quietExit = new Promise<number | null>((r) => quiet.on('exit', (code) => r(code)));
      try {
        await expect
          .poll(() => quietOut, { timeout: 30_000, interval: 200 })
          .toContain('licstat is running at');
      } finally {
        quiet.kill('SIGTERM');
      }
      expect(await quietExit).toBe(0);
      return quietOut;
    };
    const tables = async (db: string) => {
      const d = openDb(db);
      try {
        return {
          organizations: (await d.kysely.selectFrom('organizations').select('id').execute()).length,
          users: (await d.kysely.selectFrom('users').select('email').execute()).map((u) => u.email),
        };
      } finally {
        await d.close();
      }
    };
    // LICSTAT_DEMO=0: starts empty but for the operator's account
    const empty = freshDb();
    expect(await serveOnce(empty, { LICSTAT_DEMO: '0', ...operator })).not.toContain('Demo data');
    expect(await tables(empty)).toEqual({ organizations: 0, users: ['ops@vendor.test'] });
    // restarted as npm start does (demo on by default): a database with a user is not empty, so
    // no demo logins with published passwords go into it
    expect(await serveOnce(empty, {})).not.toContain('Demo data');
    expect(await tables(empty)).toEqual({ organizations: 0, users: ['ops@vendor.test'] });
  });
});
