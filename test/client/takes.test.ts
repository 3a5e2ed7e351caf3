import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { addProject, auth, DAY, fixture, ledgerOf } from './fixtures.ts';

describe.each(DIALECTS)('takes on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  const take = (key: string, fp: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/client/takes',
      headers: auth(key),
      payload: { fingerprint: fp, email: `${fp}@example.com` },
    });

  it('a take counts every take committed before it, also one stamped later by another process’s clock', async () => {
    const f = await fixture(t.deps, {
      model: 'single-user',
      quota: 1,
      takesPerPeriod: 1,
      takePeriodDays: 30,
    });
    expect((await take(f.code.code, 'a')).json()).toMatchObject({ moved: false });
    const before = t.clock.now();
    t.clock.set(before + 10_000);
    expect((await take(f.code.code, 'b')).json()).toMatchObject({ moved: true, takesLeft: 0 });
    // this process read its clock 10 s earlier and got the item lock after b's take committed
    t.clock.set(before);
    const late = await take(f.code.code, 'a');
    expect([late.statusCode, late.json().error?.code]).toEqual([409, 'TAKE_DENIED']);
    t.clock.set(before + 20_000);
  });

  it('moves the license until the period’s takes are used up, then records take_denied', async () => {
    const f = await fixture(t.deps, {
      model: 'single-user',
      quota: 1,
      takesPerPeriod: 3,
      takePeriodDays: 30,
    });
    const first = await take(f.code.code, 'a'); // a free license: no take needed
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ moved: false, takesLeft: 3 });

    const outcomes: number[] = [];
    for (const fp of ['b', 'a', 'b', 'a', 'a']) {
      t.clock.advance(60_000);
      outcomes.push((await take(f.code.code, fp)).statusCode);
    }
    expect(outcomes).toEqual([200, 200, 200, 409, 409]);
    const denied = await take(f.code.code, 'a');
    expect(denied.json().error.code).toBe('TAKE_DENIED');

    const live = await t.deps.db.kysely
      .selectFrom('activations')
      .select('fingerprint')
      .where('license_item_id', '=', f.item.id)
      .where('deactivated_at', 'is', null)
      .execute();
    expect(live.map((r) => r.fingerprint)).toEqual(['b']); // the third take moved it to b

    const l = await ledgerOf(t.deps, f.item.id);
    expect(l.byKind.take?.rows).toBe(3);
    expect(l.byKind.take_denied?.rows).toBe(3);

    // The window rolls: 30 days after the first take it is allowed again.
    t.clock.advance(30 * DAY);
    const later = await take(f.code.code, 'a');
    expect(later.statusCode).toBe(200);
    expect(later.json().moved).toBe(true);
  });

  it('concurrent takes never exceed the allowance', async () => {
    const f = await fixture(t.deps, { model: 'single-user', quota: 1, takesPerPeriod: 2, takePeriodDays: 7 });
    expect((await take(f.code.code, 'holder')).statusCode).toBe(200);
    const rs = await Promise.all(Array.from({ length: 12 }, (_, i) => take(f.code.code, `c${i}`)));
    expect(rs.filter((r) => r.statusCode === 200)).toHaveLength(2);
    expect(rs.filter((r) => r.statusCode === 409)).toHaveLength(10);
    const l = await ledgerOf(t.deps, f.item.id);
    expect(l.byKind.take?.rows).toBe(2);
    expect(l.byKind.take_denied?.rows).toBe(10);
  });

  it('a project key’s takes and denials count in its "Project key" usage row', async () => {
    const f = await fixture(t.deps, {
      model: 'single-user',
      quota: 1,
      takesPerPeriod: 1,
      takePeriodDays: 30,
    });
    const p = await addProject(t.deps, f.org.id, [f.item.id]);
    expect((await take(f.code.code, 'holder')).statusCode).toBe(200);
    expect((await take(p.key, 'k2')).json()).toMatchObject({ moved: true });
    expect((await take(p.key, 'k3')).statusCode).toBe(409);
    const admin = await bearerAs(t, 'admin', f.org.id);
    const rows = (await t.app.inject({ url: '/api/v1/usage-statistics', headers: admin.headers })).json()
      .rows as { source: string; takes: number; takeDenied: number }[];
    const bySource = Object.fromEntries(rows.map((r) => [r.source, [r.takes, r.takeDenied]]));
    expect(bySource).toEqual({ 'activation-code': [0, 0], 'project-key': [1, 1] });
  });

  it('takes apply to single-user items only', async () => {
    const f = await fixture(t.deps, { model: 'multi-user', quota: 1 });
    const r = await take(f.code.code, 'a');
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe('MODEL_MISMATCH');
  });
});
