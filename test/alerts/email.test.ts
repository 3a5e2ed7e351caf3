/** Alert e-mails through SMTP to a local sink: each fired alert reaches the organization's admins once. */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import { notificationsOf } from '../../src/server/notifications.ts';
import { createDeps } from '../../src/server/start.ts';
import type { App, Deps } from '../../src/server/types.ts';
import { addItem, auth, newOrg } from '../client/fixtures.ts';
import { bearerAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import type { TestApp } from '../support/test-app.ts';
import { startSmtpSink } from './smtp-sink.ts';

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let t: TestApp;

beforeAll(async () => {
  sink = await startSmtpSink();
  const clock = new ManualClock(Date.now());
  const deps: Deps = await createDeps(
    loadConfig({
      DATABASE_URL: DIALECTS[0]!.url(),
      LOG_LEVEL: 'silent',
      LICSTAT_SMTP_URL: sink.url,
      LICSTAT_SMTP_FROM: 'alerts@licstat.test',
    }),
    clock,
  );
  const app: App = await buildApp(deps, { webDist: '/nonexistent' });
  await app.ready();
  const close = async () => {
    await app.close();
    await deps.db.close();
  };
  t = { app, deps, clock, close };
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

test("quota alerts are mailed to the organization's admins, once each", async () => {
  const o = await newOrg(t.deps);
  const { item, code } = await addItem(t.deps, o, { model: 'multi-user', quota: 1 });
  const admin = await bearerAs(t, 'admin', o.org.id);
  await bearerAs(t, 'member', o.org.id); // members get no mail
  const put = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/alerts/settings',
    headers: admin.headers,
    payload: { quotaThresholds: [50, 100], declinesPerHour: 100, expiryDays: [] },
  });
  expect(put.statusCode).toBe(200);
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/client/sessions',
    headers: auth(code.code),
    payload: { fingerprint: 'pc', email: 'user@x.test' },
  });
  expect(r.statusCode).toBe(201);
  const n = notificationsOf(t.deps);
  await n.alerts.idle();
  await n.mailer!.idle();
  const mine = sink.mails.filter((m) => m.data.includes(item.id));
  expect(mine.length).toBe(2);
  for (const m of mine) {
    expect(m.from).toBe('alerts@licstat.test');
    expect(m.to).toEqual([admin.user.email]);
  }
  expect(mine.map((m) => /^Subject: (.*)$/m.exec(m.data)?.[1]).sort()).toEqual([
    `[licstat] ${item.name} (${item.id}) reached 100% of its quota: 1 of 1.`,
    `[licstat] ${item.name} (${item.id}) reached 50% of its quota: 1 of 1.`,
  ]);
});
