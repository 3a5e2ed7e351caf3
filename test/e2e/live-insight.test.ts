/**
 * Browser test: the item and project pages show active sessions live (a session started through
 * the client API appears without a reload, and disappears when it ends), and a multi-user item's
 * statistics page shows the Seat need card agreeing with the API; Settings shows webhooks, the
 * alerts and what became of their e-mails (sent to a loopback SMTP server).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ItemInsightResponse } from '../../src/contract/insight.ts';
import type { LicenseItem, Project } from '../../src/contract/resources.ts';
import type { Started } from '../../src/server/start.ts';
import { startSmtpSink } from '../alerts/smtp-sink.ts';
import { launchBrowser, login, newContext, screenshotBoth } from './support/browser.ts';
import { LicensedProgram, PortalClient } from './support/http.ts';
import { trackErrors } from './support/page-helpers.ts';
import { PASSWORD, startE2eServer, VENDOR_EMAIL } from './support/server.ts';

const DAY = 86_400_000;
let server: Started;
let browser: Browser;
let admin: PortalClient;
let item: LicenseItem;
let project: Project;
let program: LicensedProgram;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
const ADMIN = `admin-live-${Math.random().toString(36).slice(2, 8)}@acme.test`;

beforeAll(async () => {
  sink = await startSmtpSink();
  server = await startE2eServer({ LICSTAT_SMTP_URL: sink.url });
  const vendor = await PortalClient.login(server.url, VENDOR_EMAIL, PASSWORD);
  const org = (await vendor.post<{ organization: { id: string } }>('/organizations', { name: 'Live Corp' }))
    .organization.id;
  await vendor.post('/users', {
    organizationId: org,
    email: ADMIN,
    password: PASSWORD,
    role: 'admin',
    timeZone: 'UTC',
  });
  const product = (
    await vendor.post<{ product: { id: string } }>('/products', { name: 'Viewer', modules: ['core'] })
  ).product.id;
  const order = (
    await vendor.post<{ order: { id: string } }>('/orders', { organizationId: org, kind: 'full' })
  ).order.id;
  item = (
    await vendor.post<{ licenseItem: LicenseItem }>('/license-items', {
      orderId: order,
      productId: product,
      name: 'Floating seats',
      version: '2026.x',
      deployment: 'computer',
      model: 'multi-user',
      quota: 2,
      refreshInterval: '1d',
      validFrom: new Date(Date.now() - 10 * DAY).toISOString(),
      validTo: new Date(Date.now() + 300 * DAY).toISOString(),
      modules: ['core'],
    })
  ).licenseItem;
  const code = (
    await vendor.post<{ activationCode: { code: string } }>('/activation-codes', {
      licenseItemId: item.id,
      maxActivations: 10,
    })
  ).activationCode.code;
  project = (
    await vendor.post<{ project: Project }>('/projects', {
      organizationId: org,
      name: 'Live project',
      key: `PK-LIVE-${Math.random().toString(36).slice(2, 8)}`,
      licenseItemIds: [item.id],
    })
  ).project;
  program = new LicensedProgram(server.url, code);
  // history for the Seat need card: two seats taken, a third start declined
  await program.start('pc-1', 'ana@acme.test');
  await program.start('pc-2', 'ben@acme.test');
  await program.start('pc-3', 'cy@acme.test');
  admin = await PortalClient.login(server.url, ADMIN, PASSWORD);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.close();
});

describe('live activity and seat need in the browser', () => {
  test('item page: a new session appears live and goes when it ends; Seat need matches the API', async () => {
    const ctx = await newContext(browser, server.url);
    const page = await ctx.newPage();
    const errors = trackErrors(page);
    await login(page, ADMIN, PASSWORD);
    await page.goto(`/license-items/${item.id}/stats`);
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor();
    const rows = page.getByTestId('live-session-row');
    await expect.poll(() => rows.count()).toBe(3); // two full, one limited (declined) session

    const s = await program.start('pc-9', 'newcomer@acme.test');
    await page.getByTestId('live-sessions').getByText('newcomer@acme.test').waitFor({ timeout: 10_000 });
    await program.end(s.id);
    await page
      .getByTestId('live-sessions')
      .getByText('newcomer@acme.test')
      .waitFor({ state: 'detached', timeout: 10_000 });

    await page.reload(); // the Seat need card is computed at load, not live
    const api = await admin.get<ItemInsightResponse>(`/license-items/${item.id}/insight?tz=UTC`);
    const sentence = page.getByTestId('seat-need-sentence');
    await sentence.waitFor();
    expect(await sentence.textContent()).toBe(api.insight!.replay.sentence);
    const table = page.getByTestId('seat-need-table');
    const atQuota = api.insight!.replay.rows.find((r) => r.seats === item.quota)!;
    expect(atQuota.declines).toBeGreaterThanOrEqual(2); // cy, and newcomer's start while two seats were held
    expect(await table.locator('tr', { hasText: '(now)' }).textContent()).toContain(String(atQuota.declines));
    await screenshotBoth(page, 'item-live-seat-need');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 60_000);

  test('project page: a new session appears live', async () => {
    const ctx = await newContext(browser, server.url);
    const page = await ctx.newPage();
    await login(page, ADMIN, PASSWORD);
    await page.goto(`/projects/${project.id}`);
    await page.getByTestId('live-state').filter({ hasText: 'live' }).waitFor();
    await program.start('pc-10', 'projectuser@acme.test', project.key);
    await page.getByTestId('live-sessions').getByText('projectuser@acme.test').waitFor({ timeout: 10_000 });
    await ctx.close();
  }, 60_000);

  test('settings: an admin adds a webhook (secret shown once), sends a test, sees the refused loopback delivery and the alerts', async () => {
    const ctx = await newContext(browser, server.url);
    const page = await ctx.newPage();
    const errors = trackErrors(page);
    await login(page, ADMIN, PASSWORD);
    await page.goto('/settings');
    // an address in the URL is refused at once, in words
    await page.getByLabel('Webhook URL').fill('http://127.0.0.1:9/hook');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByText("webhooks may not reach the server's own network").waitFor();
    // a host name is checked at each delivery (DNS may change): localhost is refused there
    await page.getByLabel('Webhook URL').fill('http://localhost:9/hook');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = await page.getByTestId('webhook-secret').locator('.secret').textContent();
    expect(secret).toMatch(/^whsec_/);
    // alerts are on now: the next start finds every seat held (100% of the quota)
    await program.start('pc-11', 'late@acme.test');
    await page.getByRole('button', { name: 'Send test' }).click();
    const deliveries = page.getByTestId('deliveries');
    await expect
      .poll(
        async () => {
          await deliveries.getByRole('button', { name: 'Refresh' }).click();
          return deliveries.textContent();
        },
        { timeout: 15_000, interval: 500 },
      )
      .toContain('non-public address');
    await page.reload();
    await page
      .getByTestId('alerts')
      .getByText(`reached 100% of its quota`)
      .first()
      .waitFor({ timeout: 10_000 });
    // the mail worker sends every 5 s: the alert's line says so once it has
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId('alerts').textContent();
        },
        { timeout: 20_000, interval: 1000 },
      )
      .toContain('e-mailed to 1 admin');
    expect(sink.mails.filter((m) => m.to.includes(ADMIN)).length).toBeGreaterThan(0);
    await screenshotBoth(page, 'settings-alerts-webhooks');
    expect(errors).toEqual([]);
    await ctx.close();
  }, 60_000);
});
