/**
 * Generated security checks for every portal and vendor route of this area: no login → 401,
 * a role that may not call it → 403, another organization's resource → 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/core/ids.ts';
import { loginAs, newUser } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { type Catalog, DAY, makeCatalog } from './fixtures.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Route {
  method: Method;
  url: string;
  body?: object;
  /** the lowest role allowed */
  who: 'member' | 'admin' | 'vendor';
  /** names a resource of the victim organization: another organization's admin gets 404 */
  owned?: boolean;
}

describe.each(DIALECTS)('route security on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  async function routes(c: Catalog): Promise<Route[]> {
    const db = t.deps.db.kysely;
    const victimUser = await newUser(t, 'member', c.orgId);
    const actId = newId('act');
    await db
      .insertInto('activations')
      .values({
        id: actId,
        organization_id: c.orgId,
        license_item_id: c.items.sul.id,
        activation_code_id: c.codes[0]!.id,
        fingerprint: 'fp',
        hostname: null,
        email: null,
        version: null,
        created_at: t.clock.now() - DAY,
        last_seen_at: t.clock.now(),
        deactivated_at: null,
        deactivated_by: null,
      })
      .execute();
    const order = c.items.sul.order_id;
    const product = c.items.sul.product_id;
    const org = c.orgId;
    const item = c.items.scan.id;
    const code = c.codes[4]!.id;
    const project = c.projectId;
    return [
      { method: 'GET', url: '/usage-statistics', who: 'admin' },
      { method: 'GET', url: '/usage-statistics.csv', who: 'admin' },
      { method: 'GET', url: `/usage-statistics?organizationId=${org}`, who: 'admin', owned: true },
      { method: 'GET', url: `/usage-statistics.csv?organizationId=${org}`, who: 'admin', owned: true },
      {
        method: 'POST',
        url: '/usage-statistics/reset',
        body: { licenseItemId: item },
        who: 'admin',
        owned: true,
      },
      {
        method: 'POST',
        url: '/usage-statistics/reset',
        body: { activationCode: code },
        who: 'admin',
        owned: true,
      },
      { method: 'GET', url: '/sessions', who: 'admin' },
      { method: 'GET', url: `/sessions?view=condensed&organizationId=${org}`, who: 'admin', owned: true },
      { method: 'GET', url: `/sessions.csv?organizationId=${org}`, who: 'admin', owned: true },
      { method: 'GET', url: `/activations?licenseItemId=${c.items.sul.id}`, who: 'admin', owned: true },
      { method: 'DELETE', url: `/activations/${actId}`, who: 'admin', owned: true },
      { method: 'GET', url: '/audit-log', who: 'admin' },
      { method: 'POST', url: '/projects', body: { name: 'x' }, who: 'admin' },
      { method: 'GET', url: '/projects', who: 'admin' },
      { method: 'GET', url: `/projects/${project}`, who: 'admin', owned: true },
      { method: 'PATCH', url: `/projects/${project}`, body: { name: 'y' }, who: 'admin', owned: true },
      { method: 'DELETE', url: `/projects/${project}`, who: 'admin', owned: true },
      {
        method: 'POST',
        url: '/users',
        body: { email: `n${newId('x')}@e.test`, password: 'long enough', role: 'member' },
        who: 'admin',
      },
      { method: 'GET', url: '/users', who: 'admin' },
      { method: 'GET', url: `/users/${victimUser.id}`, who: 'admin', owned: true },
      {
        method: 'PATCH',
        url: `/users/${victimUser.id}`,
        body: { timeZone: 'UTC' },
        who: 'admin',
        owned: true,
      },
      { method: 'DELETE', url: `/users/${victimUser.id}`, who: 'admin', owned: true },
      { method: 'PATCH', url: '/users/me', body: { timeZone: 'UTC' }, who: 'member' },
      { method: 'GET', url: '/auth/me', who: 'member' },
      { method: 'GET', url: '/api-tokens', who: 'member' },
      { method: 'POST', url: '/api-tokens', body: { name: 'n' }, who: 'member' },
      { method: 'GET', url: '/organizations', who: 'member' },
      { method: 'GET', url: `/organizations/${org}`, who: 'member', owned: true },
      { method: 'GET', url: '/products', who: 'member' },
      { method: 'GET', url: '/orders', who: 'member' },
      { method: 'GET', url: `/orders/${order}`, who: 'member', owned: true },
      { method: 'GET', url: '/license-items', who: 'member' },
      { method: 'GET', url: '/activation-codes', who: 'member' },
      { method: 'GET', url: `/activation-codes/${code}`, who: 'member', owned: true },
      { method: 'POST', url: '/organizations', body: { name: 'x' }, who: 'vendor' },
      { method: 'PATCH', url: `/organizations/${org}`, body: { name: 'x' }, who: 'vendor' },
      { method: 'DELETE', url: `/organizations/${org}`, who: 'vendor' },
      { method: 'POST', url: '/products', body: { name: 'x', modules: [] }, who: 'vendor' },
      { method: 'PATCH', url: `/products/${product}`, body: { name: 'x' }, who: 'vendor' },
      { method: 'DELETE', url: `/products/${product}`, who: 'vendor' },
      { method: 'POST', url: '/orders', body: { organizationId: org, kind: 'full' }, who: 'vendor' },
      { method: 'PATCH', url: `/orders/${order}`, body: { kind: 'trial' }, who: 'vendor' },
      { method: 'DELETE', url: `/orders/${order}`, who: 'vendor' },
      { method: 'PATCH', url: `/license-items/${item}`, body: { name: 'x' }, who: 'vendor' },
      { method: 'DELETE', url: `/license-items/${item}`, who: 'vendor' },
      {
        method: 'POST',
        url: '/activation-codes',
        body: { licenseItemId: item, maxActivations: 1 },
        who: 'vendor',
      },
      { method: 'PATCH', url: `/activation-codes/${code}`, body: { maxActivations: 2 }, who: 'vendor' },
      { method: 'DELETE', url: `/activation-codes/${code}`, who: 'vendor' },
    ];
  }

  it('answers 401 without login, 403 to roles below the route, 404 for another organization', async () => {
    const c = await makeCatalog(t);
    const member = await loginAs(t, 'member', c.orgId);
    const admin = await loginAs(t, 'admin', c.orgId);
    const strangerAdmin = await loginAs(t, 'admin');
    const strangerMember = await loginAs(t, 'member', strangerAdmin.user.organization_id);
    const rank = { member: 0, admin: 1, vendor: 2 } as const;
    const call = (r: Route, headers: Record<string, string>) =>
      t.app.inject({
        method: r.method,
        url: `/api/v1${r.url}`,
        headers,
        ...(r.body ? { payload: r.body } : {}),
      });
    for (const r of await routes(c)) {
      const label = `${r.method} ${r.url}`;
      expect((await call(r, {})).statusCode, label).toBe(401);
      if (rank[r.who] > rank.member) expect((await call(r, member.headers)).statusCode, label).toBe(403);
      if (rank[r.who] > rank.admin) expect((await call(r, admin.headers)).statusCode, label).toBe(403);
      if (r.owned) {
        const stranger = r.who === 'member' ? strangerMember : strangerAdmin;
        const res = await call(r, stranger.headers);
        expect(res.statusCode, `${label}: ${res.body}`).toBe(404);
        expect(res.json().error.code).toBe('NOT_FOUND');
      }
    }
  });
});
