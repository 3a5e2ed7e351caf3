/**
 * Figure 3: project stats (pies + trend + 2-hour table) for 30 days and 12 months over a generated
 * year of 50 license items, 10,000 devices and 100 million scans; then 10x the events, same range.
 * Baseline: GET /health on the same server, same number of calls.
 */

import { TABLE_PAGE_ROWS } from '../../src/contract/domain.ts';
import type { LedgerEvent } from '../../src/core/ledger-event.ts';
import { localDateOf } from '../../src/core/time-buckets.ts';
import type { Db } from '../../src/storage/db.ts';
import { appendEvents } from '../../src/storage/ledger-repository.ts';
import type { Figure } from '../lib/figure.ts';
import { type BenchOrg, benchItem, benchOrg, benchProject } from '../lib/fixtures.ts';
import { percentile } from '../lib/load.ts';
import type { Child } from '../lib/proc.ts';

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const TZ = 'Europe/Berlin';
const PORTAL_PAGE = TABLE_PAGE_ROWS;

export interface Gen {
  org: BenchOrg;
  scanItems: { id: string }[];
  deviceItems: { id: string }[];
  projectId: string;
}

/** Writes `events` ledger events spread over the past year; scans sum to `scans` (counts per event). */
export async function generate(
  db: Db,
  g: Gen,
  events: number,
  scans: number,
  devices: number,
  seed: number,
  onProgress?: (n: number) => void,
) {
  const now = Date.now();
  let rnd = seed;
  const rand = () => {
    rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
    return rnd / 0x7fffffff;
  };
  const deviceEvents = Math.floor(events * 0.2);
  const scanEvents = events - deviceEvents;
  const perScan = Math.max(1, Math.round(scans / scanEvents));
  const CHUNK = 5000;
  for (let done = 0; done < events; done += CHUNK) {
    const batch: LedgerEvent[] = [];
    for (let i = done; i < Math.min(events, done + CHUNK); i++) {
      const isScan = i < scanEvents;
      const items = isScan ? g.scanItems : g.deviceItems;
      const item = items[Math.floor(rand() * items.length)]!;
      const at = now - Math.floor(rand() * YEAR);
      const fp = `dev-${Math.floor(rand() * devices)}`;
      batch.push({
        organizationId: g.org.organizationId,
        licenseItemId: item.id,
        projectId: g.projectId,
        activationCodeId: null,
        activationId: null,
        sessionId: null,
        kind: isScan ? 'scan' : 'device_seen',
        count: isScan ? perScan : 1,
        at,
        receivedAt: at,
        email: null,
        fingerprint: fp,
        batchId: null,
      });
    }
    await db.kysely.transaction().execute((trx) => appendEvents(trx, batch));
    onProgress?.(Math.min(events, done + CHUNK));
  }
}

/** 50 items (40 per-scan, 10 per-device) in one project of a fresh organization. */
export async function projectStatsCatalog(db: Db, now: number): Promise<Gen> {
  const org = await benchOrg(db, now);
  const scanItems: { id: string }[] = [];
  const deviceItems: { id: string }[] = [];
  for (let i = 0; i < 40; i++)
    scanItems.push((await benchItem(db, org, 'per-scan', 1e12, now, { name: `Scan ${i}` })).item);
  for (let i = 0; i < 10; i++)
    deviceItems.push((await benchItem(db, org, 'per-device', 10_000, now, { name: `Dev ${i}` })).item);
  const project = await benchProject(
    db,
    org,
    [...scanItems, ...deviceItems].map((i) => i.id),
    now,
  );
  return { org, scanItems, deviceItems, projectId: project.id };
}

async function timeCalls(url: string, token: string, n: number): Promise<number[]> {
  const out: number[] = [];
  // Untimed warm-up. The generation blocks this process's event loop for longer than the server's
  // keep-alive timeout, so fetch may reuse pooled sockets the server already closed
  // (UND_ERR_SOCKET "other side closed"); the warm-up takes those failures.
  for (let attempt = 0; attempt < 5; attempt++) {
    const ok = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
      .then(async (r) => {
        await r.arrayBuffer();
        return true;
      })
      .catch(() => false);
    if (ok) break;
  }
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    await r.arrayBuffer();
    if (!r.ok) throw new Error(`${url} answered ${r.status}`);
    out.push(performance.now() - t0);
  }
  return out.sort((a, b) => a - b);
}

export async function projectStats(
  db: Db,
  server: Child,
  opts: { events: number; runs: number; log: (s: string) => void },
): Promise<Figure[]> {
  const now = Date.now();
  const g = await projectStatsCatalog(db, now);
  const org = g.org;
  const project = { id: g.projectId };

  const t0 = performance.now();
  await generate(db, g, opts.events, 100_000_000, 10_000, 7, (n) =>
    opts.log(`  generated ${n}/${opts.events} events`),
  );
  opts.log(`  generation: ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  const today = localDateOf(now, TZ);
  const tomorrow = localDateOf(now + DAY, TZ);
  const from30 = localDateOf(now - 30 * DAY, TZ);
  const from365 = localDateOf(now - 365 * DAY, TZ);
  // The portal asks for the pies, the trend and the first page of the 2-hour table (48 rows, see
  // web/src/pages/ProjectStatsPage.tsx); the API's default answer carries the whole table.
  const statsUrl = (from: string, paged: boolean) =>
    `${server.url}/api/v1/projects/${project.id}/stats?from=${from}&to=${tomorrow}&tz=${encodeURIComponent(TZ)}${paged ? `&tableLimit=${PORTAL_PAGE}` : ''}`;

  const measure = async () => ({
    d30: await timeCalls(statsUrl(from30, true), org.adminToken, opts.runs),
    d365: await timeCalls(statsUrl(from365, true), org.adminToken, opts.runs),
    d30full: await timeCalls(statsUrl(from30, false), org.adminToken, opts.runs),
    d365full: await timeCalls(statsUrl(from365, false), org.adminToken, opts.runs),
    health: await timeCalls(`${server.url}/api/v1/health`, org.adminToken, opts.runs),
  });
  const first = await measure();
  opts.log(`  measured at ${opts.events} events (today ${today})`);
  await generate(db, g, opts.events * 9, 900_000_000, 10_000, 11, (n) =>
    opts.log(`  generated 10x: ${n}/${opts.events * 9}`),
  );
  const tenX = await measure();

  const med = (a: number[]) => percentile(a, 50);
  const p95 = (a: number[]) => percentile(a, 95);
  const base = med(first.health);
  const growth30 = med(tenX.d30) / med(first.d30);
  const growth365 = med(tenX.d365) / med(first.d365);
  const health = { name: 'GET /health on the same server', value: base, unit: 'ms' };
  const timed = (name: string, xs: number[], note: string, target = true): Figure => ({
    name,
    value: med(xs),
    unit: 'ms',
    baseline: health,
    ratio: med(xs) / base,
    // the issue sets the 50 ms target for SQLite; PostgreSQL's figure is reported beside it
    ...(target && db.dialect.name === 'sqlite'
      ? { target: '≤ 50 ms median (SQLite)', met: med(xs) <= 50 }
      : {}),
    note: `p95 ${p95(xs).toFixed(1)} ms over ${opts.runs} calls; ${note}`,
  });
  return [
    timed(
      'Project stats, 30 days, as the portal asks (median ms)',
      first.d30,
      `pies, daily trend, first ${PORTAL_PAGE} of 360 table rows; ${opts.events.toLocaleString()} events, 100M scans`,
    ),
    timed(
      'Project stats, 12 months, as the portal asks (median ms)',
      first.d365,
      `pies, weekly trend, first ${PORTAL_PAGE} of 4,380 table rows`,
    ),
    timed(
      'Project stats, 30 days, whole table (median ms)',
      first.d30full,
      'API default: all 360 rows',
      false,
    ),
    timed(
      'Project stats, 12 months, whole table (median ms)',
      first.d365full,
      'API default: all 4,380 rows x 50 items (about 3.3 MB of JSON)',
      false,
    ),
    {
      name: 'Project stats with 10x events, growth (30 days / 12 months)',
      value: Math.max(growth30, growth365),
      unit: 'x',
      ratio: Math.max(growth30, growth365),
      target: '< 1.5x',
      met: growth30 < 1.5 && growth365 < 1.5,
      note: `as the portal asks — 30 days: ${med(tenX.d30).toFixed(1)} ms (x${growth30.toFixed(2)}); 12 months: ${med(tenX.d365).toFixed(1)} ms (x${growth365.toFixed(2)}) at ${(opts.events * 10).toLocaleString()} events; whole tables: ${med(tenX.d30full).toFixed(1)} ms (x${(med(tenX.d30full) / med(first.d30full)).toFixed(2)}) and ${med(tenX.d365full).toFixed(1)} ms (x${(med(tenX.d365full) / med(first.d365full)).toFixed(2)})`,
    },
  ];
}
