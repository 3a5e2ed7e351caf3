/**
 * npm run bench [-- --quick]: prints each figure with its same-run baseline and ratio, and (full
 * runs) writes bench/RESULTS.md. DATABASE_URL=postgres://… measures PostgreSQL instead of SQLite
 * and writes bench/RESULTS.postgresql.md, so the SQLite results stay.
 * `-- --only 3` (or `--only 1,3`) runs those figures alone and leaves RESULTS.md as it is;
 * BENCH_PROFILE_DIR=dir makes the licstat server write a CPU profile there (node --cpu-prof).
 */
import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { migrateToLatest, openDb } from '../src/storage/db.ts';
import { clientSessions } from './figures/client-sessions.ts';
import { csvExport } from './figures/csv-export.ts';
import { ingest } from './figures/ingest.ts';
import { portal } from './figures/portal.ts';
import { projectStats } from './figures/project-stats.ts';
import { type Figure, fmt } from './lib/figure.ts';
import { type Child, startChild } from './lib/proc.ts';

const quick = process.argv.includes('--quick');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set((process.argv[onlyArg + 1] ?? '').split(',').map(Number)) : null;
const root = resolve(import.meta.dirname, '..');
const dbUrl =
  process.env.DATABASE_URL ?? `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-bench-')), 'bench.db')}`;
const dialect = dbUrl.startsWith('sqlite:') ? 'SQLite' : 'PostgreSQL';
const log = (s: string) => process.stdout.write(`${s}\n`);

const serverEnv = {
  DATABASE_URL: dbUrl,
  LICSTAT_DEMO: '0',
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

execSync('npm run build --silent', { cwd: root, stdio: 'inherit' });
const db = openDb(dbUrl);
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
