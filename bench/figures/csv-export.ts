/**
 * Figure 4: CSV export of 1,000,000 session rows through GET /sessions.csv: rows/s and the
 * server's peak RSS. Baseline: the same rows read straight from better-sqlite3 and written by
 * csv-stringify in one process, no HTTP.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { stringify } from 'csv-stringify';
import { newId } from '../../src/core/ids.ts';
import type { Db } from '../../src/storage/db.ts';
import type { Figure } from '../lib/figure.ts';
import { benchItem, benchOrg } from '../lib/fixtures.ts';
import type { Child } from '../lib/proc.ts';

const DAY = 86_400_000;

async function rawBaseline(rows: number): Promise<number> {
  const sqlite = new SQLite(join(mkdtempSync(join(tmpdir(), 'licstat-csv-')), 'raw.db'));
  sqlite.exec(
    'create table s (program text, version text, email text, fingerprint text, started_at integer, ended_at integer)',
  );
  const ins = sqlite.prepare('insert into s values (?, ?, ?, ?, ?, ?)');
  sqlite.transaction(() => {
    for (let i = 0; i < rows; i++)
      ins.run('BenchApp', '2026.1', `u${i % 5000}@example.com`, `fp-${i % 20000}`, i, i + 60_000);
  })();
  const t0 = performance.now();
  const csv = stringify({
    header: true,
    columns: ['program', 'version', 'email', 'fingerprint', 'started_at', 'ended_at'],
  });
  csv.resume(); // drain the output as a consumer would
  const done = new Promise((r) => csv.on('end', r));
  for (const row of sqlite.prepare('select * from s order by started_at desc').iterate()) {
    if (!csv.write(row)) await new Promise((r) => csv.once('drain', r));
  }
  csv.end();
  await done;
  sqlite.close();
  return rows / ((performance.now() - t0) / 1000);
}

export async function csvExport(
  db: Db,
  server: Child,
  opts: { rows: number; log: (s: string) => void },
): Promise<Figure[]> {
  const now = Date.now();
  const org = await benchOrg(db, now);
  const { item } = await benchItem(db, org, 'multi-user', 1000, now);
  const CHUNK = 500;
  for (let i = 0; i < opts.rows; i += CHUNK) {
    const rows = [];
    for (let j = i; j < Math.min(opts.rows, i + CHUNK); j++) {
      const start = now - 80 * DAY + Math.floor((j / opts.rows) * 79 * DAY);
      rows.push({
        id: newId('ses'),
        organization_id: org.organizationId,
        license_item_id: item.id,
        activation_code_id: null,
        project_id: null,
        activation_id: null,
        fingerprint: `fp-${j % 20000}`,
        email: `u${j % 5000}@example.com`,
        program: 'BenchApp',
        version: '2026.1',
        mode: 'full',
        reason: null,
        holds_seat: 0,
        started_at: start,
        renewed_at: start,
        lease_expires_at: start + 3_600_000,
        ended_at: start + 60_000 + (j % 3600) * 1000,
        end_reason: 'closed',
      });
    }
    await db.kysely.insertInto('sessions').values(rows).execute();
    if (i % 100_000 === 0) opts.log(`  sessions written: ${i}/${opts.rows}`);
  }
  const rssBefore = server.peakRssMb();
  const t0 = performance.now();
  const res = await fetch(`${server.url}/api/v1/sessions.csv?view=full`, {
    headers: { authorization: `Bearer ${org.adminToken}` },
  });
  if (!res.ok || !res.body) throw new Error(`sessions.csv answered ${res.status}`);
  let lines = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    for (const b of chunk) if (b === 10) lines++;
  }
  const secs = (performance.now() - t0) / 1000;
  const dataRows = lines - 1;
  const rowsPerSec = dataRows / secs;
  const peak = server.peakRssMb();
  const raw = await rawBaseline(Math.min(opts.rows, 300_000));
  return [
    {
      name: `CSV export of ${opts.rows.toLocaleString()} session rows (rows/s)`,
      value: rowsPerSec,
      unit: 'rows/s',
      baseline: { name: 'better-sqlite3 iterate + csv-stringify, no HTTP', value: raw, unit: 'rows/s' },
      ratio: rowsPerSec / raw,
      note: `${dataRows.toLocaleString()} rows in ${secs.toFixed(1)} s`,
    },
    {
      name: 'CSV export peak RSS of the server',
      value: peak,
      unit: 'MB',
      baseline: { name: 'server peak RSS before the export', value: rssBefore, unit: 'MB' },
      ratio: peak / rssBefore,
      target: '< 150 MB',
      met: peak < 150 && dataRows === opts.rows,
      note: `rows exported ${dataRows.toLocaleString()} of ${opts.rows.toLocaleString()} written`,
    },
  ];
}
