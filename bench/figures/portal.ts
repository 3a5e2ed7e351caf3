/**
 * Figure 5: gzipped JS that the login page and the project stats page load (captured from
 * Chromium's requests, gzipped here), and Chromium's time to show the project stats page with its
 * charts and table. Baseline: the login page, same browser, same server.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import type { LedgerEvent } from '../../src/core/ledger-event.ts';
import type { Db } from '../../src/storage/db.ts';
import { appendEvents } from '../../src/storage/ledger-repository.ts';
import type { Figure } from '../lib/figure.ts';
import { benchItem, benchOrg, benchProject } from '../lib/fixtures.ts';
import type { Child } from '../lib/proc.ts';

const DIST = resolve(import.meta.dirname, '../../web/dist');

function jsGzBytes(urls: Set<string>): number {
  let total = 0;
  for (const u of urls) total += gzipSync(readFileSync(join(DIST, new URL(u).pathname))).length;
  return total;
}

async function timed(
  page: Page,
  path: string,
  ready: (p: Page) => Promise<unknown>,
): Promise<{ ms: number; js: Set<string> }> {
  const js = new Set<string>();
  const onReq = (r: { url(): string }) => {
    if (r.url().endsWith('.js')) js.add(r.url());
  };
  page.on('request', onReq);
  const t0 = performance.now();
  await page.goto(path);
  await ready(page);
  const ms = performance.now() - t0;
  page.off('request', onReq);
  return { ms, js };
}

export async function portal(
  db: Db,
  server: Child,
  opts: { quick: boolean; log: (s: string) => void },
): Promise<Figure[]> {
  const now = Date.now();
  const org = await benchOrg(db, now);
  const items: { id: string }[] = [];
  for (let i = 0; i < 3; i++)
    items.push((await benchItem(db, org, 'per-scan', 1e9, now, { name: `Scan ${i}` })).item);
  const project = await benchProject(
    db,
    org,
    items.map((i) => i.id),
    now,
  );
  const events: LedgerEvent[] = Array.from({ length: 3000 }, (_, i) => {
    const at = now - Math.floor((i / 3000) * 30 * 86_400_000);
    return {
      organizationId: org.organizationId,
      licenseItemId: items[i % 3]!.id,
      projectId: project.id,
      activationCodeId: null,
      activationId: null,
      sessionId: null,
      kind: 'scan',
      count: 1 + (i % 9),
      at,
      receivedAt: at,
      email: null,
      fingerprint: `d${i % 50}`,
      batchId: null,
    };
  });
  await db.transaction((trx) => appendEvents(trx, events));

  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const ctx = await browser.newContext({ baseURL: server.url, viewport: { width: 1366, height: 900 } });
    const page = await ctx.newPage();
    const login = await timed(page, '/login', (p) => p.getByLabel('Email').waitFor());
    await page.getByLabel('Email').fill(org.adminEmail);
    await page.getByLabel('Password').fill(org.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const runs = opts.quick ? 1 : 5;
    const times: number[] = [];
    let statsJs = new Set<string>();
    for (let i = 0; i < runs; i++) {
      const r = await timed(page, `/projects/${project.id}`, async (p) => {
        await p.locator('canvas').nth(3).waitFor({ timeout: 30_000 });
        await p.locator('table tbody tr').first().waitFor({ timeout: 30_000 });
      });
      times.push(r.ms);
      if (i === 0) statsJs = r.js;
    }
    times.sort((a, b) => a - b);
    const loginGz = jsGzBytes(login.js) / 1024;
    const allStatsJs = new Set([...login.js, ...statsJs]);
    const statsGz = jsGzBytes(allStatsJs) / 1024;
    const median = times[Math.floor(times.length / 2)]!;
    return [
      {
        name: 'Portal JS, login page (gzipped)',
        value: loginGz,
        unit: 'KiB',
        note: `${login.js.size} JS files`,
      },
      {
        name: 'Portal JS, project stats page (gzipped, including what login loaded)',
        value: statsGz,
        unit: 'KiB',
        baseline: { name: 'login page JS', value: loginGz, unit: 'KiB' },
        ratio: statsGz / loginGz,
        note: `${allStatsJs.size} JS files`,
      },
      {
        name: 'Chromium: project stats page with charts and table shown',
        value: median,
        unit: 'ms',
        baseline: { name: 'Chromium: login page shown (cold)', value: login.ms, unit: 'ms' },
        ratio: median / login.ms,
        note: `median of ${runs} navigations (30 days, 3 items, 3,000 events)`,
      },
    ];
  } finally {
    await browser.close();
  }
}
