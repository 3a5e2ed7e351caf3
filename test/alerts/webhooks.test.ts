/**
 * Webhooks and alerts end to end: signed deliveries checked with the documented recipe on a
 * real receiver, retries with backoff, the delivery log, and alerts firing once per crossing.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AlertLogEntry, WebhookDelivery } from '../../src/contract/alerts.ts';
import { startMailWorker } from '../../src/server/alerts/mail-worker.ts';
import type { Resolver } from '../../src/server/alerts/target-guard.ts';
import { startWebhookWorker } from '../../src/server/alerts/webhook-worker.ts';
import { notificationsOf } from '../../src/server/notifications.ts';
import { listMails } from '../../src/storage/alerts/mail-repository.ts';
import {
  claimDueDeliveries,
  createWebhook,
  recordAttempt,
} from '../../src/storage/alerts/webhook-repository.ts';
import { addItem, auth, newOrg } from '../client/fixtures.ts';
import { bearerAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { startReceiver } from './receiver.ts';
import { startSmtpSink } from './smtp-sink.ts';

const DAY = 86_400_000;

/** The recipe from the README, written out independently of the server's code. */
function verify(secret: string, body: string, header: string): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  const mac = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest('hex');
  return mac === m[2] && Math.abs(Date.now() / 1000 - Number(m[1])) < 300;
}

describe.each(DIALECTS)('webhooks on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t?.close());

  test('token, webhook and alert-rule changes go into the audit log, without secrets', async () => {
    const o = await newOrg(t.deps);
    const admin = await bearerAs(t, 'admin', o.org.id);
    const call = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url: `/api/v1${url}`, headers: admin.headers, ...(payload ? { payload } : {}) });
    const token = (await call('POST', '/api-tokens', { name: 'nightly export' })).json().apiToken;
    expect((await call('DELETE', `/api-tokens/${token.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/api-tokens/${token.id}`)).statusCode).toBe(404); // once
    const secret = 'a-secret-nobody-should-read';
    const hook = (await call('POST', '/webhooks', { url: 'https://hooks.example/licstat', secret })).json()
      .webhook;
    const rules = { quotaThresholds: [80], declinesPerHour: 5, expiryDays: [14] };
    expect((await call('PUT', '/alerts/settings', rules)).statusCode).toBe(200);
    expect((await call('DELETE', `/webhooks/${hook.id}`)).statusCode).toBe(204);
    const log = (await t.app.inject({ url: '/api/v1/audit-log', headers: admin.headers })).json().entries as {
      action: string;
      target: string | null;
      userId: string;
      details: unknown;
    }[];
    expect(log.map((e) => [e.action, e.target, e.userId]).reverse()).toEqual([
      ['api_token.create', token.id, admin.user.id],
      ['api_token.revoke', token.id, admin.user.id],
      ['webhook.create', hook.id, admin.user.id],
      ['alerts.settings', null, admin.user.id],
      ['webhook.delete', hook.id, admin.user.id],
    ]);
    expect(log.find((e) => e.action === 'alerts.settings')!.details).toEqual(rules);
    // who, in words: the admin's email; the vendor's people as "vendor staff" to the organization
    const vendor = await bearerAs(t, 'vendor');
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: vendor.headers,
      payload: { organizationId: o.org.id, url: 'https://hooks.example/vendor' },
    });
    const seen = (await t.app.inject({ url: '/api/v1/audit-log', headers: admin.headers })).json()
      .entries as {
      action: string;
      by: string;
    }[];
    expect(seen.map((e) => `${e.action} by ${e.by}`)).toEqual([
      'webhook.create by vendor staff',
      ...log.map(() => expect.stringMatching(new RegExp(` by ${admin.user.email.replace('.', '\\.')}$`))),
    ]);
    const asVendor = (
      await t.app.inject({ url: `/api/v1/audit-log?organizationId=${o.org.id}`, headers: vendor.headers })
    ).json().entries as { by: string }[];
    expect(asVendor[0]!.by).toBe(vendor.user.email);
    const text = JSON.stringify(log);
    expect(text).toContain('nightly export');
    expect(text).toContain('https://hooks.example/licstat');
    expect(text).not.toContain(secret);
    expect(text).not.toContain(token.token);
  });

  test('a report jumping several quota thresholds alerts once, for the highest; usage already past one alerts when alerts are switched on', async () => {
    const o = await newOrg(t.deps);
    const { item, code } = await addItem(t.deps, o, { model: 'per-scan', quota: 10_000 });
    const admin = await bearerAs(t, 'admin', o.org.id);
    let batch = 0;
    const scan = async (count: number) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/client/usage',
        headers: auth(code.code),
        payload: {
          batchId: `b${++batch}`,
          fingerprint: 'dev',
          events: [{ kind: 'scan', count, at: new Date(t.clock.now()).toISOString() }],
        },
      });
      expect(r.statusCode, r.body).toBe(202);
      await notificationsOf(t.deps).alerts.idle();
    };
    const alerts = async () =>
      (
        (await t.app.inject({ url: '/api/v1/alerts', headers: admin.headers })).json()
          .alerts as AlertLogEntry[]
      )
        .map((a) => [a.details.threshold, a.details.value])
        .reverse();
    await scan(6000); // before any alert settings: nothing to say
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/alerts/settings',
      headers: admin.headers,
      payload: { quotaThresholds: [50, 80, 90, 100], declinesPerHour: 5, expiryDays: [] },
    });
    expect(put.statusCode).toBe(200);
    await notificationsOf(t.deps).alerts.idle();
    expect(await alerts()).toEqual([[50, 6000]]); // at once, not at the next report
    await scan(3500); // 95 %: past 80 and 90 in one report
    expect(await alerts()).toEqual([
      [50, 6000],
      [90, 9500],
    ]);
    await scan(100); // 96 %: nothing new (80 was claimed with 90, not left for later)
    await scan(1000); // 106 %
    expect(await alerts()).toEqual([
      [50, 6000],
      [90, 9500],
      [100, 10600],
    ]);
    // numbers as people read them
    const latest = (
      (await t.app.inject({ url: '/api/v1/alerts', headers: admin.headers })).json().alerts as AlertLogEntry[]
    )[0]!;
    expect(latest.details.message).toBe(
      `${item.name} (${item.id}) reached 100% of its quota: 10,600 of 10,000.`,
    );
  });

  test('a test event is signed per the recipe, retried with backoff after a failure, and logged', async () => {
    const rx = await startReceiver((n) => (n === 0 ? 500 : 200));
    // the test's receiver listens on loopback, as an on-premises receiver would
    const t = await createTestApp(dialect.url(), Date.now(), { LICSTAT_WEBHOOK_ALLOW_PRIVATE: '1' });
    try {
      const o = await newOrg(t.deps);
      const admin = await bearerAs(t, 'admin', o.org.id);
      const secret = 'a-secret-of-sufficient-length';
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: admin.headers,
        payload: { url: rx.url, secret },
      });
      expect(created.statusCode, created.body).toBe(201);
      const hook = created.json().webhook as { id: string; secret: string };
      expect(hook.secret).toBe(secret);
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: admin.headers });
      expect(JSON.stringify(list.json())).not.toContain(secret);
      // a chosen secret shows 4 characters; a generated one its whsec_ prefix and 4 more
      expect(list.json().webhooks.map((w: { secretHint: string }) => w.secretHint)).toEqual(['a-se…']);

      const sent = await t.app.inject({
        method: 'POST',
        url: `/api/v1/webhooks/${hook.id}/test`,
        headers: admin.headers,
      });
      expect(sent.statusCode).toBe(202);
      const eventId = sent.json().event.id as string;
      const worker = startWebhookWorker(t.deps, {
        autoStart: false,
        allowPrivateTargets: true,
        onError: (e) => console.error(e),
      });
      const log = async () =>
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/webhooks/${hook.id}/deliveries`,
            headers: admin.headers,
          })
        ).json().deliveries as WebhookDelivery[];

      // first attempt answers 500: pending, next attempt in 30 s
      for (let i = 0; i < 50 && rx.received.length < 1; i++) await worker.runOnce();
      expect(rx.received.length).toBe(1);
      let d = (await log())[0]!;
      expect(d).toMatchObject({ eventId, status: 'pending', attempts: 1, lastStatus: 500 });
      expect(Date.parse(d.nextAttemptAt!) - t.clock.now()).toBe(30_000);
      expect(await worker.runOnce()).toBe(0); // not due yet
      t.clock.advance(30_000);
      for (let i = 0; i < 50 && rx.received.length < 2; i++) await worker.runOnce();
      d = (await log())[0]!;
      expect(d).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200 });
      // each attempt is kept, newest first: what the receiver answered and when
      expect(d.history.map((a) => [a.attempt, a.status, a.error, Date.parse(a.at)])).toEqual([
        [2, 200, null, t.clock.now()],
        [1, 500, 'HTTP 500', t.clock.now() - 30_000],
      ]);
      for (const a of d.history) expect(a.durationMs).toBeGreaterThanOrEqual(0);

      for (const r of rx.received) {
        expect(r.headers['content-type']).toBe('application/json');
        expect(verify(secret, r.body, String(r.headers['x-licstat-signature']))).toBe(true);
        expect(verify('another-secret-entirely', r.body, String(r.headers['x-licstat-signature']))).toBe(
          false,
        );
        expect(JSON.parse(r.body)).toMatchObject({
          id: eventId,
          type: 'webhook.test',
          organizationId: o.org.id,
        });
      }
      await worker.stop();

      // another organization's admin cannot see or use it
      const other = await bearerAs(t, 'admin');
      for (const [method, url] of [
        ['GET', `/api/v1/webhooks/${hook.id}/deliveries`],
        ['POST', `/api/v1/webhooks/${hook.id}/test`],
        ['DELETE', `/api/v1/webhooks/${hook.id}`],
      ] as const)
        expect((await t.app.inject({ method, url, headers: other.headers })).statusCode).toBe(404);
      const member = await bearerAs(t, 'member', o.org.id);
      expect(
        (await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: member.headers })).statusCode,
      ).toBe(403);
      const del = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/webhooks/${hook.id}`,
        headers: admin.headers,
      });
      expect(del.statusCode).toBe(204);
    } finally {
      await t.close();
      await rx.close();
    }
  });

  test('at most 20 webhooks per organization; a new test event replaces one still pending', async () => {
    const o = await newOrg(t.deps);
    const admin = await bearerAs(t, 'admin', o.org.id);
    const call = (method: 'POST' | 'GET', url: string, payload?: object) =>
      t.app.inject({ method, url: `/api/v1${url}`, headers: admin.headers, ...(payload ? { payload } : {}) });
    const ids: string[] = [];
    for (let i = 0; i < 17; i++) {
      const r = await call('POST', '/webhooks', { url: `https://hooks.example/${i}` });
      expect(r.statusCode).toBe(201);
      ids.push(r.json().webhook.id);
    }
    // six at once for the last three places (on PostgreSQL truly concurrent): three get them
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) => call('POST', '/webhooks', { url: `https://hooks.example/b${i}` })),
    );
    expect(burst.map((r) => r.statusCode).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    expect(burst.filter((r) => r.statusCode === 409).map((r) => r.json().error.code)).toEqual([
      'CONFLICT',
      'CONFLICT',
      'CONFLICT',
    ]);
    expect((await call('GET', '/webhooks')).json().webhooks).toHaveLength(20);
    // nothing delivers here (no worker): each test would otherwise retry for a day
    for (let i = 0; i < 3; i++) expect((await call('POST', `/webhooks/${ids[0]}/test`)).statusCode).toBe(202);
    const log = (await call('GET', `/webhooks/${ids[0]}/deliveries`)).json().deliveries as WebhookDelivery[];
    expect(log.map((d) => `${d.status}: ${d.lastError}`).sort()).toEqual([
      'failed: superseded by a newer test event',
      'failed: superseded by a newer test event',
      'pending: null',
    ]);
  });

  test('a delivery given up while its attempt was in flight stays given up (superseded test, deleted webhook)', async () => {
    const o = await newOrg(t.deps);
    const admin = await bearerAs(t, 'admin', o.org.id);
    const call = (method: 'POST' | 'GET' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url: `/api/v1${url}`, headers: admin.headers, ...(payload ? { payload } : {}) });
    const id = (await call('POST', '/webhooks', { url: 'https://hooks.example/x' })).json().webhook
      .id as string;
    const k = t.deps.db.kysely;
    const claimOne = async () =>
      (await claimDueDeliveries(k, t.clock.now(), 60_000, 20)).find((d) => d.webhook_id === id)!;
    // a worker claims the test event and starts sending it
    await call('POST', `/webhooks/${id}/test`);
    const first = await claimOne();
    expect(first).toBeDefined();
    // meanwhile the admin sends another test: the first is given up
    await call('POST', `/webhooks/${id}/test`);
    // the first attempt then fails: it is kept in the history, and the delivery stays given up
    const fail = (d: typeof first) => ({
      attempt: d.attempts,
      claimedUntil: d.claimed_until!,
      ok: false,
      status: 500,
      error: 'HTTP 500',
      durationMs: 5,
      nextAttemptAt: t.clock.now() + 30_000,
    });
    await recordAttempt(k, first.id, fail(first), t.clock.now());
    const log = (await call('GET', `/webhooks/${id}/deliveries`)).json().deliveries as WebhookDelivery[];
    const d1 = log.find((d) => d.id === first.id)!;
    expect([d1.status, d1.lastError, d1.history.length]).toEqual([
      'failed',
      'superseded by a newer test event',
      1,
    ]);
    // the same for a webhook deleted while its delivery was in flight
    const second = await claimOne();
    expect((await call('DELETE', `/webhooks/${id}`)).statusCode).toBe(204);
    await recordAttempt(k, second.id, fail(second), t.clock.now());
    const row = await k
      .selectFrom('webhook_deliveries')
      .select('status')
      .where('id', '=', second.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('failed');
  });

  test('the delivery log keeps 30 days of finished deliveries, with their attempts; pending ones stay', async () => {
    const o = await newOrg(t.deps);
    const admin = await bearerAs(t, 'admin', o.org.id);
    const k = t.deps.db.kysely;
    const id = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: admin.headers,
        payload: { url: 'https://hooks.example/old' },
      })
    ).json().webhook.id as string;
    const test = () =>
      t.app.inject({ method: 'POST', url: `/api/v1/webhooks/${id}/test`, headers: admin.headers });
    await test();
    const [done] = (await claimDueDeliveries(k, t.clock.now(), 60_000, 20)).filter(
      (d) => d.webhook_id === id,
    );
    await recordAttempt(
      k,
      done!.id,
      {
        attempt: 1,
        claimedUntil: done!.claimed_until!,
        ok: true,
        status: 200,
        error: null,
        durationMs: 3,
        nextAttemptAt: null,
      },
      t.clock.now(),
    );
    const ids = async () =>
      (await k.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id).execute()).map(
        (r) => r.id,
      );
    // made 29 days ago: kept; 31 days ago: gone with its attempts (the clock stays: other tests share
    // the PostgreSQL database, and a tick far ahead would fire their expiry warnings)
    const age = (days: number) =>
      k
        .updateTable('webhook_deliveries')
        .set({ created_at: t.clock.now() - days * DAY })
        .where('id', '=', done!.id)
        .execute();
    await test(); // pending, recent: stays
    await age(29);
    await notificationsOf(t.deps).alerts.tick();
    expect(await ids()).toContain(done!.id);
    await age(31);
    await notificationsOf(t.deps).alerts.tick();
    const left = await ids();
    expect(left).not.toContain(done!.id);
    expect(left).toHaveLength(1);
    expect(
      await k.selectFrom('webhook_attempts').select('attempt').where('delivery_id', '=', done!.id).execute(),
    ).toEqual([]);
  });

  test('a URL that does not parse is a 400, with or without private targets allowed', async () => {
    for (const env of [{}, { LICSTAT_WEBHOOK_ALLOW_PRIVATE: '1' }] as Record<string, string>[]) {
      const app = await createTestApp(dialect.url(), Date.now(), env);
      try {
        const o = await newOrg(app.deps);
        const admin = await bearerAs(app, 'admin', o.org.id);
        for (const url of ['http://[::1', 'http://a b.example/', 'https://%zz/']) {
          const r = await app.app.inject({
            method: 'POST',
            url: '/api/v1/webhooks',
            headers: admin.headers,
            payload: { url },
          });
          expect([r.statusCode, r.json().error.code, r.json().error.message], url).toEqual([
            400,
            'VALIDATION_FAILED',
            'body.url is not a valid URL',
          ]);
        }
      } finally {
        await app.close();
      }
    }
  });

  test('by default a loopback address is refused when the webhook is added, and at delivery, never sent', async () => {
    const rx = await startReceiver();
    // also spelled as IPv4 inside IPv6, which Node's URL parser writes ::ffff:7f00:1
    const mapped = rx.url.replace('127.0.0.1', '[::ffff:127.0.0.1]');
    try {
      for (const [url, shown] of [
        [rx.url, '(127.0.0.1)'],
        [mapped, '(::ffff:7f00:1)'],
      ] as const) {
        const o = await newOrg(t.deps);
        const admin = await bearerAs(t, 'admin', o.org.id);
        const added = await t.app.inject({
          method: 'POST',
          url: '/api/v1/webhooks',
          headers: admin.headers,
          payload: { url },
        });
        expect([added.statusCode, added.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
        expect(added.json().error.message).toContain(`non-public address ${shown}`);
        // one stored before (e.g. while LICSTAT_WEBHOOK_ALLOW_PRIVATE was set) is refused at delivery
        const hook = await createWebhook(t.deps.db.kysely, { organizationId: o.org.id, url }, t.clock.now());
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/webhooks/${hook.id}/test`,
          headers: admin.headers,
        });
        const worker = startWebhookWorker(t.deps, { autoStart: false, onError: () => {} });
        let d: WebhookDelivery | undefined;
        for (let i = 0; i < 50 && !d?.lastError; i++) {
          await worker.runOnce();
          d = (
            await t.app.inject({
              method: 'GET',
              url: `/api/v1/webhooks/${hook.id}/deliveries`,
              headers: admin.headers,
            })
          ).json().deliveries[0];
        }
        await worker.stop();
        expect(d).toMatchObject({ status: 'pending', attempts: 1, lastStatus: null });
        expect(d!.lastError).toContain(`non-public address ${shown}`);
        expect(rx.received.length).toBe(0);
      }
    } finally {
      await rx.close();
    }
  });

  test("a host name is checked in the connection's own lookup: the address checked is the one connected to", async () => {
    const rx = await startReceiver();
    try {
      const o = await newOrg(t.deps);
      const admin = await bearerAs(t, 'admin', o.org.id);
      // a name no DNS knows, answered by the test's resolver; and localhost through the system's
      const fake = rx.url.replace('127.0.0.1', 'receiver.licstat.test');
      const local = rx.url.replace('127.0.0.1', 'localhost');
      const asked: string[] = [];
      const resolve: Resolver = (host, cb) => {
        asked.push(host);
        cb(null, host === 'receiver.licstat.test' ? [{ address: '127.0.0.1', family: 4 }] : []);
      };
      const hookFor = async (url: string) => {
        const hook = (
          await t.app.inject({
            method: 'POST',
            url: '/api/v1/webhooks',
            headers: admin.headers,
            payload: { url },
          })
        ).json().webhook as { id: string };
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/webhooks/${hook.id}/test`,
          headers: admin.headers,
        });
        return hook.id;
      };
      const lastOf = async (id: string) =>
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/webhooks/${id}/deliveries`,
            headers: admin.headers,
          })
        ).json().deliveries[0] as WebhookDelivery;
      const attempt = async (id: string, opts: { resolve?: Resolver; allowPrivateTargets?: boolean }) => {
        const worker = startWebhookWorker(t.deps, { autoStart: false, onError: () => {}, ...opts });
        for (let i = 0; i < 50 && (await lastOf(id)).attempts === 0; i++) await worker.runOnce();
        await worker.stop();
        return lastOf(id);
      };
      // Each delivery is made before the next hook exists; a refused one waits 30 s to retry.
      const viaSystem = await hookFor(local);
      expect((await attempt(viaSystem, {})).lastError).toMatch(/localhost resolves to a non-public address/);
      const viaTest = await hookFor(fake);
      // the name's address is not told: the log would let an admin map the server's network
      expect((await attempt(viaTest, { resolve })).lastError).toBe(
        'refused: receiver.licstat.test resolves to a non-public address',
      );
      expect(rx.received.length).toBe(0);
      // one lookup per attempt: the check and the connection share it
      expect(asked.filter((h) => h === 'receiver.licstat.test').length).toBe(1);

      // Allowed, the same resolver's answer is where the delivery goes (the name exists nowhere else).
      t.clock.advance(30_000);
      const allowed = startWebhookWorker(t.deps, {
        autoStart: false,
        resolve,
        allowPrivateTargets: true,
        onError: () => {},
      });
      for (let i = 0; i < 50 && (await lastOf(viaTest)).status !== 'delivered'; i++) await allowed.runOnce();
      await allowed.stop();
      expect(await lastOf(viaTest)).toMatchObject({ status: 'delivered', attempts: 2, lastStatus: 200 });
      expect(rx.received.length).toBe(1);
      expect(JSON.parse(rx.received[0]!.body)).toMatchObject({
        type: 'webhook.test',
        organizationId: o.org.id,
      });
    } finally {
      await rx.close();
    }
  });

  test('an organization with webhooks and alert settings but nothing in use can be deleted, with them', async () => {
    const vendor = await bearerAs(t, 'vendor');
    const org = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: vendor.headers,
        payload: { name: 'Short-lived' },
      })
    ).json().organization.id as string;
    const hook = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhooks',
      headers: vendor.headers,
      payload: { organizationId: org, url: 'https://hooks.example.com/licstat' },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    const id = hook.json().webhook.id as string;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${id}/test?organizationId=${org}`,
      headers: vendor.headers,
    });
    const k = t.deps.db.kysely;
    const deliveries = await k
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('webhook_id', '=', id)
      .execute();
    expect(deliveries).toHaveLength(1);
    // an attempt made (its history row references the delivery)
    await recordAttempt(
      k,
      deliveries[0]!.id,
      {
        attempt: 1,
        claimedUntil: 0, // no claim: only the history row is written
        ok: false,
        status: 503,
        error: 'HTTP 503',
        durationMs: 12,
        nextAttemptAt: t.clock.now() + 30_000,
      },
      t.clock.now(),
    );
    const gone = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/organizations/${org}`,
      headers: vendor.headers,
    });
    expect([gone.statusCode, gone.body]).toEqual([204, '']);
    for (const table of ['webhooks', 'alert_settings', 'alert_state', 'alert_log', 'mail_outbox'] as const)
      expect(
        await k.selectFrom(table).select('organization_id').where('organization_id', '=', org).execute(),
      ).toEqual([]);
    expect(
      await k.selectFrom('webhook_deliveries').select('id').where('webhook_id', '=', id).execute(),
    ).toEqual([]);
    expect(
      await k
        .selectFrom('webhook_attempts')
        .select('attempt')
        .where('delivery_id', '=', deliveries[0]!.id)
        .execute(),
    ).toEqual([]);
  });

  test('expiry warnings fire once per threshold, however many ticks run', async () => {
    const o = await newOrg(t.deps);
    const now = t.clock.now();
    const { item } = await addItem(t.deps, o, { model: 'per-scan', quota: 10, validTo: now + 20 * DAY });
    const admin = await bearerAs(t, 'admin', o.org.id);
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/alerts/settings',
      headers: admin.headers,
      payload: { quotaThresholds: [75, 90, 95, 100], declinesPerHour: 10, expiryDays: [30, 7] },
    });
    expect(put.statusCode).toBe(200);
    const alerts = notificationsOf(t.deps).alerts;
    await Promise.all([alerts.tick(), alerts.tick(), alerts.tick()]);
    t.clock.advance(14 * DAY); // 6 days left: the 7-day warning
    await Promise.all([alerts.tick(), alerts.tick()]);
    const got = (await t.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: admin.headers })).json()
      .alerts as AlertLogEntry[];
    const mine = got
      .filter((a) => a.licenseItemId === item.id)
      .map((a) => `${a.type}:${a.details.threshold}`);
    expect(mine.sort()).toEqual(['expiry:30', 'expiry:7']);
    t.clock.set(now);
  });
});

const pg = DIALECTS.find((d) => d.name === 'postgres');

describe.skipIf(!pg)('alerts on two app instances sharing PostgreSQL', () => {
  let a: TestApp;
  let b: TestApp;
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  beforeAll(async () => {
    sink = await startSmtpSink();
    // the test's receiver listens on loopback, as an on-premises receiver would
    const env = { LICSTAT_SMTP_URL: sink.url, LICSTAT_WEBHOOK_ALLOW_PRIVATE: '1' };
    a = await createTestApp(pg!.url(), Date.now(), env);
    b = await createTestApp(pg!.url(), Date.now(), env);
    b.clock.set(a.clock.now());
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sink?.close();
  });

  test('each quota and declines crossing fires exactly once under concurrent starts; webhooks and e-mails deliver each once', async () => {
    const rx = await startReceiver();
    try {
      const o = await newOrg(a.deps);
      const { item, code } = await addItem(a.deps, o, { model: 'multi-user', quota: 4 });
      const admin = await bearerAs(a, 'admin', o.org.id);
      const created = await a.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: admin.headers,
        payload: { url: rx.url },
      });
      const secret = created.json().webhook.secret as string;
      await a.app.inject({
        method: 'PUT',
        url: '/api/v1/alerts/settings',
        headers: admin.headers,
        payload: { quotaThresholds: [75, 90, 95, 100], declinesPerHour: 2, expiryDays: [] },
      });
      const apps = [a, b];
      const start = (i: number) =>
        apps[i % 2]!.app.inject({
          method: 'POST',
          url: '/api/v1/client/sessions',
          headers: auth(code.code),
          payload: { fingerprint: `m${i}`, email: `u${i}@x.test` },
        });
      const settle = async () => {
        await Promise.all(apps.map((x) => notificationsOf(x.deps).alerts.idle()));
      };

      // round 1: 10 concurrent starts on 4 seats: 4 full, 6 declined
      const r1 = await Promise.all(Array.from({ length: 10 }, (_, i) => start(i)));
      const sessions = r1.map((r) => r.json().session as { id: string; mode: string });
      expect(sessions.filter((s) => s.mode === 'full').length).toBe(4);
      await settle();

      // round 2: two seats free up (usage 50%: re-armed), then 6 concurrent starts again
      const full = r1
        .map((r, i) => ({ i, s: r.json().session as { id: string; mode: string } }))
        .filter((x) => x.s.mode === 'full');
      for (const f of full.slice(0, 2))
        await apps[f.i % 2]!.app.inject({
          method: 'POST',
          url: `/api/v1/client/sessions/${f.s.id}/end`,
          headers: auth(code.code),
        });
      await settle();
      await Promise.all(Array.from({ length: 6 }, (_, i) => start(100 + i)));
      await settle();

      const rows = await a.deps.db.kysely
        .selectFrom('alert_log')
        .select(['alert_key', 'episode'])
        .where('organization_id', '=', o.org.id)
        .execute();
      const fired = rows.map((r) => `${r.alert_key}#${r.episode}`).sort();
      // quota: 75/90/95/100 crossed in round 1 and again in round 2; declines held throughout (once).
      // Each crossing is claimed exactly once, by one instance:
      const claims = await a.deps.db.kysely
        .selectFrom('alert_state')
        .select(['alert_key', 'episode'])
        .where('organization_id', '=', o.org.id)
        .execute();
      expect(Object.fromEntries(claims.map((c) => [c.alert_key, Number(c.episode)]))).toEqual({
        [`declines:${item.id}`]: 1,
        ...Object.fromEntries([75, 90, 95, 100].map((p) => [`quota:${item.id}:${p}`, 2])),
      });
      // and logged at most once. An evaluation that finds several thresholds newly crossed sends
      // the highest only; which lower ones an evaluation saw alone depends on the interleaving,
      // but the last one of each round sees every seat taken.
      expect(new Set(fired).size).toBe(fired.length);
      expect(fired).toEqual(
        expect.arrayContaining([`declines:${item.id}#1`, `quota:${item.id}:100#1`, `quota:${item.id}:100#2`]),
      );
      const possible = new Set([
        `declines:${item.id}#1`,
        ...[75, 90, 95, 100].flatMap((p) => [`quota:${item.id}:${p}#1`, `quota:${item.id}:${p}#2`]),
      ]);
      expect(fired.filter((f) => !possible.has(f))).toEqual([]);

      // both instances' workers deliver concurrently: each event arrives exactly once
      const workers = apps.map((x) =>
        startWebhookWorker(x.deps, { autoStart: false, allowPrivateTargets: true, onError: () => {} }),
      );
      for (let i = 0; i < 100 && rx.received.length < fired.length; i++)
        await Promise.all(workers.map((w) => w.runOnce()));
      await Promise.all(workers.map((w) => w.stop()));
      const ids = rx.received.map((r) => (JSON.parse(r.body) as { id: string }).id);
      expect(ids.length).toBe(fired.length);
      expect(new Set(ids).size).toBe(fired.length);
      for (const r of rx.received)
        expect(verify(secret, r.body, String(r.headers['x-licstat-signature']))).toBe(true);

      // both instances' mail workers send concurrently: one message per alert, each claimed once
      const mailers = apps.map((x) => startMailWorker(x.deps, { autoStart: false, onError: () => {} })!);
      const mine = () => sink.mails.filter((m) => m.to.includes(admin.user.email));
      for (let i = 0; i < 100 && mine().length < fired.length; i++)
        await Promise.all(mailers.map((w) => w.runOnce()));
      await Promise.all(mailers.map((w) => w.stop()));
      expect(mine().length).toBe(fired.length);
      const outbox = await listMails(a.deps.db.kysely, o.org.id, 100);
      expect(outbox.map((m) => [m.status, m.attempts])).toEqual(fired.map(() => ['sent', 1]));
    } finally {
      await rx.close();
    }
  }, 60_000);
});
