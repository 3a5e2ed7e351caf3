import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientKey } from '../../src/services/client/client-key.ts';
import { renewSession } from '../../src/services/client/renew-session.ts';
import { findLicenseKey } from '../../src/storage/license-key-repository.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { addItem, addProject, auth, DAY, fixture, ledgerOf, newOrg, whileItemLocked } from './fixtures.ts';

describe.each(DIALECTS)('multi-user seats on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  const start = (key: string, fp: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/client/sessions',
      headers: auth(key),
      payload: { fingerprint: fp, email: `${fp}@example.com`, version: '1.0' },
    });

  it('200 concurrent starts on 5 seats: exactly 5 full, 195 declined, in answers and ledger', async () => {
    const f = await fixture(t.deps, { model: 'multi-user', quota: 5 });
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => start(f.code.code, `m${i}`)));
    expect(answers.every((a) => a.statusCode === 201)).toBe(true);
    const bodies = answers.map((a) => a.json());
    expect(bodies.filter((b) => b.session.mode === 'full')).toHaveLength(5);
    const limited = bodies.filter((b) => b.session.mode === 'limited');
    expect(limited).toHaveLength(195);
    expect(limited.every((b) => b.session.reason === 'ALL_SEATS_IN_USE')).toBe(true);
    const ledger = await ledgerOf(t.deps, f.item.id);
    expect(ledger.byKind.checkout?.rows).toBe(5);
    expect(ledger.byKind.full_access?.rows).toBe(5);
    expect(ledger.byKind.declined?.rows).toBe(195);
    expect(ledger.byKind.limited_access?.rows).toBe(195);
    expect(ledger.rows).toBe(400);
  });

  // PostgreSQL only: SQLite has no row locks (one writer runs one transaction at a time).
  it.runIf(dialect.name === 'postgres')(
    'a renewal with time to spare does not queue on the item lock; one near its lease’s end does',
    async () => {
      const f = await fixture(t.deps, { model: 'multi-user', quota: 1, refreshS: 600 });
      const started = (await start(f.code.code, 'holder')).json();
      expect(started.session.mode).toBe('full');
      const renew = () =>
        t.app.inject({
          method: 'POST',
          url: `/api/v1/client/sessions/${started.session.id}/renew`,
          headers: auth(f.code.code),
        });
      // 10 minutes left: answered while the lock is held
      const free = await whileItemLocked(t.deps, f.item.id, renew, 2_000);
      expect(free.value.statusCode).toBe(200);
      expect(free.waited).toBeLessThan(1_500);

      // 10 s left (under the 15 s margin): waits for the lock, then renews
      t.clock.advance(590_000);
      const near = await whileItemLocked(t.deps, f.item.id, renew, 700);
      expect(near.value.statusCode).toBe(200);
      expect(near.waited).toBeGreaterThanOrEqual(600);

      // the renewed seat is still held: a second machine is declined
      const second = (await start(f.code.code, 'other')).json();
      expect(second.session.reason).toBe('ALL_SEATS_IN_USE');
    },
  );

  // PostgreSQL only: two processes sharing one SQLite file is not a supported deployment
  // (SQLite is the single-process embedded default; scale-out is PostgreSQL).
  it.runIf(dialect.name === 'postgres')(
    'two server instances on one database still give exactly 5 seats',
    async () => {
      const other = await createTestApp(dialect.url(), t.clock.now());
      try {
        const f = await fixture(t.deps, { model: 'multi-user', quota: 5 });
        const answers = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            (i % 2 ? other.app : t.app).inject({
              method: 'POST',
              url: '/api/v1/client/sessions',
              headers: auth(f.code.code),
              payload: { fingerprint: `m${i}`, email: 'e@x' },
            }),
          ),
        );
        expect(answers.filter((a) => a.json().session?.mode === 'full')).toHaveLength(5);
        expect(answers.filter((a) => a.json().session?.reason === 'ALL_SEATS_IN_USE')).toHaveLength(95);
        expect((await ledgerOf(t.deps, f.item.id)).byKind.checkout?.rows).toBe(5);
      } finally {
        await other.close();
      }
    },
  );

  it('ending a session frees its seat at once; renewing it afterwards is 410', async () => {
    const f = await fixture(t.deps, { model: 'multi-user', quota: 2 });
    const a = (await start(f.code.code, 'a')).json();
    const b = (await start(f.code.code, 'b')).json();
    expect([a.session.mode, b.session.mode]).toEqual(['full', 'full']);
    expect((await start(f.code.code, 'c')).json().session.mode).toBe('limited');
    const end = await t.app.inject({
      method: 'POST',
      url: `/api/v1/client/sessions/${a.session.id}/end`,
      headers: auth(f.code.code),
    });
    expect(end.statusCode).toBe(200);
    expect(end.json().session.endReason).toBe('closed');
    expect((await start(f.code.code, 'd')).json().session.mode).toBe('full');
    expect((await start(f.code.code, 'e')).json().session.mode).toBe('limited');
    const renew = await t.app.inject({
      method: 'POST',
      url: `/api/v1/client/sessions/${a.session.id}/renew`,
      headers: auth(f.code.code),
    });
    expect(renew.statusCode).toBe(410);
    expect(renew.json().error.code).toBe('LEASE_EXPIRED');
  });

  it('a renewal that read its time before another start gave the seat away is refused, not a second seat', async () => {
    const f = await fixture(t.deps, { model: 'multi-user', quota: 1, refreshS: 600 });
    const a = (await start(f.code.code, 'a')).json();
    const expiry = Date.parse(a.lease.expiresAt);
    // another process, whose clock read later, finds a's lease run out and takes the one seat
    t.clock.set(expiry + 1);
    expect((await start(f.code.code, 'b')).json().session.mode).toBe('full');
    // a's renewal read the time just before the expiry, then waited for the item lock
    const readings = [expiry - 1, expiry + 2];
    const renewalClock = { now: () => readings.shift() ?? expiry + 2 };
    const key = { ...(await findLicenseKey(t.deps.db.kysely, f.code.code))!, raw: f.code.code };
    await expect(
      renewSession(t.deps.db, t.deps.signer, key as ClientKey, a.session.id, renewalClock),
    ).rejects.toMatchObject({ code: 'LEASE_EXPIRED' });
    const held = await t.deps.db.kysely
      .selectFrom('sessions')
      .select('id')
      .where('license_item_id', '=', f.item.id)
      .where('ended_at', 'is', null)
      .where('lease_expires_at', '>', expiry + 2)
      .execute();
    expect(held.length).toBe(1);
  });

  it('a lease left to expire frees its seat; renew after expiry is 410, renew before extends', async () => {
    const f = await fixture(t.deps, { model: 'multi-user', quota: 1, refreshS: 600 });
    const a = (await start(f.code.code, 'a')).json();
    expect(a.session.mode).toBe('full');
    t.clock.advance(500_000);
    const renew = await t.app.inject({
      method: 'POST',
      url: `/api/v1/client/sessions/${a.session.id}/renew`,
      headers: auth(f.code.code),
    });
    expect(renew.statusCode).toBe(200);
    expect(Date.parse(renew.json().lease.expiresAt)).toBe(t.clock.now() + 600_000);
    t.clock.advance(500_000); // still inside the renewed lease
    expect((await start(f.code.code, 'b')).json().session.mode).toBe('limited');
    t.clock.advance(200_000); // the renewed lease has now run out
    const b = (await start(f.code.code, 'b')).json();
    expect(b.session.mode).toBe('full');
    const late = await t.app.inject({
      method: 'POST',
      url: `/api/v1/client/sessions/${a.session.id}/renew`,
      headers: auth(f.code.code),
    });
    expect(late.statusCode).toBe(410);
    expect(late.json().error.code).toBe('LEASE_EXPIRED');
    const row = await t.deps.db.kysely
      .selectFrom('sessions')
      .selectAll()
      .where('id', '=', a.session.id)
      .executeTakeFirstOrThrow();
    expect(row.end_reason).toBe('expired');
  });

  it('renew and end accept an empty JSON body', async () => {
    const f = await fixture(t.deps, { model: 'multi-user', quota: 1 });
    const a = (await start(f.code.code, 'a')).json();
    for (const path of ['renew', 'end']) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/client/sessions/${a.session.id}/${path}`,
        headers: { ...auth(f.code.code), 'content-type': 'application/json' },
        payload: '',
      });
      expect(r.statusCode, path).toBe(200);
    }
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/client/sessions/${a.session.id}/renew`,
      headers: { ...auth(f.code.code), 'content-type': 'application/json' },
      payload: '{nope',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_JSON');
  });

  it("another key's session is not found", async () => {
    const f = await fixture(t.deps, { model: 'multi-user', quota: 1 });
    const g = await fixture(t.deps, { model: 'multi-user', quota: 1 });
    const a = (await start(f.code.code, 'a')).json();
    for (const path of ['renew', 'end']) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/client/sessions/${a.session.id}/${path}`,
        headers: auth(g.code.code),
      });
      expect(r.statusCode).toBe(404);
      expect(r.json().error.code).toBe('SESSION_NOT_FOUND');
    }
  });

  it('single-user, per-device and per-scan starts record their kinds; hardware keys and expired items are refused', async () => {
    const sul = await fixture(t.deps, { model: 'single-user', quota: 1 });
    // limited, and the program is told why: this machine has not activated the license
    expect((await start(sul.code.code, 'x')).json().session).toMatchObject({
      mode: 'limited',
      reason: 'NOT_ACTIVATED',
    });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/client/activations',
      headers: auth(sul.code.code),
      payload: { fingerprint: 'x' },
    });
    expect((await start(sul.code.code, 'x')).json().session.mode).toBe('full');
    const l = await ledgerOf(t.deps, sul.item.id);
    expect(l.byKind.limited_access?.rows).toBe(1);
    expect(l.byKind.full_access?.rows).toBe(1);

    const dev = await fixture(t.deps, { model: 'per-device', quota: 3 });
    expect((await start(dev.code.code, 'd1')).json().session).toMatchObject({
      mode: 'limited',
      reason: 'NOT_ACTIVATED',
    });
    expect((await ledgerOf(t.deps, dev.item.id)).byKind.device_seen?.rows).toBe(1);

    const scan = await fixture(t.deps, { model: 'per-scan', quota: 10 });
    expect((await start(scan.code.code, 's1')).json().session.mode).toBe('full');

    const hwk = await fixture(t.deps, { model: 'hardware-key', quota: 3 });
    const h = await start(hwk.code.code, 'h');
    expect(h.statusCode).toBe(422);
    expect(h.json().error.code).toBe('HARDWARE_KEY_ITEM');

    const old = await fixture(t.deps, {
      model: 'multi-user',
      quota: 3,
      validFrom: t.clock.now() - 400 * 86_400_000,
      validTo: t.clock.now() - 86_400_000,
    });
    const e = await start(old.code.code, 'o');
    expect(e.statusCode).toBe(403);
    expect(e.json().error.code).toBe('LICENSE_EXPIRED');
    expect((await ledgerOf(t.deps, old.item.id)).rows).toBe(0);
  });

  it('a project key takes seats in usage order, then records the decline on the first item', async () => {
    const o = await newOrg(t.deps);
    const now = t.clock.now();
    const later = await addItem(t.deps, o, { model: 'multi-user', quota: 1, validTo: now + 90 * DAY });
    const first = await addItem(t.deps, o, { model: 'multi-user', quota: 1, validTo: now + 30 * DAY });
    const expired = await addItem(t.deps, o, {
      model: 'multi-user',
      quota: 9,
      validFrom: now - 90 * DAY,
      validTo: now - DAY,
    });
    const p = await addProject(t.deps, o.org.id, [later.item.id, first.item.id, expired.item.id]);
    const a = (await start(p.key, 'a')).json();
    const b = (await start(p.key, 'b')).json();
    const c = (await start(p.key, 'c')).json();
    expect([a.session.licenseItemId, a.session.mode]).toEqual([first.item.id, 'full']);
    expect([b.session.licenseItemId, b.session.mode]).toEqual([later.item.id, 'full']);
    expect(c.session).toMatchObject({
      licenseItemId: first.item.id,
      mode: 'limited',
      reason: 'ALL_SEATS_IN_USE',
    });
    expect(a.session.projectId).toBe(p.id);
    expect((await ledgerOf(t.deps, first.item.id)).byKind.declined?.rows).toBe(1);
    expect((await ledgerOf(t.deps, expired.item.id)).rows).toBe(0);

    // The project key owns its sessions; the item's activation code does not.
    const viaCode = await t.app.inject({
      method: 'POST',
      url: `/api/v1/client/sessions/${a.session.id}/end`,
      headers: auth(first.code.code),
    });
    expect(viaCode.statusCode).toBe(404);
    const viaProject = await t.app.inject({
      method: 'POST',
      url: `/api/v1/client/sessions/${a.session.id}/end`,
      headers: auth(p.key),
    });
    expect(viaProject.statusCode).toBe(200);
    expect((await start(p.key, 'd')).json().session).toMatchObject({
      licenseItemId: first.item.id,
      mode: 'full',
    });
  });

  it('the client routes are published in the OpenAPI document', async () => {
    const doc = (await t.app.inject('/api/docs/json')).json();
    for (const path of [
      '/api/v1/client/activations',
      '/api/v1/client/activations/{id}',
      '/api/v1/client/sessions',
      '/api/v1/client/sessions/{id}/renew',
      '/api/v1/client/sessions/{id}/end',
      '/api/v1/client/takes',
      '/api/v1/client/usage',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
  });
});
