/**
 * The web portal in real Chromium against a real server: a customer admin walks Orders → Full
 * License → item → Manage → Usage Statistics; figures on the page equal the API's and a brute
 * force over the events the test wrote; period and time-zone switches; CSV exports; Reset Stats;
 * roles and organizations; screenshots of every page at desktop and phone widths.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { Temporal } from 'temporal-polyfill';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ItemInsightResponse } from '../../src/contract/insight.ts';
import type {
  SessionHistoryCondensed,
  SessionHistoryFull,
  UsageStatistics,
} from '../../src/contract/portal.ts';
import type { ItemStatsResponse, ProjectStatsResponse } from '../../src/contract/stats.ts';
import type { Started } from '../../src/server/start.ts';
import { formatDateTime, formatTime } from '../../web/src/format.ts';
import { launchBrowser, login, newContext, SCREENSHOTS, screenshotBoth } from './support/browser.ts';
import { PortalClient } from './support/http.ts';
import { fmt, selectZone, textOf, trackErrors, waitForText } from './support/page-helpers.ts';
import { PASSWORD, startE2eServer, VENDOR_EMAIL, WEB_DIST } from './support/server.ts';
import { buildWorld, scansIn, sum, type World, windowInZone } from './support/world.ts';

let server: Started;
let browser: Browser;
let world: World;
let admin: PortalClient;

beforeAll(async () => {
  server = await startE2eServer();
  world = await buildWorld(server.url);
  admin = await PortalClient.login(server.url, world.adminA, PASSWORD);
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function adminPage(): Promise<{ page: Page; errors: string[] }> {
  const ctx = await newContext(browser, server.url);
  const page = await ctx.newPage();
  const errors = trackErrors(page);
  await login(page, world.adminA, PASSWORD);
  return { page, errors };
}

const statsQuery = (w: { from: number; to: number }, tz: string) =>
  `from=${encodeURIComponent(new Date(w.from).toISOString())}&to=${encodeURIComponent(new Date(w.to).toISOString())}&tz=${encodeURIComponent(tz)}`;

describe('web portal in Chromium', { timeout: 120_000 }, () => {
  test('login page: a first visit logs nothing; wrong password is refused in words; the login chunk loads no charts', async () => {
    const ctx = await newContext(browser, server.url);
    const page = await ctx.newPage();
    const scripts: string[] = [];
    const api: string[] = [];
    page.on('response', (r) => {
      if (r.url().endsWith('.js')) scripts.push(r.url());
      if (r.url().includes('/api/')) api.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    // Nobody has logged in in this browser: the page does not ask the server who is logged in
    // (a 401 would be logged as a console error), also when a portal page is asked for.
    await page.goto('/orders');
    await page.waitForURL((u) => u.pathname === '/login' && u.searchParams.get('next') === '/orders');
    await page.getByLabel('Email').waitFor();
    await page.waitForLoadState('networkidle');
    expect(api).toEqual([]);
    expect(consoleErrors).toEqual([]);
    await page.goto('/login');
    await page.getByLabel('Email').fill(world.adminA);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/wrong email or password/i);
    await screenshotBoth(page, 'login');
    // ECharts lives only in the statistics chunks.
    expect(scripts.length).toBeGreaterThan(0);
    for (const url of scripts)
      expect(readFileSync(`${WEB_DIST}${new URL(url).pathname}`, 'utf8')).not.toContain('_echarts_instance_');
    await ctx.close();
  });

  test('admin walks Orders → Full License → item → Manage → Usage Statistics; figures equal API and brute force', async () => {
    const { page, errors } = await adminPage();
    const tz = world.adminTz;
    await page.goto('/orders');
    await page.getByTestId('orders').getByText('Full License').click();
    await page.getByTestId('items-table').waitFor();
    await screenshotBoth(page, 'order');
    await page.getByRole('link', { name: world.scan.id }).click();
    await page.getByTestId('manage').waitFor();
    await screenshotBoth(page, 'license-item');
    await page.getByTestId('manage').click();
    await page.waitForURL(`**/license-items/${world.scan.id}/stats`);
    // The tab says which page it is; the breadcrumb names the item's order by its kind.
    await page.locator('.crumbs').getByText('Usage Statistics').waitFor();
    await page.locator('.crumbs').getByRole('link', { name: 'Full License' }).waitFor();
    expect(await page.title()).toBe(`${world.scan.id} usage · licstat`);

    // Default period: 30 days in the admin's zone (Asia/Kolkata, a half-hour zone).
    const w30 = windowInZone(tz, 29);
    const expected30 = scansIn(world.scanEvents, w30);
    const api30 = await admin.get<ItemStatsResponse>(
      `/license-items/${world.scan.id}/stats?${statsQuery(w30, tz)}`,
    );
    expect(api30.pies!.period.total).toBe(sum(expected30));
    await waitForText(page, 'pie-period-total', fmt(sum(expected30)));
    for (const s of api30.pies!.period.slices) {
      expect(s.value).toBe(expected30.get(s.key) ?? 0);
      expect(await textOf(page, `pie-period-${s.key}`)).toBe(fmt(s.value));
    }
    const all = scansIn(world.scanEvents, { from: 0, to: Number.MAX_SAFE_INTEGER });
    await waitForText(page, 'pie-all-total', fmt(sum(all)));
    expect(await textOf(page, 'pie-all-remaining')).toBe(fmt(world.scan.quota - sum(all)));
    const today = scansIn(world.scanEvents, windowInZone(tz, 0));
    await waitForText(page, 'pie-today-total', fmt(sum(today)));
    expect(await textOf(page, 'item-usage')).toContain(`${fmt(sum(all))} of ${fmt(world.scan.quota)} scans`);
    expect(await textOf(page, 'item-projects')).toContain(world.projectA.name);
    await screenshotBoth(page, 'item-stats-scan');

    // Switch the period to 7 days: the period pie follows the brute force.
    await page.getByRole('button', { name: '7 days', exact: true }).click();
    const exp7 = scansIn(world.scanEvents, windowInZone(tz, 6));
    await waitForText(page, 'pie-period-total', fmt(sum(exp7)));
    expect(sum(exp7)).not.toBe(sum(expected30));

    // Switch the time zone: "Today" is a different local day in Kiritimati (UTC+14) and Pago Pago (UTC-11).
    const totals: number[] = [];
    for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
      await selectZone(page, zone);
      const t = sum(scansIn(world.scanEvents, windowInZone(zone, 0)));
      await waitForText(page, 'pie-today-total', fmt(t));
      const api = await admin.get<ItemStatsResponse>(
        `/license-items/${world.scan.id}/stats?${statsQuery(windowInZone(zone, 6), zone)}`,
      );
      expect(api.pies!.today.total).toBe(t);
      await waitForText(page, 'pie-period-total', fmt(api.pies!.period.total));
      totals.push(t);
    }
    expect(totals[0]).not.toBe(totals[1]);
    await selectZone(page, tz);

    // A custom period: the local days from 12 to 8 days ago hold only the report made 10 days ago.
    const day = (back: number) =>
      Temporal.Now.zonedDateTimeISO(tz).toPlainDate().subtract({ days: back }).toString();
    await page.getByRole('button', { name: 'Custom', exact: true }).click();
    await page.getByTestId('period-from').fill(day(12));
    await page.getByTestId('period-to').fill(day(8));
    const custom = windowInZone(tz, 12);
    custom.to = Temporal.PlainDate.from(day(7)).toZonedDateTime({ timeZone: tz }).epochMilliseconds;
    const expCustom = scansIn(world.scanEvents, custom);
    expect(sum(expCustom)).toBe(13);
    await waitForText(page, 'pie-period-total', fmt(sum(expCustom)));
    expect(await textOf(page, `pie-period-${world.projectA.id}`)).toBe('13');

    // The user menu shows the zone and logs out.
    await page.getByTestId('user-menu').click();
    await screenshotBoth(page, 'user-menu');
    expect(await page.evaluate(() => localStorage.getItem('licstat.tz'))).toBe(tz);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((u) => u.pathname === '/login');
    // The zone chosen in this browser is the user's view setting: the next login starts from its own.
    expect(await page.evaluate(() => localStorage.getItem('licstat.tz'))).toBeNull();
    // Logged out: opening the portal again asks the server nothing (no 401 in the console).
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) asked.push(r.url());
    });
    await page.goto('/login');
    await page.getByLabel('Email').waitFor();
    await page.waitForLoadState('networkidle');
    expect(asked).toEqual([]);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('a 12-month trend is drawn in weeks or days: 2-hour points are not offered for it', async () => {
    const { page, errors } = await adminPage();
    // a bookmarked 2-hour choice falls back to the automatic weekly points
    await page.goto(`/license-items/${world.scan.id}/stats?period=12m&g=2h`);
    await page.getByTestId('trend-summary').waitFor({ state: 'attached' });
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="trend-summary"]')?.textContent?.endsWith('of week'),
    );
    const interval = page.getByRole('group', { name: 'Interval' });
    expect(await interval.getByRole('button', { name: '2 hours' }).isDisabled()).toBe(true);
    expect(await interval.getByRole('button', { name: 'Week' }).getAttribute('aria-pressed')).toBe('true');
    await interval.getByRole('button', { name: 'Day' }).click();
    await page.waitForFunction(() =>
      /^36[56] intervals of day$/.test(
        document.querySelector('[data-testid="trend-summary"]')?.textContent?.trim() ?? '',
      ),
    );
    // Today: 2-hour points only
    await page.getByRole('button', { name: 'Today', exact: true }).click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="trend-summary"]')?.textContent?.trim() === '12 intervals of 2h',
    );
    expect(await interval.getByRole('button', { name: 'Week' }).isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('multi-user item: starts split full/declined, peak seats against the seat count; HWK shows status only', async () => {
    const { page, errors } = await adminPage();
    await page.goto(`/license-items/${world.mul.id}/stats?period=7d`);
    await waitForText(page, 'pie-period-full', fmt(world.mulStarts.full));
    expect(await textOf(page, 'pie-period-declined')).toBe(fmt(world.mulStarts.declined));
    expect(await textOf(page, 'pie-period-limited')).toBe('0');
    expect(await textOf(page, 'peak-concurrent')).toBe('2');
    // Seat need for the same period: the page shows the API's recommendation sentence.
    const w7 = windowInZone(world.adminTz, 6);
    const insight = await admin.get<ItemInsightResponse>(
      `/license-items/${world.mul.id}/insight?${statsQuery(w7, world.adminTz)}`,
    );
    expect(insight.insight!.starts.declined).toBe(world.mulStarts.declined);
    await page.getByText(insight.insight!.replay.sentence).first().waitFor();
    await screenshotBoth(page, 'item-stats-mul');
    await page.goto(`/license-items/${world.hwk.id}/stats`);
    await page.getByText('Hardware-key licenses are not served online').waitFor();
    expect(await page.locator('.pie-card').count()).toBe(0);
    await screenshotBoth(page, 'item-stats-hwk');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('project page: pies by item, 2-hour table newest first, CSV export equals the API', async () => {
    const { page, errors } = await adminPage();
    const tz = world.adminTz;
    await page.goto('/projects');
    await page.getByTestId('projects').getByRole('link', { name: world.projectA.name }).click();
    await page.getByTestId('usage-table').waitFor();
    // a seat item beside a per-scan item: the page says what "uses" adds together
    expect(await page.getByTestId('project-units').textContent()).toContain('program starts, scans reported');
    // Default 7 days.
    const w7 = windowInZone(tz, 6);
    const api = await admin.get<ProjectStatsResponse>(
      `/projects/${world.projectA.id}/stats?${statsQuery(w7, tz)}`,
    );
    const scanExpected = scansIn(world.scanEvents, w7).get(world.projectA.id) ?? 0;
    const scanSlice = api.pies.period.slices.find((s) => s.key === world.scan.id)!;
    expect(scanSlice.value).toBe(scanExpected);
    await waitForText(page, `pie-period-${world.scan.id}`, fmt(scanExpected));
    await waitForText(page, 'pie-period-total', fmt(api.pies.period.total));
    // The table: newest first, one row per 2-hour interval; the first page equals the API's first rows.
    // The period ends at midnight: the intervals of today that have not begun hold no usage and are
    // shown as upcoming ("—"), the others with their figures (0 included).
    const rows = page.locator('[data-testid="usage-table"] tbody tr');
    const begunFrom = (at: number) => api.table.findIndex((r) => new Date(r.start).getTime() <= at);
    const upcoming = await page.locator('[data-testid="usage-table"] tbody tr[data-upcoming="true"]').count();
    // the page's clock may lag the test's by its one-minute tick
    expect(upcoming).toBeGreaterThanOrEqual(begunFrom(Date.now()));
    expect(upcoming).toBeLessThanOrEqual(begunFrom(Date.now() - 120_000));
    for (const r of api.table.slice(0, upcoming)) expect(r.total).toBe(0);
    if (upcoming > 0) {
      const cells = await rows.first().locator('td').allTextContents();
      expect(cells.slice(1)).toEqual(cells.slice(1).map(() => '—'));
      expect(cells[0]).toContain('upcoming');
    }
    const firstBegun = await rows.nth(upcoming).locator('td').allTextContents();
    expect(firstBegun.at(-1)).toBe(fmt(api.table[upcoming]!.total));
    expect(await page.title()).toBe(`${world.projectA.name} usage · licstat`);
    expect(api.table.length).toBe(7 * 12);
    expect(new Date(api.table[0]!.start).getTime()).toBeGreaterThan(new Date(api.table[1]!.start).getTime());
    const tableSum = api.table.reduce((a, r) => a + (r.values[world.scan.id] ?? 0), 0);
    expect(tableSum).toBe(scanExpected);
    await screenshotBoth(page, 'project-stats');
    // The next page (rows 49-84 of 84) is fetched from the API as a page and shows the older rows.
    await Promise.all([
      page.waitForRequest((r) => /[?&]tableOffset=48&tableLimit=48/.test(r.url())),
      page.getByRole('button', { name: 'Older' }).click(),
    ]);
    await expect
      .poll(async () =>
        (
          await page.locator('[data-testid="usage-table"] tbody tr').first().locator('td').allTextContents()
        ).at(0),
      )
      .toBe(`${formatDateTime(api.table[48]!.start, tz)} – ${formatTime(api.table[48]!.end, tz)}`);
    const secondPage = page.locator('[data-testid="usage-table"] tbody tr');
    expect(await secondPage.count()).toBe(7 * 12 - 48);
    expect((await secondPage.last().locator('td').allTextContents()).at(-1)).toBe(
      fmt(api.table.at(-1)!.total),
    );
    await page.getByRole('button', { name: 'Newer' }).click();
    await expect.poll(() => page.locator('[data-testid="usage-table"] tbody tr').count()).toBe(48);

    // Export CSV: the downloaded file equals the API's CSV for the same period and zone.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const apiCsv = await admin.text(`/projects/${world.projectA.id}/usage-table.csv?${statsQuery(w7, tz)}`);
    expect(csv).toBe(apiCsv);
    expect(csv.split(/\r?\n/)[0]).toContain('Interval start');

    // Switching the zone re-buckets the table (a zone 5.5 h away moves the scans to other rows).
    await selectZone(page, 'UTC');
    const wUtc = windowInZone('UTC', 6);
    const apiUtc = await admin.get<ProjectStatsResponse>(
      `/projects/${world.projectA.id}/stats?${statsQuery(wUtc, 'UTC')}`,
    );
    await page.waitForFunction(
      (exp) => document.querySelector('[data-testid="usage-table"] tbody tr td')?.textContent?.includes(exp),
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'UTC',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(apiUtc.table[0]!.start)),
    );
    await selectZone(page, tz);

    // The project editor: reorder the license usage order with the arrows.
    await page.goto(`/projects/${world.projectA.id}/edit`);
    await page.getByTestId('usage-order').waitFor();
    const before = await page.locator('[data-testid="usage-order"] li .id-mono').allTextContents();
    await page.getByRole('button', { name: `Move ${before[1]} up` }).click();
    await screenshotBoth(page, 'project-edit');
    await page.getByRole('button', { name: 'Save project' }).click();
    await page.waitForURL('**/projects');
    const saved = await admin.get<{ project: { usageOrder: string[]; customOrder: boolean } }>(
      `/projects/${world.projectA.id}`,
    );
    expect(saved.project.usageOrder).toEqual([before[1], before[0]]);
    expect(saved.project.customOrder).toBe(true);
    await screenshotBoth(page, 'projects');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('license usage statistics: figures, CSV export equals the API, Reset Stats drops counters to zero', async () => {
    const { page, errors } = await adminPage();
    await page.goto('/usage-statistics');
    await page.getByTestId('usage-statistics').waitFor();
    const stats = await admin.get<UsageStatistics>(
      `/usage-statistics?tz=${encodeURIComponent(world.adminTz)}`,
    );
    const mulRow = stats.rows.find(
      (r) => r.licenseItemId === world.mul.id && r.source === 'activation-code',
    )!;
    // Brute force from the client calls the test made: 2 full, 1 declined (counted as limited too), 2 checkouts.
    expect([mulRow.fullAccess, mulRow.declinedAccess, mulRow.limitedAccess, mulRow.checkouts]).toEqual([
      2, 1, 1, 2,
    ]);
    const row = page.locator(`tr[data-row="${mulRow.rowKey}"]`);
    expect(await row.locator('td[data-col="fullAccess"]').textContent()).toBe('2');
    expect(await row.locator('td[data-col="declinedAccess"]').textContent()).toBe('1');
    expect(await row.locator('td[data-col="checkouts"]').textContent()).toBe('2');
    expect(await row.textContent()).toContain(world.mulCodePrefix);
    // Single-user row: 1 full, 1 limited (not activated), 1 take, 1 take denied, no checkouts.
    const sulRow = stats.rows.find(
      (r) => r.licenseItemId === world.sul.id && r.source === 'activation-code',
    )!;
    expect([
      sulRow.fullAccess,
      sulRow.limitedAccess,
      sulRow.declinedAccess,
      sulRow.takes,
      sulRow.takeDenied,
      sulRow.checkouts,
    ]).toEqual([1, 1, 0, 1, 1, 0]);
    const sulCells = page.locator(`tr[data-row="${sulRow.rowKey}"] td[data-col]`);
    expect(await sulCells.allTextContents()).toEqual(['1', '1', '0', '1', '1', '0']);
    // HWK: status only.
    const hwkRow = page.locator(`tr[data-row^="${world.hwk.id}:"]`).first();
    expect(await hwkRow.locator('td[data-col]').allTextContents()).toEqual(['—', '—', '—', '—', '—', '—']);
    await screenshotBoth(page, 'usage-statistics');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toBe(await admin.text(`/usage-statistics.csv?tz=${encodeURIComponent(world.adminTz)}`));
    expect(csv.split(/\r?\n/)[0]).toBe(
      'Product,Licenses,Status,Activations,Activation Code,Full Access,Limited Access,Declined Access,Takes,Take Denied,Checkouts',
    );

    // The confirmation is modal: Tab stays inside it, Escape closes it, focus returns to the opener.
    const resetButton = page.getByRole('button', { name: 'Reset Stats' });
    await resetButton.click();
    await page.getByRole('dialog').waitFor();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    expect(await resetButton.evaluate((b) => b === document.activeElement)).toBe(true);
    await resetButton.click();
    await page.getByRole('dialog').waitFor();
    await screenshotBoth(page, 'usage-statistics-reset-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Reset Stats' }).click();
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await page.waitForFunction(
      (key) =>
        [...document.querySelectorAll(`tr[data-row="${key}"] td[data-col]`)].every(
          (td) => td.textContent === '0',
        ),
      mulRow.rowKey,
    );
    const after = await admin.get<UsageStatistics>('/usage-statistics');
    // the reset shows: each reset row says since when it counts
    expect(
      await page.locator(`tr[data-row="${mulRow.rowKey}"] [data-testid="counting-since"]`).textContent(),
    ).toMatch(/^counters since \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}$/);
    for (const r of after.rows.filter((x) => x.model !== 'hardware-key'))
      expect([r.fullAccess, r.limitedAccess, r.declinedAccess, r.takes, r.takeDenied, r.checkouts]).toEqual([
        0, 0, 0, 0, 0, 0,
      ]);
    // Charts keep all history after a reset.
    await page.goto(`/license-items/${world.mul.id}/stats?period=7d`);
    await waitForText(page, 'pie-all-full', fmt(world.mulStarts.full));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('session history (full with active dots, condensed) and activations with deactivate', async () => {
    const { page, errors } = await adminPage();
    const [sessionsRequest] = await Promise.all([
      page.waitForRequest((r) => r.url().includes('/api/v1/sessions?')),
      page.goto('/sessions'),
    ]);
    await page.getByTestId('sessions-full').waitFor();
    const full = await admin.get<SessionHistoryFull>(
      `/sessions?view=full&tz=${encodeURIComponent(world.adminTz)}`,
    );
    // The highlighted period is the one shown: the API's default window, the last 3 months.
    expect(await page.getByRole('button', { name: '3 months' }).getAttribute('aria-pressed')).toBe('true');
    const sent = new URL(sessionsRequest.url()).searchParams;
    expect(new Date(sent.get('from')!).getTime()).toBe(new Date(full.from).getTime());
    expect(new Date(sent.get('to')!).getTime()).toBe(new Date(full.to).getTime());
    const active = full.rows.filter((r) => r.status === 'active').length;
    // The starts the test made: MUL ana (ended), ben, cy (declined); SUL dee, eve. Dee's activation was
    // taken away (deactivated) in the window, so dee is not listed (SPEC §4.4).
    expect(full.rows.map((r) => r.email).sort()).toEqual([
      'ana@acme.test',
      'ben@acme.test',
      'cy@acme.test',
      'eve@acme.test',
    ]);
    expect(full.rows.filter((r) => r.status === 'closed').map((r) => r.email)).toContain('ana@acme.test');
    // ...and the page says so
    expect(full.leftOut.users).toBe(1);
    const sessions = full.leftOut.sessions === 1 ? '1 session' : `${full.leftOut.sessions} sessions`;
    expect(await page.getByTestId('sessions-left-out').textContent()).toContain(
      `Not listed: 1 user (${sessions}) whose activation was deactivated in this period`,
    );
    expect(await page.locator('[data-testid="sessions-full"] tbody tr').count()).toBe(full.rows.length);
    expect(await page.locator('[data-testid="sessions-full"] tr[data-status="active"]').count()).toBe(active);
    expect(await page.locator('[data-testid="sessions-full"] .dot-active').count()).toBe(active);
    // Active sessions first.
    const statuses = await page
      .locator('[data-testid="sessions-full"] tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(statuses.slice(0, active).every((x) => x === 'active')).toBe(true);
    await screenshotBoth(page, 'sessions-full');
    await page.getByRole('button', { name: 'Condensed' }).click();
    await page.getByTestId('sessions-condensed').waitFor();
    const condensed = await admin.get<SessionHistoryCondensed>(
      `/sessions?view=condensed&tz=${encodeURIComponent(world.adminTz)}`,
    );
    expect(condensed.rows.map((r) => r.email)).toEqual([
      'ana@acme.test',
      'ben@acme.test',
      'cy@acme.test',
      'eve@acme.test',
    ]);
    expect(await page.locator('[data-testid="sessions-condensed"] tbody tr').count()).toBe(
      condensed.rows.length,
    );
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toBe('Program,Email,Duration,Sessions');
    expect(csv.trim().split(/\r?\n/).length).toBe(1 + condensed.rows.length);
    await screenshotBoth(page, 'sessions-condensed');

    await page.goto(`/activations?licenseItemId=${world.scan.id}`);
    await page.getByRole('button', { name: 'Deactivate' }).first().waitFor();
    await screenshotBoth(page, 'activations');
    await page.getByRole('button', { name: 'Deactivate' }).first().click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await page.getByText('No machine holds an activation of this item').waitFor();
    const acts = await admin.get<{ activations: unknown[] }>(`/activations?licenseItemId=${world.scan.id}`);
    expect(acts.activations).toEqual([]);

    // Settings: the organization's users, the audit log (the reset and the deactivation), an API token shown once.
    await page.goto('/settings');
    await page.getByTestId('org-users').getByText(world.memberA).waitFor();
    await page.getByTestId('audit-log').getByText('stats.reset').first().waitFor();
    await page.getByLabel('Token name').fill('nightly export');
    await page.getByRole('button', { name: 'Create token' }).click();
    const token = ((await page.getByTestId('new-token').locator('.secret').textContent()) ?? '').trim();
    const viaToken = await fetch(`${server.url}/api/v1/usage-statistics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(viaToken.status).toBe(200);
    // the audit log on the same page shows the new token at once, with who made it
    const created = page.getByTestId('audit-log').locator('tr', { hasText: 'api_token.create' }).first();
    await created.waitFor();
    expect(await created.textContent()).toContain(world.adminA);
    await screenshotBoth(page, 'settings');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('a period the server refuses says what to change, and offers no retry', async () => {
    const { page } = await adminPage();
    await page.goto(`/license-items/${world.mul.id}/stats?period=custom&from=2015-01-01&to=2026-01-01`);
    const alert = page.getByRole('alert').first();
    await alert.waitFor();
    expect(await alert.textContent()).toContain('This cannot be shown as asked');
    expect(await alert.textContent()).toContain('The period may be at most 5 years long');
    expect(await alert.getByRole('button', { name: 'Try again' }).count()).toBe(0);
    await page.context().close();
  });

  test('a member sees the license list only; an admin of another organization cannot reach the pages', async () => {
    const ctx = await newContext(browser, server.url);
    const page = await ctx.newPage();
    const errors = trackErrors(page);
    await login(page, world.memberA, PASSWORD);
    await page.waitForURL('**/licenses');
    await page.getByTestId('items-table').waitFor();
    expect(await page.locator('nav[aria-label="Main"] a').allTextContents()).toEqual([
      'Licenses',
      'Settings',
    ]);
    await screenshotBoth(page, 'member-licenses');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Open menu' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByText('Licenses').waitFor();
    await page.screenshot({ path: `${SCREENSHOTS}/phone-menu-open.png` });
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto('/usage-statistics');
    await page.getByText('You do not have access to license usage statistics').waitFor();
    await page.goto(`/license-items/${world.scan.id}/stats`);
    await page.getByText('You do not have access to usage statistics').waitFor();
    // The API refuses too (403), whatever the page shows.
    const member = await PortalClient.login(server.url, world.memberA, PASSWORD);
    expect((await member.raw('GET', `/license-items/${world.scan.id}/stats`)).status).toBe(403);
    await page.goto(`/projects/${world.projectA.id}`);
    await page.getByText('You do not have access to project statistics').waitFor();
    await screenshotBoth(page, 'member-forbidden');
    // Project keys are license keys: members neither list projects nor follow links to them.
    await page.goto('/projects');
    await page.getByText('You do not have access to projects').waitFor();
    await page.goto(`/license-items/${world.scan.id}`);
    await page.getByTestId('item-projects').getByText(world.projectA.name).waitFor();
    expect(await page.getByTestId('item-projects').locator('a').count()).toBe(0);
    await ctx.close();

    const ctxB = await newContext(browser, server.url);
    const pageB = await ctxB.newPage();
    await login(pageB, world.adminB, PASSWORD);
    await pageB.goto(`/license-items/${world.scan.id}/stats`);
    await pageB.getByText('Not found').first().waitFor();
    expect(await pageB.content()).not.toContain(world.scan.name);
    await screenshotBoth(pageB, 'other-org-not-found');
    await pageB.goto(`/projects/${world.projectA.id}`);
    await pageB.getByText('Not found').first().waitFor();
    // Only the not-found state: no live panel, period picker or edit button for a project that is not there.
    expect(await pageB.getByText('Active now').count()).toBe(0);
    expect(await pageB.getByRole('link', { name: 'Edit project' }).count()).toBe(0);
    expect(await pageB.getByRole('button', { name: '7 days' }).count()).toBe(0);
    await pageB.goto('/orders');
    await pageB.getByText('No orders yet').waitFor();
    await screenshotBoth(pageB, 'other-org-orders-empty');
    await ctxB.close();
    expect(errors).toEqual([]);
  });

  test('vendor console: create an organization, product, order, item and an activation code shown once', async () => {
    const ctx = await newContext(browser, server.url);
    const page = await ctx.newPage();
    const errors = trackErrors(page);
    await login(page, VENDOR_EMAIL, PASSWORD);
    await page.goto('/vendor/organizations');
    await page.getByLabel('Name').fill('Initech');
    await page.getByRole('button', { name: 'Create organization' }).click();
    await page.getByText('Created Initech.').waitFor();
    await screenshotBoth(page, 'vendor-organizations');
    await page.goto('/vendor/products');
    await page.getByLabel('Name').fill('Label Printer SDK');
    await page.getByLabel('Modules').fill('print, scan');
    await page.getByRole('button', { name: 'Create product' }).click();
    await page.getByText('Created Label Printer SDK.').waitFor();
    await page.goto('/vendor/orders');
    await page.getByRole('button', { name: 'Create order' }).click();
    await page.getByText(/Created order/).waitFor();
    await page.goto('/vendor/license-items');
    await page.getByLabel('Product').selectOption({ label: 'Label Printer SDK' });
    await page.getByLabel('Name').fill('Print seats');
    await page.getByRole('button', { name: 'Issue license item' }).click();
    await page.getByText(/Issued LI-\d+ Print seats/).waitFor();
    await screenshotBoth(page, 'vendor-license-items');
    await page.goto('/vendor/activation-codes');
    await page.getByRole('button', { name: 'Create code' }).click();
    await page.getByTestId('new-code').waitFor();
    const code = (await page.locator('.secret').textContent())!.trim();
    expect(code.length).toBeGreaterThan(8);
    await screenshotBoth(page, 'vendor-activation-code');
    await page.reload();
    await page.getByText('Codes of this item').waitFor();
    expect(await page.content()).not.toContain(code);

    // A project for the new organization, with the new item, from the projects editor.
    await page.goto('/projects/new');
    await page.getByLabel('Name').fill('Print station');
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL((u) => u.pathname === '/projects');
    await page.getByTestId('projects').getByText('Print station').waitFor();
    await screenshotBoth(page, 'vendor-projects');
    expect(errors).toEqual([]);
    await ctx.close();
  });
});
