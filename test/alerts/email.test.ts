/**
 * Alert e-mails: queued in the alert's transaction, sent through a real SMTP server (smtp-sink.ts)
 * by the outbox worker, retried after a refusal, and kept across a restart.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AlertLogEntry } from '../../src/contract/alerts.ts';
import { startMailWorker } from '../../src/server/alerts/mail-worker.ts';
import { notificationsOf } from '../../src/server/notifications.ts';
import { listMails } from '../../src/storage/alerts/mail-repository.ts';
import { addItem, auth, newOrg } from '../client/fixtures.ts';
import { bearerAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { startSmtpSink } from './smtp-sink.ts';

let sink: Awaited<ReturnType<typeof startSmtpSink>>;
const env = () => ({ LICSTAT_SMTP_URL: sink.url, LICSTAT_SMTP_FROM: 'alerts@licstat.test' });
const onError = (e: unknown) => console.error(e);

beforeAll(async () => {
  sink = await startSmtpSink();
});
afterAll(async () => sink?.close());

/** A multi-user item of two seats: its first start crosses the 50 % quota alert, its second the 100 % one. */
async function crossQuota(t: TestApp, itemName: string) {
  const o = await newOrg(t.deps);
  const { item, code } = await addItem(t.deps, o, { model: 'multi-user', quota: 2 });
  await t.deps.db.kysely
    .updateTable('license_items')
    .set({ name: itemName })
    .where('id', '=', item.id)
    .execute();
  const admin = await bearerAs(t, 'admin', o.org.id);
  await bearerAs(t, 'member', o.org.id); // members get no mail
  const put = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/alerts/settings',
    headers: admin.headers,
    payload: { quotaThresholds: [50, 100], declinesPerHour: 100, expiryDays: [] },
  });
  expect(put.statusCode).toBe(200);
  for (const pc of ['pc-1', 'pc-2']) {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/client/sessions',
      headers: auth(code.code),
      payload: { fingerprint: pc, email: 'user@x.test' },
    });
    expect(r.statusCode).toBe(201);
    await notificationsOf(t.deps).alerts.idle();
  }
  return { org: o.org, item, admin };
}

/** item ids are numbered per database (each SQLite test file starts at LI-00001); admins' addresses are unique */
const sunkTo = (address: string) => sink.mails.filter((m) => m.to.includes(address));

describe.each(DIALECTS)('alert e-mail on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url(), Date.now(), env());
  });
  afterAll(async () => t?.close());

  test("quota alerts are queued with the alert and mailed to the organization's admins, once each", async () => {
    // a name that needs MIME encoding in a header
    const { org, item, admin } = await crossQuota(t, 'Größen-Scanner ✓ «Pro»');
    const queued = await listMails(t.deps.db.kysely, org.id, 10);
    expect(queued.map((m) => [m.status, JSON.parse(m.recipients)])).toEqual([
      ['pending', [admin.user.email]],
      ['pending', [admin.user.email]],
    ]);
    const worker = startMailWorker(t.deps, { autoStart: false, onError })!;
    try {
      for (let i = 0; i < 20 && sunkTo(admin.user.email).length < 2; i++) await worker.runOnce();
      const mine = sunkTo(admin.user.email);
      expect(mine.length).toBe(2);
      for (const m of mine) {
        expect(m.from).toBe('alerts@licstat.test');
        expect(m.to).toEqual([admin.user.email]);
        expect(m.mail.text).toContain(`License item: Größen-Scanner ✓ «Pro» (${item.id})`);
      }
      expect(mine.map((m) => m.mail.subject).sort()).toEqual([
        `[licstat] Größen-Scanner ✓ «Pro» (${item.id}) reached 100% of its quota: 2 of 2.`,
        `[licstat] Größen-Scanner ✓ «Pro» (${item.id}) reached 50% of its quota: 1 of 2.`,
      ]);
      await worker.runOnce();
      expect(sunkTo(admin.user.email).length).toBe(2);
      const after = await listMails(t.deps.db.kysely, org.id, 10);
      expect(after.map((m) => [m.status, m.attempts, m.sent_at])).toEqual([
        ['sent', 1, t.clock.now()],
        ['sent', 1, t.clock.now()],
      ]);
    } finally {
      await worker.stop();
    }
  });

  test('a message the SMTP server refuses stays queued and is sent on a later attempt', async () => {
    const { org, admin } = await crossQuota(t, 'Refused Scanner');
    const worker = startMailWorker(t.deps, { autoStart: false, onError })!;
    sink.refuse(true);
    try {
      const rows = async () => listMails(t.deps.db.kysely, org.id, 10);
      for (let i = 0; i < 20 && (await rows()).some((m) => m.attempts === 0); i++) await worker.runOnce();
      for (const m of await rows()) {
        expect(m).toMatchObject({ status: 'pending', attempts: 1, sent_at: null });
        expect(m.last_error).toMatch(/451/);
        expect(m.next_attempt_at - t.clock.now()).toBe(30_000);
      }
      expect(sunkTo(admin.user.email).length).toBe(0);
      const emails = async () =>
        (
          (await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: admin.headers })).json()
            .alerts as AlertLogEntry[]
        ).map((a) => a.email);
      for (const e of await emails()) {
        expect(e).toMatchObject({ status: 'pending', recipients: 1, attempts: 1, sentAt: null });
        expect(e!.lastError).toMatch(/451/);
      }
      sink.refuse(false);
      await worker.runOnce(); // not due yet
      expect((await rows()).every((m) => m.attempts === 1)).toBe(true);
      t.clock.advance(30_000);
      for (let i = 0; i < 20 && sunkTo(admin.user.email).length < 2; i++) await worker.runOnce();
      expect(sunkTo(admin.user.email).length).toBe(2);
      expect((await rows()).map((m) => [m.status, m.attempts, m.last_error])).toEqual([
        ['sent', 2, null],
        ['sent', 2, null],
      ]);
      const sentAt = new Date(t.clock.now()).toISOString();
      expect(await emails()).toEqual([
        { status: 'sent', recipients: 1, attempts: 2, lastError: null, sentAt },
        { status: 'sent', recipients: 1, attempts: 2, lastError: null, sentAt },
      ]);
    } finally {
      sink.refuse(false);
      await worker.stop();
    }
  });

  test('a message refused for a day is given up: failed, with the last error in the alert log', async () => {
    const { org, admin } = await crossQuota(t, 'Unreachable Scanner');
    const worker = startMailWorker(t.deps, { autoStart: false, onError })!;
    const start = t.clock.now();
    sink.refuse(true);
    try {
      const rows = async () => listMails(t.deps.db.kysely, org.id, 10);
      for (let i = 0; i < 200 && (await rows()).some((m) => m.status === 'pending'); i++) {
        await worker.runOnce();
        const next = Math.min(...(await rows()).map((m) => m.next_attempt_at));
        if (next > t.clock.now()) t.clock.set(next);
      }
      const given = await rows();
      expect(given.map((m) => m.status)).toEqual(['failed', 'failed']);
      // retried until a day after the alert, and not past it (the schedule caps waits at an hour)
      for (const m of given) expect(m.attempts).toBeGreaterThan(20);
      expect(t.clock.now() - start).toBeGreaterThan(23 * 3_600_000);
      expect(t.clock.now() - start).toBeLessThanOrEqual(24 * 3_600_000);
      expect(sunkTo(admin.user.email).length).toBe(0);
      const alerts = (
        await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: admin.headers })
      ).json().alerts as AlertLogEntry[];
      for (const a of alerts) {
        expect(a.email).toMatchObject({ status: 'failed', sentAt: null });
        expect(a.email!.lastError).toMatch(/451/);
      }
    } finally {
      sink.refuse(false);
      await worker.stop();
    }
  });

  test('a message queued before a restart is sent by the next process', async () => {
    const url = dialect.url();
    const first = await createTestApp(url, t.clock.now(), env());
    let org: string;
    let address: string;
    try {
      const crossed = await crossQuota(first, 'Restarted Scanner');
      org = crossed.org.id;
      address = crossed.admin.user.email;
    } finally {
      await first.close(); // before any worker ran
    }
    expect(sunkTo(address).length).toBe(0);
    const second = await createTestApp(url, t.clock.now(), env());
    const worker = startMailWorker(second.deps, { autoStart: false, onError })!;
    try {
      for (let i = 0; i < 20 && sunkTo(address).length < 2; i++) await worker.runOnce();
      expect(sunkTo(address).length).toBe(2);
      expect((await listMails(second.deps.db.kysely, org, 10)).map((m) => m.status)).toEqual([
        'sent',
        'sent',
      ]);
    } finally {
      await worker.stop();
      await second.close();
    }
  });
});
