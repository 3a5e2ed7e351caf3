import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivationCode } from '../../src/storage/catalog-repository.ts';
import { bearerAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { addItem, addProject, auth, DAY, fixture, newOrg } from './fixtures.ts';

describe.each(DIALECTS)('activations on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  const activate = (key: string, fp: string, extra: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/client/activations',
      headers: auth(key),
      payload: { fingerprint: fp, ...extra },
    });
  const liveCount = async (codeId: string) =>
    Number(
      (
        await t.deps.db.kysely
          .selectFrom('activations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('activation_code_id', '=', codeId)
          .where('deactivated_at', 'is', null)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stop at the code maximum, also under concurrency; the same machine gets its activation back', async () => {
    const f = await fixture(t.deps, { model: 'single-user', quota: 100, maxActivations: 3 });
    const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => activate(f.code.code, `fp${i}`)));
    expect(rs.filter((r) => r.statusCode === 201)).toHaveLength(3);
    const refused = rs.filter((r) => r.statusCode === 409);
    expect(refused).toHaveLength(17);
    expect(refused.every((r) => r.json().error.code === 'ACTIVATIONS_EXHAUSTED')).toBe(true);
    expect(await liveCount(f.code.id)).toBe(3);

    const winner = rs.find((r) => r.statusCode === 201)!.json().activation;
    const again = await activate(f.code.code, winner.fingerprint, { hostname: 'host-2', version: '2.0' });
    expect(again.statusCode).toBe(200);
    expect(again.json().activation).toMatchObject({ id: winner.id, hostname: 'host-2', version: '2.0' });

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/client/activations/${winner.id}`,
      headers: auth(f.code.code),
    });
    expect(del.statusCode).toBe(204);
    expect(await liveCount(f.code.id)).toBe(2);
    expect((await activate(f.code.code, 'newcomer')).statusCode).toBe(201);
  });

  it('single-user items stop at their number of licenses', async () => {
    const f = await fixture(t.deps, { model: 'single-user', quota: 2, maxActivations: 10 });
    expect((await activate(f.code.code, 'a')).statusCode).toBe(201);
    expect((await activate(f.code.code, 'b')).statusCode).toBe(201);
    const c = await activate(f.code.code, 'c');
    expect(c.statusCode).toBe(409);
    expect(c.json().error.code).toBe('ACTIVATIONS_EXHAUSTED');
  });

  it('a machine holds one license of an item whichever of its codes it activates through', async () => {
    const f = await fixture(t.deps, { model: 'single-user', quota: 2, maxActivations: 10 });
    const second = await createActivationCode(t.deps.db.kysely, f.item, 10, t.clock.now());
    const first = await activate(f.code.code, 'same');
    expect(first.statusCode).toBe(201);
    const again = await activate(second.code, 'same');
    expect(again.statusCode).toBe(200);
    expect(again.json().activation.id).toBe(first.json().activation.id);
    // the item's other license is still free for another machine, through either code
    expect((await activate(second.code, 'other')).statusCode).toBe(201);
    // the item is full now: the first machine, asking through the other code, still gets its own
    const full = await activate(second.code, 'same');
    expect([full.statusCode, full.json().activation.id]).toEqual([200, first.json().activation.id]);
    expect((await activate(f.code.code, 'third')).statusCode).toBe(409);
    // and that code's holder may free it
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/client/activations/${first.json().activation.id}`,
      headers: auth(second.code),
    });
    expect(del.statusCode).toBe(204);
    expect(await liveCount(f.code.id)).toBe(0);
  });

  it('per-device: the quota plus grace, then QUOTA_EXCEEDED', async () => {
    const f = await fixture(t.deps, { model: 'per-device', quota: 10, deviceGracePct: 20 });
    const rs = await Promise.all(Array.from({ length: 15 }, (_, i) => activate(f.code.code, `dev${i}`)));
    expect(rs.filter((r) => r.statusCode === 201)).toHaveLength(12);
    expect(rs.filter((r) => r.statusCode === 409).map((r) => r.json().error.code)).toEqual(
      Array(3).fill('QUOTA_EXCEEDED'),
    );
  });

  it('refuses unknown keys (401), expired items (403), hardware keys (422), and other keys’ activations (404)', async () => {
    const missing = await activate('NOPE-NOPE-NOPE', 'a');
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('LICENSE_NOT_FOUND');
    const noHeader = await t.app.inject({
      method: 'POST',
      url: '/api/v1/client/activations',
      payload: { fingerprint: 'a' },
    });
    expect(noHeader.statusCode).toBe(401);

    const old = await fixture(t.deps, {
      model: 'single-user',
      quota: 1,
      validFrom: t.clock.now() - 100 * DAY,
      validTo: t.clock.now() - DAY,
    });
    const expired = await activate(old.code.code, 'a');
    expect(expired.statusCode).toBe(403);
    expect(expired.json().error.code).toBe('LICENSE_EXPIRED');

    const hwk = await fixture(t.deps, { model: 'hardware-key', quota: 1 });
    expect((await activate(hwk.code.code, 'a')).json().error.code).toBe('HARDWARE_KEY_ITEM');

    const f = await fixture(t.deps, { model: 'single-user', quota: 1 });
    const g = await fixture(t.deps, { model: 'single-user', quota: 1 });
    const act = (await activate(f.code.code, 'a')).json().activation;
    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/client/activations/${act.id}`,
      headers: auth(g.code.code),
    });
    expect(del.statusCode).toBe(404);
    expect(await liveCount(f.code.id)).toBe(1);
  });

  it('a project key activates on the first item in usage order that has room', async () => {
    const o = await newOrg(t.deps);
    const now = t.clock.now();
    const late = await addItem(t.deps, o, { model: 'single-user', quota: 5, validTo: now + 300 * DAY });
    const soon = await addItem(t.deps, o, { model: 'single-user', quota: 1, validTo: now + 10 * DAY });
    const scan = await addItem(t.deps, o, { model: 'per-scan', quota: 5, validTo: now + DAY });
    const p = await addProject(t.deps, o.org.id, [late.item.id, soon.item.id, scan.item.id]);
    const a = (await activate(p.key, 'a')).json().activation;
    expect(a.licenseItemId).toBe(soon.item.id);
    const b = (await activate(p.key, 'b')).json().activation;
    expect(b.licenseItemId).toBe(late.item.id);
    const again = await activate(p.key, 'a');
    expect(again.statusCode).toBe(200);
    expect(again.json().activation.id).toBe(a.id);
  });

  it('the usage order the portal shows is the order a project key applies (device grace counted alike)', async () => {
    const o = await newOrg(t.deps);
    const validTo = t.clock.now() + 200 * DAY;
    // same expiry: ranked by devices left. A: 10 − 5 live = 5; B: 4 + 100 % grace − 0 = 8
    const a = await addItem(t.deps, o, { model: 'per-device', quota: 10, validTo });
    const b = await addItem(t.deps, o, { model: 'per-device', quota: 4, deviceGracePct: 100, validTo });
    for (const fp of ['d1', 'd2', 'd3', 'd4', 'd5'])
      expect((await activate(a.code.code, fp)).statusCode).toBe(201);
    const p = await addProject(t.deps, o.org.id, [a.item.id, b.item.id]);
    const admin = await bearerAs(t, 'admin', o.org.id);
    const shown = (await t.app.inject({ url: `/api/v1/projects/${p.id}`, headers: admin.headers })).json()
      .project.usageOrder;
    expect(shown).toEqual([b.item.id, a.item.id]);
    const landed = (await activate(p.key, 'new-device')).json().activation.licenseItemId;
    expect(landed).toBe(shown[0]);
  });
});
