/**
 * A machine that loses its license (its activation deactivated by the client or an admin, or its
 * license taken by another machine) loses the full access it gave: its open full session ends as
 * `revoked` and cannot be renewed. Sessions that do not rest on the activation (a multi-user seat,
 * another machine's limited session) go on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { auth, fixture } from './fixtures.ts';

describe.each(DIALECTS)('revoked sessions on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  const post = (key: string, url: string, payload?: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/client${url}`, headers: auth(key), payload: payload ?? {} });
  const activate = async (key: string, fp: string) => {
    const r = await post(key, '/activations', { fingerprint: fp });
    expect(r.statusCode, r.body).toBeLessThan(300);
    return r.json().activation.id as string;
  };
  const start = async (key: string, fp: string) => {
    const r = await post(key, '/sessions', { fingerprint: fp, email: `${fp}@example.com` });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().session as { id: string; mode: string };
  };
  const renew = (key: string, id: string) => post(key, `/sessions/${id}/renew`);
  // read from the table: session history leaves out users whose activation was deactivated (SPEC §4.4)
  const endOf = async (sessionId: string) =>
    t.deps.db.kysely
      .selectFrom('sessions')
      .select(['ended_at', 'end_reason'])
      .where('id', '=', sessionId)
      .executeTakeFirstOrThrow();

  it('a client deactivation ends the machine’s full session; another machine’s limited session goes on', async () => {
    const f = await fixture(t.deps, { model: 'single-user', quota: 1 });
    const key = f.code.code;
    const activation = await activate(key, 'a');
    const full = await start(key, 'a');
    const limited = await start(key, 'b');
    expect([full.mode, limited.mode]).toEqual(['full', 'limited']);
    expect((await renew(key, full.id)).statusCode).toBe(200);

    t.clock.advance(60_000);
    const gone = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/client/activations/${activation}`,
      headers: auth(key),
    });
    expect(gone.statusCode).toBe(204);
    const refused = await renew(key, full.id);
    expect(refused.statusCode).toBe(410);
    expect(refused.json().error).toMatchObject({ code: 'LEASE_EXPIRED' });
    expect(refused.json().error.message).toContain('deactivated or its license taken');
    expect((await renew(key, limited.id)).statusCode).toBe(200);

    const ended = await post(key, `/sessions/${full.id}/end`);
    expect(ended.json().session).toMatchObject({
      endReason: 'revoked',
      endedAt: new Date(t.clock.now()).toISOString(),
    });
    expect(await endOf(full.id)).toEqual({ ended_at: t.clock.now(), end_reason: 'revoked' });
    expect(await endOf(limited.id)).toEqual({ ended_at: null, end_reason: null });
    // the freed license serves the next machine in full
    await activate(key, 'b');
    expect((await start(key, 'b')).mode).toBe('full');
  });

  it('a take ends the full session of the machine it moved the license from', async () => {
    const f = await fixture(t.deps, {
      model: 'single-user',
      quota: 1,
      takesPerPeriod: 4,
      takePeriodDays: 30,
    });
    const key = f.code.code;
    await activate(key, 'holder');
    const held = await start(key, 'holder');
    t.clock.advance(60_000);
    const taken = await post(key, '/takes', { fingerprint: 'taker', email: 'taker@example.com' });
    expect(taken.json()).toMatchObject({ moved: true });
    expect((await renew(key, held.id)).statusCode).toBe(410);
    expect(await endOf(held.id)).toEqual({ ended_at: t.clock.now(), end_reason: 'revoked' });
    expect((await start(key, 'taker')).mode).toBe('full');
  });

  it('an admin deactivating a device ends its full session', async () => {
    const f = await fixture(t.deps, { model: 'per-device', quota: 2 });
    const key = f.code.code;
    const activation = await activate(key, 'dev-1');
    const other = await activate(key, 'dev-2');
    const s1 = await start(key, 'dev-1');
    const s2 = await start(key, 'dev-2');
    const admin = await bearerAs(t, 'admin', f.org.id);
    const r = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/activations/${activation}`,
      headers: admin.headers,
    });
    expect(r.statusCode).toBe(204);
    expect((await renew(key, s1.id)).statusCode).toBe(410);
    expect((await renew(key, s2.id)).statusCode).toBe(200);
    // only the deactivated device left the list of active activations
    const listed = await t.app.inject({
      url: `/api/v1/activations?licenseItemId=${f.item.id}`,
      headers: admin.headers,
    });
    expect(listed.json().activations.map((a: { id: string }) => a.id)).toEqual([other]);
  });

  it('a multi-user seat does not rest on the machine’s activation', async () => {
    const f = await fixture(t.deps, { model: 'multi-user', quota: 2 });
    const key = f.code.code;
    const activation = await activate(key, 'm');
    const s = await start(key, 'm');
    expect(s.mode).toBe('full');
    const linked = await t.deps.db.kysely
      .selectFrom('sessions')
      .select('activation_id')
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(linked.activation_id).toBe(activation); // linked, so the model is what spares it
    await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/client/activations/${activation}`,
      headers: auth(key),
    });
    expect((await renew(key, s.id)).statusCode).toBe(200);
    expect(await endOf(s.id)).toEqual({ ended_at: null, end_reason: null });
  });
});
