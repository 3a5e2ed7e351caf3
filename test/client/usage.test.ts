import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import {
  addItem,
  addProject,
  auth,
  DAY,
  fixture,
  ledgerOf,
  newOrg,
  orgLedgerRows,
  suffix,
  whileItemLocked,
} from './fixtures.ts';

describe.each(DIALECTS)('usage reports on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  const iso = (ms: number) => new Date(ms).toISOString();
  const report = (key: string, body: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: '/api/v1/client/usage', headers: auth(key), payload: body });
  const scans = (...items: [number, number][]) =>
    items.map(([count, at]) => ({ kind: 'scan', count, at: iso(at) }));

  it('a batch sent twice counts once; the same id with another body conflicts', async () => {
    const f = await fixture(t.deps, { model: 'per-scan', quota: 1000 });
    const now = t.clock.now();
    const body = {
      batchId: `b-${suffix()}`,
      fingerprint: 'dev1',
      events: scans([30, now - 1000], [12, now]),
    };
    const first = await report(f.code.code, body);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ accepted: 2, duplicate: false, remaining: 958 });
    // the same body with keys in another order is the same batch
    const retry = await report(f.code.code, {
      events: body.events,
      fingerprint: 'dev1',
      batchId: body.batchId,
    });
    expect(retry.statusCode).toBe(202);
    expect(retry.json()).toEqual({ accepted: 0, duplicate: true, remaining: 958 });
    const l = await ledgerOf(t.deps, f.item.id);
    expect(l.byKind.scan).toEqual({ rows: 2, sum: 42 });

    const conflict = await report(f.code.code, { ...body, events: scans([99, now]) });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('BATCH_CONFLICT');
    expect((await ledgerOf(t.deps, f.item.id)).rows).toBe(2);
  });

  it('concurrent copies of one batch count once', async () => {
    const f = await fixture(t.deps, { model: 'per-scan', quota: 1000 });
    const body = { batchId: `b-${suffix()}`, fingerprint: 'dev1', events: scans([5, t.clock.now()]) };
    const rs = await Promise.all(Array.from({ length: 8 }, () => report(f.code.code, body)));
    expect(rs.every((r) => r.statusCode === 202)).toBe(true);
    expect(rs.filter((r) => r.json().duplicate === false)).toHaveLength(1);
    expect((await ledgerOf(t.deps, f.item.id)).byKind.scan).toEqual({ rows: 1, sum: 5 });
  });

  it('concurrent batches and copies of them: each batch counts once, every copy is answered', async () => {
    const f = await fixture(t.deps, { model: 'per-scan', quota: 1_000_000 });
    const now = t.clock.now();
    const bodies = Array.from({ length: 20 }, (_, i) => ({
      batchId: `b-${suffix()}-${i}`,
      fingerprint: `dev${i % 4}`,
      events: scans([i + 1, now - i * 1000], [2, now]),
    }));
    // three copies of each, interleaved, all at once
    const sent = [...bodies, ...bodies, ...bodies];
    const rs = await Promise.all(sent.map((b) => report(f.code.code, b)));
    expect(rs.map((r) => r.statusCode)).toEqual(sent.map(() => 202));
    expect(rs.filter((r) => r.json().duplicate === false)).toHaveLength(20);
    const total = bodies.reduce((a, b) => a + b.events.reduce((x, e) => x + e.count, 0), 0);
    expect((await ledgerOf(t.deps, f.item.id)).byKind.scan).toEqual({ rows: 40, sum: total });
  });

  // PostgreSQL only: SQLite has no row locks (one writer runs one transaction at a time).
  it.runIf(dialect.name === 'postgres')(
    'a report through an activation code does not queue on the item’s row lock',
    async () => {
      const f = await fixture(t.deps, { model: 'per-scan', quota: 1000 });
      const body = { batchId: `b-${suffix()}`, fingerprint: 'dev1', events: scans([7, t.clock.now()]) };
      const r = await whileItemLocked(t.deps, f.item.id, () => report(f.code.code, body), 2_000);
      expect(r.value.statusCode).toBe(202);
      expect(r.value.json()).toEqual({ accepted: 1, duplicate: false, remaining: 993 });
      expect(r.waited).toBeLessThan(1_500);
    },
  );

  it('late events keep their own time; over-quota scans are recorded and remaining stays at 0', async () => {
    const now = t.clock.now();
    const f = await fixture(t.deps, { model: 'per-scan', quota: 100, validFrom: now - 60 * DAY });
    const threeDaysAgo = now - 3 * DAY - 12_345;
    const r = await report(f.code.code, {
      batchId: `b-${suffix()}`,
      fingerprint: 'dev1',
      events: scans([80, threeDaysAgo], [70, now + 60_000]),
    });
    expect(r.json()).toEqual({ accepted: 2, duplicate: false, remaining: 0 });
    const rows = await t.deps.db.kysely
      .selectFrom('usage_events')
      .select(['at', 'count', 'received_at'])
      .where('license_item_id', '=', f.item.id)
      .orderBy('at')
      .execute();
    expect(rows.map((x) => [Number(x.at), Number(x.count), Number(x.received_at)])).toEqual([
      [threeDaysAgo, 80, now],
      [now + 60_000, 70, now],
    ]);
  });

  it('an event outside the validity or too far ahead refuses the whole batch', async () => {
    const now = t.clock.now();
    const f = await fixture(t.deps, { model: 'per-scan', quota: 100, validFrom: now - 10 * DAY });
    for (const bad of [now - 11 * DAY, now + 6 * 60_000]) {
      const r = await report(f.code.code, {
        batchId: `b-${suffix()}`,
        fingerprint: 'dev1',
        events: scans([1, now], [2, bad]),
      });
      expect(r.statusCode).toBe(422);
      expect(r.json().error.code).toBe('EVENT_TIME_OUT_OF_RANGE');
    }
    expect(await orgLedgerRows(t.deps, f.org.id)).toBe(0);
    const batches = await t.deps.db.kysely
      .selectFrom('usage_batches')
      .select('id')
      .where('organization_id', '=', f.org.id)
      .execute();
    expect(batches).toHaveLength(0);
  });

  it('per-device reports record the device as seen', async () => {
    const f = await fixture(t.deps, { model: 'per-device', quota: 5 });
    const now = t.clock.now();
    await report(f.code.code, {
      batchId: `b-${suffix()}`,
      fingerprint: 'cam-7',
      events: scans([3, now], [4, now]),
    });
    const seen = await t.deps.db.kysely
      .selectFrom('usage_events')
      .select('fingerprint')
      .where('license_item_id', '=', f.item.id)
      .where('kind', '=', 'device_seen')
      .execute();
    expect(seen.map((s) => s.fingerprint)).toEqual(['cam-7']);
  });

  it('a project key records the reporting device as seen on the project’s per-device item', async () => {
    const o = await newOrg(t.deps);
    const now = t.clock.now();
    const cams = await addItem(t.deps, o, { model: 'per-device', quota: 5, validTo: now + 90 * DAY });
    const spare = await addItem(t.deps, o, { model: 'per-device', quota: 5, validTo: now + 30 * DAY });
    const activated = await t.app.inject({
      method: 'POST',
      url: '/api/v1/client/activations',
      headers: auth(cams.code.code),
      payload: { fingerprint: 'cam-1' },
    });
    expect(activated.statusCode).toBe(201);
    const devicesOnly = await addProject(t.deps, o.org.id, [cams.item.id, spare.item.id]);
    const seenOn = async (item: string) =>
      (
        await t.deps.db.kysely
          .selectFrom('usage_events')
          .select(['fingerprint', 'project_id', 'activation_id'])
          .where('license_item_id', '=', item)
          .where('kind', '=', 'device_seen')
          .execute()
      ).map((e) => [e.fingerprint, e.project_id, e.activation_id]);

    // activated on the later-expiring item: seen there, with its scans, not on the first in order
    const r = await report(devicesOnly.key, {
      batchId: `b-${suffix()}`,
      fingerprint: 'cam-1',
      events: scans([2, now], [3, now]), // one quarter hour: one device_seen
    });
    expect([r.statusCode, r.json()]).toEqual([202, { accepted: 2, duplicate: false, remaining: 4 }]);
    const activationId = activated.json().activation.id;
    expect(await seenOn(cams.item.id)).toEqual([['cam-1', devicesOnly.id, activationId]]);
    expect((await ledgerOf(t.deps, cams.item.id)).byKind.scan?.sum).toBe(5);
    // not activated anywhere: the first per-device item in usage order (expires first)
    await report(devicesOnly.key, {
      batchId: `b-${suffix()}`,
      fingerprint: 'cam-2',
      events: scans([1, now]),
    });
    expect(await seenOn(spare.item.id)).toEqual([['cam-2', devicesOnly.id, null]]);

    // beside a per-scan item, the scans go there and the device is still seen
    const meter = await addItem(t.deps, o, { model: 'per-scan', quota: 100, validTo: now + 60 * DAY });
    const mixed = await addProject(t.deps, o.org.id, [meter.item.id, cams.item.id]);
    const m = await report(mixed.key, {
      batchId: `b-${suffix()}`,
      fingerprint: 'cam-1',
      events: scans([7, now]),
    });
    expect(m.json()).toEqual({ accepted: 1, duplicate: false, remaining: 93 });
    expect((await ledgerOf(t.deps, meter.item.id)).byKind.scan?.sum).toBe(7);
    expect((await ledgerOf(t.deps, cams.item.id)).byKind.scan?.sum).toBe(5);
    expect(await seenOn(cams.item.id)).toContainEqual(['cam-1', mixed.id, activationId]);
  });

  it('a project key splits 150 scans: 100 to the item expiring first, 50 to the next', async () => {
    const o = await newOrg(t.deps);
    const now = t.clock.now();
    const big = await addItem(t.deps, o, { model: 'per-scan', quota: 1000, validTo: now + 200 * DAY });
    const soon = await addItem(t.deps, o, { model: 'per-scan', quota: 100, validTo: now + 20 * DAY });
    const seat = await addItem(t.deps, o, { model: 'multi-user', quota: 3, validTo: now + 5 * DAY });
    const p = await addProject(t.deps, o.org.id, [big.item.id, soon.item.id, seat.item.id]);
    const r = await report(p.key, {
      batchId: `b-${suffix()}`,
      fingerprint: 'dev',
      events: scans([150, now]),
    });
    expect(r.statusCode).toBe(202);
    expect(r.json()).toEqual({ accepted: 1, duplicate: false, remaining: 950 });
    expect((await ledgerOf(t.deps, soon.item.id)).byKind.scan?.sum).toBe(100);
    expect((await ledgerOf(t.deps, big.item.id)).byKind.scan?.sum).toBe(50);
    expect((await ledgerOf(t.deps, seat.item.id)).rows).toBe(0);
    const projects = await t.deps.db.kysely
      .selectFrom('usage_events')
      .select('project_id')
      .distinct()
      .where('organization_id', '=', o.org.id)
      .execute();
    expect(projects.map((x) => x.project_id)).toEqual([p.id]);

    // Everything used up: the rest is overage on the last item, never dropped.
    const over = await report(p.key, {
      batchId: `b-${suffix()}`,
      fingerprint: 'dev',
      events: scans([1000, now]),
    });
    expect(over.json().remaining).toBe(0);
    expect((await ledgerOf(t.deps, soon.item.id)).byKind.scan?.sum).toBe(100);
    expect((await ledgerOf(t.deps, big.item.id)).byKind.scan?.sum).toBe(1050);
  });

  it("a project's custom usage order wins; an expired item is skipped", async () => {
    const o = await newOrg(t.deps);
    const now = t.clock.now();
    const a = await addItem(t.deps, o, { model: 'per-scan', quota: 10, validTo: now + 10 * DAY });
    const b = await addItem(t.deps, o, { model: 'per-scan', quota: 10, validTo: now + 50 * DAY });
    const gone = await addItem(t.deps, o, {
      model: 'per-scan',
      quota: 1000,
      validFrom: now - 90 * DAY,
      validTo: now - DAY,
    });
    const p = await addProject(t.deps, o.org.id, [a.item.id, b.item.id, gone.item.id]);
    await t.deps.db.kysely
      .updateTable('projects')
      .set({ usage_order: JSON.stringify([gone.item.id, b.item.id, a.item.id]) })
      .where('id', '=', p.id)
      .execute();
    const r = await report(p.key, { batchId: `b-${suffix()}`, fingerprint: 'd', events: scans([15, now]) });
    expect(r.json()).toEqual({ accepted: 1, duplicate: false, remaining: 5 });
    expect((await ledgerOf(t.deps, b.item.id)).byKind.scan?.sum).toBe(10);
    expect((await ledgerOf(t.deps, a.item.id)).byKind.scan?.sum).toBe(5);
    expect((await ledgerOf(t.deps, gone.item.id)).rows).toBe(0);
    // A late event from inside the expired item's validity goes to it, first in the custom order.
    const late = await report(p.key, {
      batchId: `b-${suffix()}`,
      fingerprint: 'd',
      events: scans([7, now - 30 * DAY]),
    });
    expect(late.statusCode).toBe(202);
    expect((await ledgerOf(t.deps, gone.item.id)).byKind.scan?.sum).toBe(7);
  });

  it('an activation code attributes usage to a named, configured project only', async () => {
    const o = await newOrg(t.deps);
    const { item, code } = await addItem(t.deps, o, { model: 'per-scan', quota: 1000 });
    const other = await addItem(t.deps, o, { model: 'per-scan', quota: 1000 });
    const p1 = await addProject(t.deps, o.org.id, [item.id]);
    const p2 = await addProject(t.deps, o.org.id, [item.id]);
    const p3 = await addProject(t.deps, o.org.id, [other.item.id]);
    const now = t.clock.now();
    const send = (project?: string) =>
      report(code.code, {
        batchId: `b-${suffix()}`,
        fingerprint: 'd',
        ...(project ? { project } : {}),
        events: scans([1, now]),
      });
    expect((await send(p2.key)).statusCode).toBe(202);
    expect((await send()).statusCode).toBe(202); // two projects: unassigned
    const unknown = await send('NO-SUCH-PROJECT');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('PROJECT_NOT_FOUND');
    const notConfigured = await send(p3.key);
    expect(notConfigured.statusCode).toBe(422);
    expect(notConfigured.json().error.code).toBe('PROJECT_NOT_CONFIGURED');
    const rows = await t.deps.db.kysely
      .selectFrom('usage_events')
      .select('project_id')
      .where('license_item_id', '=', item.id)
      .orderBy('id')
      .execute();
    expect(rows.map((x) => x.project_id)).toEqual([p2.id, null]);
    expect(p1.id).not.toBe(p2.id);
  });
});
