/** The use cases run without HTTP and with explicit times, as the CLI's simulate/demo seeder calls them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activate,
  endSession,
  reportUsage,
  resolveClientKey,
  startSession,
  take,
} from '../../src/services/client/index.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { addItem, addProject, auth, DAY, fixture, ledgerOf, newOrg, suffix } from './fixtures.ts';

describe.each(DIALECTS)('client use cases on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  it('write history at past times through the domain layer', async () => {
    const now = t.clock.now();
    const f = await fixture(t.deps, { model: 'multi-user', quota: 1, validFrom: now - 100 * DAY });
    const key = await resolveClientKey(t.deps.db.kysely, f.code.code);
    const past = now - 10 * DAY;
    const a = await startSession(t.deps.db, t.deps.signer, key, { fingerprint: 'a', email: 'a@x' }, past);
    const b = await startSession(
      t.deps.db,
      t.deps.signer,
      key,
      { fingerprint: 'b', email: 'b@x' },
      past + 1000,
    );
    expect([a.session.mode, b.session.mode]).toEqual(['full', 'limited']);
    await endSession(t.deps.db, key, a.session.id, past + 3_600_000);
    const c = await startSession(
      t.deps.db,
      t.deps.signer,
      key,
      { fingerprint: 'c', email: 'c@x' },
      past + 3_600_001,
    );
    expect(c.session.mode).toBe('full');
    const rows = await t.deps.db.kysely
      .selectFrom('usage_events')
      .select(['kind', 'at'])
      .where('license_item_id', '=', f.item.id)
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.kind, Number(r.at) - past])).toEqual([
      ['checkout', 0],
      ['full_access', 0],
      ['declined', 1000],
      ['limited_access', 1000],
      ['checkout', 3_600_001],
      ['full_access', 3_600_001],
    ]);
  });

  it('a project key takes on its single-user items and reports per-device usage through a code', async () => {
    const o = await newOrg(t.deps);
    const now = t.clock.now();
    const sul = await addItem(t.deps, o, {
      model: 'single-user',
      quota: 1,
      takesPerPeriod: 1,
      takePeriodDays: 30,
    });
    const p = await addProject(t.deps, o.org.id, [sul.item.id]);
    const key = await resolveClientKey(t.deps.db.kysely, p.key);
    const first = await take(t.deps.db, key, { fingerprint: 'a', email: 'a@x' }, now);
    expect(first).toMatchObject({ moved: false });
    const moved = await take(t.deps.db, key, { fingerprint: 'b', email: 'b@x' }, now + 1);
    expect(moved).toMatchObject({ moved: true, takesLeft: 0 });
    await expect(take(t.deps.db, key, { fingerprint: 'a', email: 'a@x' }, now + 2)).rejects.toMatchObject({
      code: 'TAKE_DENIED',
    });
    const l = await ledgerOf(t.deps, sul.item.id);
    expect([l.byKind.take?.rows, l.byKind.take_denied?.rows]).toEqual([1, 1]);
    const events = await t.deps.db.kysely
      .selectFrom('usage_events')
      .select('project_id')
      .where('license_item_id', '=', sul.item.id)
      .execute();
    expect(events.every((e) => e.project_id === p.id)).toBe(true);

    const dev = await fixture(t.deps, { model: 'per-device', quota: 3 });
    const devKey = await resolveClientKey(t.deps.db.kysely, dev.code.code);
    await activate(t.deps.db, devKey, { fingerprint: 'cam-1' }, now);
    const answer = await reportUsage(
      t.deps.db,
      devKey,
      {
        batchId: `b-${suffix()}`,
        fingerprint: 'cam-1',
        events: [{ kind: 'scan', count: 4, at: new Date(now).toISOString() }],
      },
      now,
    );
    expect(answer).toEqual({ accepted: 1, duplicate: false, remaining: 2 });
    // The HTTP route agrees with the direct call on ownership: the activation belongs to the code.
    const list = await t.app.inject({
      method: 'POST',
      url: '/api/v1/client/activations',
      headers: auth(dev.code.code),
      payload: { fingerprint: 'cam-1' },
    });
    expect(list.statusCode).toBe(200);
  });
});
