/**
 * npm run bench [-- --quick]: prints each figure with its same-run baseline and ratio, and (full
 * runs) writes bench/RESULTS.md. It writes millions of rows, so it never takes DATABASE_URL: by
 * default it runs on a new SQLite file in the temporary directory; `-- --database postgres://…`
 * (or BENCH_DATABASE_URL) measures PostgreSQL instead, on a database that is empty or holds only
 * an earlier bench run's data, and writes bench/RESULTS.postgresql.md, so the SQLite results stay.
 * `-- --only 3` (or `--only 1,3`) runs those figures alone and leaves RESULTS.md as it is;
 * BENCH_PROFILE_DIR=dir makes the licstat server write a CPU profile there (node --cpu-prof).
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Db, migrateToLatest, openDb } from '../src/storage/db.ts';
import { clientSessions } from './figures/client-sessions.ts';
import { csvExport } from './figures/csv-export.ts';
import { ingest } from './figures/ingest.ts';
import { portal } from './figures/portal.ts';
import { projectStats } from './figures/project-stats.ts';
import { type Figure, fmt } from './lib/figure.ts';
import { type Child, startChild } from './lib/proc.ts';

const USAGE = `Usage: npm run bench [-- options]   (or: npx tsx bench/run.ts [options])

Builds the bundle, starts licstat and baseline servers on free local ports, and measures
1. client session start + renew, 2. usage ingest, 3. project stats, 4. CSV export, 5. portal.
A full run takes several minutes, writes millions of rows into its database, and writes
bench/RESULTS.md (SQLite) or bench/RESULTS.postgresql.md (PostgreSQL).

Options:
  --quick             a smoke run (under a minute, small data); writes no results file
  --only <n[,n…]>     run only these figures, e.g. --only 1,3; writes no results file
  --database <url>    measure on this database instead of a new temporary SQLite file, e.g.
                      postgres://postgres@127.0.0.1/licstat_bench; it must be empty or hold
                      only an earlier bench run's data (also: BENCH_DATABASE_URL)
  -h, --help          print this and exit

DATABASE_URL is never used: the benchmark does not write into the server's database.
BENCH_PROFILE_DIR=<dir> makes the licstat server write a CPU profile there (node --cpu-prof).
`;

let args: { quick?: boolean; only?: string; database?: string; help?: boolean };
try {
  args = parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      database: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (e) {
  process.stderr.write(`bench: ${(e as Error).message}\n\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const quick = args.quick === true;
const only = args.only !== undefined ? new Set(args.only.split(',').map(Number)) : null;
if (only && [...only].some((n) => !Number.isInteger(n) || n < 1 || n > 5)) {
  process.stderr.write(`bench: --only takes figure numbers 1 to 5, e.g. --only 1,3 (got ${args.only})\n`);
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
const explicitUrl = args.database ?? (process.env.BENCH_DATABASE_URL || undefined);
if (!explicitUrl && process.env.DATABASE_URL)
  process.stdout.write(
    'DATABASE_URL is ignored (the benchmark writes millions of rows): using a temporary SQLite file; --database <url> picks another database\n',
  );
const dbUrl = explicitUrl ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-bench-')), 'bench.db')}`;
const dialect = dbUrl.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL';
const log = (s: string) => process.stdout.write(`${s}\n`);

const serverEnv = {
  DATABASE_URL: dbUrl,
  LICSTAT_DEMO: '0',
  // nothing of the operator's environment reaches the benchmarked server (empty = unset)
  REDIS_URL: '',
  LICSTAT_ADMIN_EMAIL: '',
  LICSTAT_ADMIN_PASSWORD: '',
  LICSTAT_SMTP_URL: '',
  // the benchmark drives one license key from 50 connections
  LICSTAT_CLIENT_RATE_LIMIT: '1000000000',
};
const startLicstat = () => startChild(join(root, 'dist/licstat.mjs'), ['serve'], serverEnv);

function print(f: Figure): void {
  const base = f.baseline
    ? ` | baseline ${f.baseline.name}: ${fmt(f.baseline.value)} ${f.baseline.unit}`
    : '';
  const ratio = f.ratio !== undefined ? ` | ratio ${fmt(f.ratio, 2)}` : '';
  const target = f.target ? ` | target ${f.target}: ${f.met ? 'met' : 'MISSED'}` : '';
  log(`• ${f.name}: ${fmt(f.value)} ${f.unit}${base}${ratio}${target}${f.note ? `\n    ${f.note}` : ''}`);
}

const figures: Figure[] = [];
const section = async (title: string, fn: () => Promise<Figure[]>) => {
  if (only && !only.has(Number.parseInt(title, 10))) return;
  log(`\n== ${title}`);
  try {
    for (const f of await fn()) {
      figures.push(f);
      print(f);
    }
  } catch (e) {
    log(`  FAILED: ${(e as Error).message}`);
    figures.push({ name: title, value: Number.NaN, unit: '', note: `failed: ${(e as Error).message}` });
  }
};

/**
 * A database given by --database must be empty or hold only bench data (organizations named
 * "Bench …", users bench-…@example.com, the raw baseline tables): never someone's real data.
 */
async function refuseForeignData(db: Db, url: string): Promise<void> {
  const tables = (await db.kysely.introspection.getTables()).map((t) => t.name);
  const foreign = tables.filter((t) => !t.startsWith('bench_raw_'));
  if (foreign.length === 0) return; // empty
  const refuse = (why: string): never => {
    throw new Error(
      `bench: refusing --database ${url.replace(/\/\/[^@/]*@/, '//…@')}: ${why}. The benchmark writes millions of rows; give it a database of its own (e.g. createdb licstat_bench)`,
    );
  };
  if (!foreign.includes('organizations') || !foreign.includes('users'))
    refuse("it holds tables that are not licstat's");
  const k = db.kysely;
  const org = await k
    .selectFrom('organizations')
    .select('name')
    .where('name', 'not like', 'Bench %')
    .limit(1)
    .executeTakeFirst();
  const user = await k
    .selectFrom('users')
    .select('email')
    .where('email', 'not like', 'bench-%@example.com')
    .limit(1)
    .executeTakeFirst();
  if (org || user)
    refuse(
      `it holds data that is not the benchmark's (${org ? `organization ${org.name}` : `user ${user?.email}`})`,
    );
}

const db = openDb(dbUrl);
try {
  if (explicitUrl) await refuseForeignData(db, dbUrl);
} catch (e) {
  await db.close();
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
await migrateToLatest(db);
const children: Child[] = [];
try {
  const hello = await startChild(join(root, 'bench/hello-server.ts'), [], {});
  children.push(hello);
  const floor = await startChild(join(root, 'bench/durable-floor-server.ts'), [], {});
  children.push(floor);
  let server = await startLicstat();
  children.push(server);
  const secs = quick ? 2 : 10;

  await section('1. Client session start + renew', () => clientSessions(db, server, hello, floor, secs));
  await section('2. Usage ingest', () => ingest(db, server, secs));
  await section('3. Project stats', () =>
    projectStats(db, server, { events: quick ? 5_000 : 300_000, runs: quick ? 3 : 30, log }),
  );
  // A fresh process, so its peak RSS is the export's and not an earlier figure's.
  await server.stop();
  server = await startLicstat();
  children.push(server);
  await section('4. CSV export', () => csvExport(db, server, { rows: quick ? 10_000 : 1_000_000, log }));
  await section('5. Portal', () => portal(db, server, { quick, log }));
} finally {
  for (const c of children) await c.stop();
  await db.close();
}

const failed = figures.filter((f) => Number.isNaN(f.value));
if (!quick && !only) {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    '# licstat benchmark results',
    '',
    `Run ${new Date().toISOString()} on ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM (${(freemem() / 2 ** 30).toFixed(0)} GiB free), Node.js ${process.version}, database ${dialect}.`,
    'Every figure is measured with its baseline in the same run (the machine is shared and noisy); `npm run bench` regenerates this file.',
    '',
    '| figure | value | baseline (same run) | ratio | target | met |',
    '|---|---|---|---|---|---|',
    ...figures.map(
      (f) =>
        `| ${f.name} | ${fmt(f.value)} ${f.unit} | ${f.baseline ? `${f.baseline.name}: ${fmt(f.baseline.value)} ${f.baseline.unit}` : '—'} | ${f.ratio !== undefined ? fmt(f.ratio, 2) : '—'} | ${f.target ?? '—'} | ${f.target ? (f.met ? 'yes' : '**no**') : '—'} |`,
    ),
    '',
    '## Notes',
    '',
    ...figures.filter((f) => f.note).map((f) => `- **${f.name}**: ${f.note}`),
    '',
    // the analysis of missed targets is written by hand (profiles), not measured
    ...(figures.some((f) => f.target && !f.met) ? [readFileSync(join(root, 'bench/limits.md'), 'utf8')] : []),
  ];
  const file = dialect === 'SQLite' ? 'bench/RESULTS.md' : 'bench/RESULTS.postgresql.md';
  writeFileSync(join(root, file), lines.join('\n'));
  log(`\nwrote ${file}`);
}
if (failed.length > 0) {
  log(`\n${failed.length} figure(s) failed to run`);
  process.exitCode = 1;
}
