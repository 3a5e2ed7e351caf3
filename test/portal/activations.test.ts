import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationListItem, AuditEntry } from '../../src/contract/portal.ts';
import { newId } from '../../src/core/ids.ts';
import { loginAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { type Catalog, DAY, makeCatalog } from './fixtures.ts';

describe.each(DIALECTS)('activations and audit log on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  async function activate(c: Catalog, fp: string, deactivated = false) {
    const id = newId('act');
    const now = t.clock.now();
    await t.deps.db.kysely
      .insertInto('activations')
      .values({
        id,
        organization_id: c.orgId,
        license_item_id: c.items.sul.id,
        activation_code_id: c.codes[1]!.id,
        fingerprint: fp,
        hostname: `host-${fp}`,
        email: `${fp}@example.test`,
        version: '3.2',
        created_at: now - DAY,
        last_seen_at: now - 1000,
        deactivated_at: deactivated ? now - 500 : null,
        deactivated_by: deactivated ? 'client' : null,
      })
      .execute();
    return id;
  }

  it('lists live activations with code prefixes; an admin deactivation frees one and is audited', async () => {
    const c = await makeCatalog(t);
    const a1 = await activate(c, 'm1');
    const a2 = await activate(c, 'm2');
    const gone = await activate(c, 'm3', true);
    const admin = await loginAs(t, 'admin', c.orgId);
    const list = async (extra = '') => {
      const r = await t.app.inject({
        url: `/api/v1/activations?licenseItemId=${c.items.sul.id}${extra}`,
        headers: admin.headers,
      });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().activations as ActivationListItem[];
    };
    const live = await list();
    expect(live.map((a) => a.id).sort()).toEqual([a1, a2].sort());
    for (const a of live) {
      expect(c.codes[1]!.code.startsWith(a.activationCodePrefix)).toBe(true);
      expect(a).toMatchObject({ hostname: `host-${a.fingerprint}`, version: '3.2', deactivatedAt: null });
      expect(JSON.stringify(a)).not.toContain(c.codes[1]!.code);
    }
    expect((await list('&includeDeactivated=true')).map((a) => a.id).sort()).toEqual([a1, a2, gone].sort());

    const del = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/activations/${a1}`,
      headers: admin.headers,
    });
    expect(del.statusCode).toBe(204);
    const row = await t.deps.db.kysely
      .selectFrom('activations')
      .selectAll()
      .where('id', '=', a1)
      .executeTakeFirstOrThrow();
    expect(row.deactivated_at).toBe(t.clock.now());
    expect(row.deactivated_by).toBe('admin');
    expect((await list()).map((a) => a.id)).toEqual([a2]);
    // again: nothing changes
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/activations/${a1}`, headers: admin.headers }))
        .statusCode,
    ).toBe(204);

    const audit = await t.app.inject({ url: '/api/v1/audit-log', headers: admin.headers });
    expect(audit.statusCode).toBe(200);
    const entries = audit.json().entries as AuditEntry[];
    expect(entries.filter((e) => e.action === 'activation.deactivate').map((e) => e.target)).toEqual([a1]);
    expect(entries.every((e) => e.organizationId === c.orgId)).toBe(true);
    const reset = await t.app.inject({
      method: 'POST',
      url: '/api/v1/usage-statistics/reset',
      headers: admin.headers,
      payload: {},
    });
    expect(reset.statusCode).toBe(200);
    const after = (await t.app.inject({ url: '/api/v1/audit-log', headers: admin.headers })).json()
      .entries as AuditEntry[];
    expect(after[0]).toMatchObject({ action: 'stats.reset', userId: admin.user.id });
  });

  it('refuses members, other organizations and anonymous callers', async () => {
    const c = await makeCatalog(t);
    const a = await activate(c, 'x1');
    const member = await loginAs(t, 'member', c.orgId);
    const stranger = await loginAs(t, 'admin');
    const url = `/api/v1/activations?licenseItemId=${c.items.sul.id}`;
    expect((await t.app.inject({ url, headers: member.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url })).statusCode).toBe(401);
    expect((await t.app.inject({ url, headers: stranger.headers })).statusCode).toBe(404);
    const del = (headers: Record<string, string>) =>
      t.app.inject({ method: 'DELETE', url: `/api/v1/activations/${a}`, headers });
    expect((await del(member.headers)).statusCode).toBe(403);
    expect((await del({})).statusCode).toBe(401);
    expect((await del(stranger.headers)).statusCode).toBe(404);
    const row = await t.deps.db.kysely
      .selectFrom('activations')
      .selectAll()
      .where('id', '=', a)
      .executeTakeFirstOrThrow();
    expect(row.deactivated_at).toBeNull();
    expect((await t.app.inject({ url: '/api/v1/audit-log', headers: member.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/v1/audit-log' })).statusCode).toBe(401);
    const foreign = (
      await t.app.inject({ url: `/api/v1/audit-log?organizationId=${c.orgId}`, headers: stranger.headers })
    ).json().entries as AuditEntry[];
    expect(foreign.some((e) => e.organizationId === c.orgId)).toBe(false);
  });
});
