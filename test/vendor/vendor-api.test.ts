import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/storage/api-token-repository.ts';
import { bearerAs, loginAs, loginUser, newOrg, newUser, TEST_PASSWORD, uniq } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

type Headers = Record<string, string>;

describe.each(DIALECTS)('vendor API on $name', (dialect) => {
  let t: TestApp;
  let vendor: Headers;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
    vendor = (await loginAs(t, 'vendor')).headers;
  });
  afterAll(async () => t.close());

  const call = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Headers,
    payload?: object,
  ) => t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload ? { payload } : {}) });

  const itemBody = (orderId: string, productId: string, extra: object = {}) => ({
    orderId,
    productId,
    name: 'Barcode SDK',
    version: '2026.x',
    deployment: 'device',
    model: 'per-scan',
    quota: 1000,
    refreshInterval: '1d',
    validFrom: '2026-01-01T00:00:00Z',
    validTo: '2027-01-01T00:00:00Z',
    modules: ['1D'],
    ...extra,
  });

  async function catalog() {
    const org = (await call('POST', '/organizations', vendor, { name: `Acme ${uniq()}` })).json()
      .organization;
    const product = (
      await call('POST', '/products', vendor, { name: `Reader ${uniq()}`, modules: ['1D', '2D'] })
    ).json().product;
    const order = (await call('POST', '/orders', vendor, { organizationId: org.id, kind: 'full' })).json()
      .order;
    return { org, product, order };
  }

  it('every POST answers 201 with the resource under its singular name', async () => {
    const org = await call('POST', '/organizations', vendor, { name: `Acme ${uniq()}` });
    expect(org.statusCode).toBe(201);
    const orgId = org.json().organization.id;
    const user = await call('POST', '/users', vendor, {
      organizationId: orgId,
      email: `a-${uniq()}@example.test`,
      password: 'long enough pw',
      role: 'admin',
      timeZone: 'Europe/Berlin',
    });
    expect(user.statusCode).toBe(201);
    expect(user.json().user).toMatchObject({
      organizationId: orgId,
      role: 'admin',
      timeZone: 'Europe/Berlin',
    });
    expect(user.json().user.password).toBeUndefined();
    const product = await call('POST', '/products', vendor, { name: 'Reader', modules: ['1D', '2D'] });
    expect(product.statusCode).toBe(201);
    const productId = product.json().product.id;
    const order = await call('POST', '/orders', vendor, { organizationId: orgId, kind: 'trial' });
    expect(order.statusCode).toBe(201);
    const orderId = order.json().order.id;
    expect(orderId).toMatch(/^ORD-\d{5,}$/);
    const item = await call('POST', '/license-items', vendor, itemBody(orderId, productId));
    expect(item.statusCode).toBe(201);
    const li = item.json().licenseItem;
    expect(li).toMatchObject({
      organizationId: orgId,
      orderId,
      productId,
      productName: 'Reader',
      model: 'per-scan',
      quota: 1000,
      refreshInterval: '1d',
      validFrom: '2026-01-01T00:00:00.000Z',
      validTo: '2027-01-01T00:00:00.000Z',
      modules: ['1D'],
    });
    expect(li.id).toMatch(/^LI-\d{5,}$/);
    const code = await call('POST', '/activation-codes', vendor, { licenseItemId: li.id, maxActivations: 3 });
    expect(code.statusCode).toBe(201);
    const ac = code.json().activationCode;
    expect(ac.code.startsWith(ac.prefix)).toBe(true);
    expect(ac.prefix.length).toBeGreaterThanOrEqual(4);
    const project = await call('POST', '/projects', vendor, {
      organizationId: orgId,
      name: 'Warehouse',
      key: `pk-${uniq()}`,
      licenseItemIds: [li.id],
    });
    expect(project.statusCode).toBe(201);
    expect(project.json().project).toMatchObject({
      licenseItemIds: [li.id],
      usageOrder: [li.id],
      customOrder: false,
    });
  });

  it('validates references and values with stable codes', async () => {
    const { org, product, order } = await catalog();
    const bad = async (payload: object, status: number, code: string) => {
      const r = await call('POST', '/license-items', vendor, payload);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json().error.code).toBe(code);
    };
    await bad(itemBody('ORD-99999999', product.id), 422, 'INVALID_REFERENCE');
    await bad(itemBody(order.id, 'prd_nope'), 422, 'INVALID_REFERENCE');
    await bad(itemBody(order.id, product.id, { modules: ['3D'] }), 422, 'INVALID_REFERENCE');
    await bad(itemBody(order.id, product.id, { validTo: '2025-01-01T00:00:00Z' }), 400, 'INVALID_PERIOD');
    await bad(itemBody(order.id, product.id, { refreshInterval: '3 days' }), 400, 'VALIDATION_FAILED');
    await bad(itemBody(order.id, product.id, { model: 'forever' }), 400, 'VALIDATION_FAILED');
    await bad(itemBody(order.id, product.id, { quota: 0 }), 400, 'VALIDATION_FAILED');
    await bad(itemBody(order.id, product.id, { quota: 1.5 }), 400, 'VALIDATION_FAILED');
    await bad(itemBody(order.id, product.id, { validFrom: 'yesterday' }), 400, 'VALIDATION_FAILED');
    await bad(itemBody(order.id, product.id, { takesPerPeriod: 4 }), 400, 'VALIDATION_FAILED');
    await bad({ ...itemBody(order.id, product.id), extra: 1 }, 400, 'VALIDATION_FAILED');
    // JSON bodies are typed: nothing is coerced (Ajv would take "5" as 5, null as "" and 1 as true)
    for (const wrong of [{ quota: '5' }, { quota: true }, { name: null }, { modules: 'core' }, { name: 7 }]) {
      await bad(itemBody(order.id, product.id, wrong), 400, 'VALIDATION_FAILED');
    }
    // names, versions and modules must say something: a name of spaces lists as an empty row
    const blank = async (url: string, payload: object, field: string) => {
      const r = await call('POST', url, vendor, payload);
      expect([r.statusCode, r.json().error.code, r.json().error.message], url).toEqual([
        400,
        'VALIDATION_FAILED',
        `body.${field} must not be blank`,
      ]);
    };
    await blank('/organizations', { name: '   ' }, 'name');
    await blank('/products', { name: '\t', modules: [] }, 'name');
    await blank('/products', { name: 'P', modules: ['A', ' '] }, 'modules.1');
    await blank('/license-items', itemBody(order.id, product.id, { name: '  ' }), 'name');
    await blank('/license-items', itemBody(order.id, product.id, { version: ' ' }), 'version');
    await blank('/projects', { organizationId: org.id, name: ' \n ' }, 'name');
    await blank('/api-tokens', { name: ' ' }, 'name');
    const typed = await call('POST', '/license-items', vendor, itemBody(order.id, product.id, { quota: 5 }));
    expect(typed.statusCode, typed.body).toBe(201);
    // query strings are text: their numbers and booleans still arrive as such
    const listed = await call('GET', `/audit-log?limit=2&organizationId=${org.id}`, vendor);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().entries.length).toBeLessThanOrEqual(2);
    // an unknown query parameter is named, as an unknown body property is
    const typo = await call('GET', `/audit-log?limt=2&organizationId=${org.id}`, vendor);
    expect([typo.statusCode, typo.json().error.message]).toEqual([
      400,
      'querystring has an unknown property: limt',
    ]);

    const o = await call('POST', '/orders', vendor, { organizationId: 'org_nope', kind: 'full' });
    expect(o.statusCode).toBe(422);
    expect(o.json().error.code).toBe('INVALID_REFERENCE');
    const u = await call('POST', '/users', vendor, { email: 'x@y', password: 'long enough', role: 'admin' });
    expect(u.statusCode).toBe(400);
    const z = await call('POST', '/users', vendor, {
      organizationId: org.id,
      email: `z-${uniq()}@e.test`,
      password: 'long enough',
      role: 'member',
      timeZone: 'Mars/Olympus',
    });
    expect(z.json().error.code).toBe('INVALID_TIME_ZONE');
    const code = await call('POST', '/activation-codes', vendor, {
      licenseItemId: 'LI-99999999',
      maxActivations: 1,
    });
    expect(code.statusCode).toBe(422);
  });

  it('projects: items of the same organization only, unique keys, permutation usage order, default order', async () => {
    const { org, product, order } = await catalog();
    const other = await catalog();
    const mk = async (validTo: string, quota: number, o = order.id) =>
      (await call('POST', '/license-items', vendor, itemBody(o, product.id, { validTo, quota }))).json()
        .licenseItem.id;
    const late = await mk('2027-06-01T00:00:00Z', 10);
    const earlySmall = await mk('2026-06-01T00:00:00Z', 10);
    const earlyBig = await mk('2026-06-01T00:00:00Z', 500);
    const foreign = await mk('2027-01-01T00:00:00Z', 10, other.order.id);
    const key = `pk-${uniq()}`;

    const cross = await call('POST', '/projects', vendor, {
      organizationId: org.id,
      name: 'P',
      key: `pk-${uniq()}`,
      licenseItemIds: [late, foreign],
    });
    expect(cross.statusCode).toBe(422);
    expect(cross.json().error.code).toBe('INVALID_REFERENCE');

    const created = await call('POST', '/projects', vendor, {
      organizationId: org.id,
      name: 'P',
      key,
      licenseItemIds: [late, earlySmall, earlyBig],
    });
    expect(created.statusCode).toBe(201);
    const project = created.json().project;
    // default: expires first, then most quota left
    expect(project.usageOrder).toEqual([earlyBig, earlySmall, late]);

    const dup = await call('POST', '/projects', vendor, { organizationId: org.id, name: 'Q', key });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('DUPLICATE');

    const notPerm = await call('PATCH', `/projects/${project.id}`, vendor, {
      usageOrder: [late, earlySmall],
    });
    expect(notPerm.statusCode).toBe(400);
    const perm = await call('PATCH', `/projects/${project.id}`, vendor, {
      usageOrder: [late, earlySmall, earlyBig],
    });
    expect(perm.statusCode).toBe(200);
    expect(perm.json().project).toMatchObject({
      usageOrder: [late, earlySmall, earlyBig],
      customOrder: true,
    });
    const got = await call('GET', `/projects/${project.id}`, vendor);
    expect(got.json().project.usageOrder).toEqual([late, earlySmall, earlyBig]);
    const reset = await call('PATCH', `/projects/${project.id}`, vendor, { usageOrder: null });
    expect(reset.json().project).toMatchObject({
      usageOrder: [earlyBig, earlySmall, late],
      customOrder: false,
    });

    // in use: an item in a project cannot be deleted
    const del = await call('DELETE', `/license-items/${late}`, vendor);
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('IN_USE');
    const delOrder = await call('DELETE', `/orders/${order.id}`, vendor);
    expect(delOrder.json().error.code).toBe('IN_USE');
    const delProduct = await call('DELETE', `/products/${product.id}`, vendor);
    expect(delProduct.json().error.code).toBe('IN_USE');
    expect((await call('DELETE', `/projects/${project.id}`, vendor)).statusCode).toBe(204);
    expect((await call('DELETE', `/license-items/${late}`, vendor)).statusCode).toBe(204);
    expect((await call('GET', `/projects/${project.id}`, vendor)).statusCode).toBe(404);
  });

  it('concurrent PATCHes of one project: each answered 200, the project ends as one of them left it', async () => {
    const { org, product, order } = await catalog();
    const items: string[] = [];
    for (let i = 0; i < 4; i++)
      items.push(
        (await call('POST', '/license-items', vendor, itemBody(order.id, product.id))).json().licenseItem.id,
      );
    const project = (
      await call('POST', '/projects', vendor, { organizationId: org.id, name: 'P', licenseItemIds: items })
    ).json().project;
    // each PATCH keeps a different pair of items in a custom order
    const patches = Array.from({ length: 12 }, (_, i) => {
      const pair = [items[i % 4]!, items[(i + 1) % 4]!];
      return { licenseItemIds: pair, usageOrder: [...pair].reverse(), name: `P${i}` };
    });
    const rs = await Promise.all(patches.map((b) => call('PATCH', `/projects/${project.id}`, vendor, b)));
    expect(rs.map((r) => r.statusCode)).toEqual(patches.map(() => 200));
    const final = (await call('GET', `/projects/${project.id}`, vendor)).json().project;
    const winner = patches.find((b) => b.name === final.name)!;
    expect([...final.licenseItemIds].sort()).toEqual([...winner.licenseItemIds].sort());
    expect(final.usageOrder).toEqual(winner.usageOrder);
  });

  it('admins manage their own projects and users; members may not see projects; other organizations get 404', async () => {
    const { org, product, order } = await catalog();
    const item = (await call('POST', '/license-items', vendor, itemBody(order.id, product.id))).json()
      .licenseItem;
    const admin = (await loginAs(t, 'admin', org.id)).headers;
    const member = (await loginAs(t, 'member', org.id)).headers;
    const stranger = (await loginAs(t, 'admin', await newOrg(t))).headers;

    const p = await call('POST', '/projects', admin, { name: 'Mine', licenseItemIds: [item.id] });
    expect(p.statusCode).toBe(201);
    const project = p.json().project;
    expect(project.organizationId).toBe(org.id);
    expect(project.key.length).toBeGreaterThanOrEqual(8);
    expect((await call('GET', '/projects', admin)).json().projects.map((x: { id: string }) => x.id)).toEqual([
      project.id,
    ]);
    // a project key is a license key: members see the license list only
    for (const path of ['/projects', `/projects/${project.id}`]) {
      const r = await call('GET', path, member);
      expect([r.statusCode, r.json().error.code]).toEqual([403, 'FORBIDDEN']);
    }
    expect((await call('PATCH', `/projects/${project.id}`, member, { name: 'x' })).statusCode).toBe(403);
    expect((await call('GET', `/projects/${project.id}`, stranger)).statusCode).toBe(404);
    expect((await call('PATCH', `/projects/${project.id}`, stranger, { name: 'x' })).statusCode).toBe(404);
    expect((await call('DELETE', `/projects/${project.id}`, stranger)).statusCode).toBe(404);
    expect(
      (await call('PATCH', `/projects/${project.id}`, admin, { name: 'Renamed' })).json().project.name,
    ).toBe('Renamed');

    // license items and orders: own organization only
    expect(
      (await call('GET', '/license-items', admin)).json().licenseItems.map((i: { id: string }) => i.id),
    ).toEqual([item.id]);
    expect((await call('GET', '/license-items', stranger)).json().licenseItems).toEqual([]);
    const full = await call('GET', `/orders/${order.id}`, member);
    expect(full.statusCode).toBe(200);
    expect(full.json().licenseItems.map((i: { id: string }) => i.id)).toEqual([item.id]);
    expect((await call('GET', `/orders/${order.id}`, stranger)).statusCode).toBe(404);
    expect((await call('GET', `/license-items?orderId=${order.id}`, stranger)).json().licenseItems).toEqual(
      [],
    );

    // users
    const m = await call('POST', '/users', admin, {
      email: `m-${uniq()}@example.test`,
      password: 'long enough pw',
      role: 'member',
    });
    expect(m.statusCode).toBe(201);
    expect(m.json().user.organizationId).toBe(org.id);
    const v = await call('POST', '/users', admin, {
      email: `v-${uniq()}@e.test`,
      password: 'long enough',
      role: 'vendor',
    });
    expect(v.statusCode).toBe(403);
    expect(
      (
        await call('POST', '/users', member, {
          email: `q-${uniq()}@e.test`,
          password: 'long enough',
          role: 'member',
        })
      ).statusCode,
    ).toBe(403);
    expect((await call('GET', `/users/${m.json().user.id}`, stranger)).statusCode).toBe(404);
    expect((await call('DELETE', `/users/${m.json().user.id}`, stranger)).statusCode).toBe(404);
    expect((await call('DELETE', `/users/${m.json().user.id}`, admin)).statusCode).toBe(204);
    const adminEmail = (await call('GET', '/auth/me', admin)).json().user.email as string;
    const dupe = await call('POST', '/users', admin, {
      email: adminEmail.toUpperCase(),
      password: 'long enough',
      role: 'member',
    });
    expect(dupe.statusCode).toBe(409);
    expect(dupe.json().error.code).toBe('DUPLICATE');

    // time zone of one's own
    expect(
      (await call('PATCH', '/users/me', member, { timeZone: 'Asia/Kathmandu' })).json().user.timeZone,
    ).toBe('Asia/Kathmandu');
    expect((await call('PATCH', '/users/me', member, { timeZone: 'Nowhere/Land' })).statusCode).toBe(400);
    const mine = (await call('GET', '/users/me', member)).json().user;
    expect([mine.timeZone, mine.role]).toEqual(['Asia/Kathmandu', 'member']);

    // vendor-only writes
    for (const h of [admin, member]) {
      expect((await call('POST', '/organizations', h, { name: 'x' })).statusCode).toBe(403);
      expect((await call('POST', '/license-items', h, itemBody(order.id, product.id))).statusCode).toBe(403);
      expect(
        (await call('POST', '/activation-codes', h, { licenseItemId: item.id, maxActivations: 1 }))
          .statusCode,
      ).toBe(403);
    }
    expect((await call('POST', '/organizations', {}, { name: 'x' })).statusCode).toBe(401);
    expect((await call('GET', '/license-items', {})).statusCode).toBe(401);
  });

  it('customers see activation code prefixes that tell their codes apart, never the whole code', async () => {
    const { org, product, order } = await catalog();
    const item = (await call('POST', '/license-items', vendor, itemBody(order.id, product.id))).json()
      .licenseItem;
    const codes: { id: string; code: string; prefix: string }[] = [];
    for (let i = 0; i < 6; i++)
      codes.push(
        (
          await call('POST', '/activation-codes', vendor, { licenseItemId: item.id, maxActivations: 2 })
        ).json().activationCode,
      );
    // force a clash of first groups, then read back
    const first = codes[0]!;
    const clash = `${first.code.slice(0, 5)}ZZZZ-ZZZZ-ZZZZ-ZZZZ`;
    await t.deps.db.kysely
      .updateTable('activation_codes')
      .set({ code: clash })
      .where('id', '=', codes[1]!.id)
      .execute();
    const admin = (await loginAs(t, 'admin', org.id)).headers;
    const seen = (await call('GET', `/activation-codes?licenseItemId=${item.id}`, admin)).json()
      .activationCodes;
    expect(seen).toHaveLength(6);
    const full = new Map<string, string>(codes.map((c) => [c.id, c.id === codes[1]!.id ? clash : c.code]));
    for (const c of seen) {
      expect(c.code).toBeUndefined();
      const whole = full.get(c.id)!;
      expect(whole.startsWith(c.prefix)).toBe(true);
      for (const [id, other] of full) if (id !== c.id) expect(other.startsWith(c.prefix)).toBe(false);
    }
    expect(seen.find((c: { id: string }) => c.id === first.id).prefix.length).toBeGreaterThan(4);
    // the item page shows the same prefixes
    const onItem = (await call('GET', `/license-items/${item.id}`, admin)).json().licenseItem.activationCodes;
    const prefixOf = (list: { id: string; prefix: string }[]) =>
      Object.fromEntries(list.map((c) => [c.id, c.prefix]));
    expect(prefixOf(onItem)).toEqual(prefixOf(seen));
    const v = (await call('GET', `/activation-codes/${first.id}`, vendor)).json().activationCode;
    expect(v.code).toBe(first.code);
  });

  it('API tokens: created once, used without CSRF, revoked', async () => {
    const a = await loginAs(t, 'admin');
    const created = await call('POST', '/api-tokens', a.headers, { name: 'ci' });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json().apiToken;
    const bearer = { authorization: `Bearer ${token}` };
    expect((await call('GET', '/auth/me', bearer)).json().user.id).toBe(a.user.id);
    const list = (await call('GET', '/api-tokens', bearer)).json().apiTokens;
    expect(list.map((x: { id: string }) => x.id)).toContain(id);
    expect(list[0].token).toBeUndefined();
    expect((await call('POST', '/projects', bearer, { name: 'via token' })).statusCode).toBe(201);
    expect((await call('DELETE', `/api-tokens/${id}`, bearer)).statusCode).toBe(204);
    expect((await call('GET', '/auth/me', bearer)).statusCode).toBe(401);
    const other = await bearerAs(t, 'member');
    expect((await call('DELETE', `/api-tokens/${id}`, other.headers)).statusCode).toBe(404);
  });

  it('revoking a token revokes the tokens made with it, down the line; a login-made sibling stays', async () => {
    const a = await loginAs(t, 'admin');
    const make = async (headers: Record<string, string>, name: string) => {
      const r = await call('POST', '/api-tokens', headers, { name });
      expect(r.statusCode).toBe(201);
      const { token, id } = r.json().apiToken as { token: string; id: string };
      return { id, headers: { authorization: `Bearer ${token}` } };
    };
    const root = await make(a.headers, 'root');
    const child = await make(root.headers, 'made with root');
    const grandchild = await make(child.headers, 'made with that');
    const sibling = await make(a.headers, 'another from the login');
    const me = async (h: Record<string, string>) => (await call('GET', '/auth/me', h)).statusCode;
    expect(await Promise.all([root, child, grandchild, sibling].map((x) => me(x.headers)))).toEqual([
      200, 200, 200, 200,
    ]);
    expect((await call('DELETE', `/api-tokens/${root.id}`, a.headers)).statusCode).toBe(204);
    expect(await Promise.all([root, child, grandchild, sibling].map((x) => me(x.headers)))).toEqual([
      401, 401, 401, 200,
    ]);
  });
});

describe.each(DIALECTS)('users on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  it("a password change ends the user's other portal logins and keeps the one that made it", async () => {
    const user = await newUser(t, 'admin');
    const here = await loginUser(t, user);
    const elsewhere = await loginUser(t, user);
    const token = await createApiToken(t.deps.db.kysely, user.id, 'ci', t.clock.now());
    const bearer = { authorization: `Bearer ${token.token}` };
    const me = (headers: Record<string, string>) =>
      t.app.inject({ url: '/api/v1/auth/me', headers }).then((r) => r.statusCode);
    expect([await me(here.headers), await me(elsewhere.headers)]).toEqual([200, 200]);
    const changed = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/users/me',
      headers: here.headers,
      payload: { password: 'a new password!', currentPassword: TEST_PASSWORD },
    });
    expect(changed.statusCode).toBe(200);
    expect([await me(here.headers), await me(elsewhere.headers), await me(bearer)]).toEqual([200, 401, 200]);
    const again = await loginUser(t, user).catch(() => null);
    expect(again).toBeNull(); // the old password no longer logs in
    const relog = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: 'a new password!' },
    });
    const cookie = `licstat_session=${relog.cookies.find((c) => c.name === 'licstat_session')!.value}`;
    expect(await me({ cookie })).toBe(200);
    // changed through an API token: every cookie login ends, the token stays
    const viaToken = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/users/me',
      headers: bearer,
      payload: { password: 'a third password', currentPassword: 'a new password!' },
    });
    expect(viaToken.statusCode).toBe(200);
    expect([await me({ cookie }), await me(here.headers), await me(bearer)]).toEqual([401, 401, 200]);
  });

  it('a disabled user is logged out and cannot log in; a password change needs the current one', async () => {
    const admin = await loginAs(t, 'admin');
    const member = await loginAs(t, 'member', admin.user.organization_id);
    const patch = (headers: Record<string, string>, url: string, payload: object) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1${url}`, headers, payload });
    expect(
      (await patch(member.headers, '/users/me', { password: 'new password!', currentPassword: 'wrong' }))
        .statusCode,
    ).toBe(401);
    const changed = await patch(member.headers, '/users/me', {
      password: 'new password!',
      currentPassword: 'correct horse battery staple',
    });
    expect(changed.statusCode).toBe(200);
    const login = (password: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: member.user.email, password },
      });
    expect((await login('new password!')).statusCode).toBe(200);
    const disabled = await patch(admin.headers, `/users/${member.user.id}`, { disabled: true });
    expect([disabled.statusCode, disabled.json().user.disabled]).toEqual([200, true]);
    const listed = (await t.app.inject({ url: '/api/v1/users', headers: admin.headers })).json().users;
    expect(
      Object.fromEntries(listed.map((u: { id: string; disabled: boolean }) => [u.id, u.disabled])),
    ).toEqual({ [admin.user.id]: false, [member.user.id]: true });
    // nobody disables or demotes themselves (the organization would lose its admin)
    for (const body of [{ disabled: true }, { role: 'member' }]) {
      const self = await patch(admin.headers, `/users/${admin.user.id}`, body);
      expect([self.statusCode, self.json().error.code]).toEqual([409, 'CONFLICT']);
    }
    expect((await t.app.inject({ url: '/api/v1/auth/me', headers: member.headers })).statusCode).toBe(401);
    expect((await login('new password!')).statusCode).toBe(401);
    const audit = (await t.app.inject({ url: '/api/v1/audit-log', headers: admin.headers })).json().entries;
    expect(audit.map((e: { action: string }) => e.action)).toEqual(
      expect.arrayContaining(['user.password', 'user.update']),
    );
  });
});

describe.each(DIALECTS)('vendor changes on $name', (dialect) => {
  let t: TestApp;
  let vendor: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
    vendor = (await bearerAs(t, 'vendor')).headers;
  });
  afterAll(async () => t.close());

  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: vendor, ...(payload ? { payload } : {}) });

  it('PATCH validates like POST; DELETE refuses what is in use and removes what is not', async () => {
    const org = (await call('POST', '/organizations', { name: `Org ${uniq()}` })).json().organization;
    const product = (await call('POST', '/products', { name: 'P', modules: ['A', 'B'] })).json().product;
    const order = (await call('POST', '/orders', { organizationId: org.id, kind: 'full' })).json().order;
    const item = (
      await call('POST', '/license-items', {
        orderId: order.id,
        productId: product.id,
        name: 'Seats',
        version: '1.x',
        deployment: 'computer',
        model: 'single-user',
        quota: 5,
        refreshInterval: '2h',
        validFrom: '2026-01-01',
        validTo: '2027-01-01',
        modules: ['A'],
        takesPerPeriod: 4,
      })
    ).json().licenseItem;
    expect(item).toMatchObject({ takesPerPeriod: 4, takePeriodDays: 30, refreshInterval: '2h' });
    const bad = async (payload: object, code: string) => {
      const r = await call('PATCH', `/license-items/${item.id}`, payload);
      expect(r.json().error?.code, r.body).toBe(code);
    };
    await bad({ validTo: '2025-06-01T00:00:00Z' }, 'INVALID_PERIOD');
    // dates that do not exist are refused, not moved on (Date.parse makes 02-30 into 03-02)
    for (const validTo of ['2027-02-30', '2027-02-29T00:00:00Z', '2027-06-01T24:00:00Z', '2027-13-01'])
      await bad({ validTo }, 'VALIDATION_FAILED');
    await bad({ modules: ['C'] }, 'INVALID_REFERENCE');
    await bad({ refreshInterval: '0h' }, 'VALIDATION_FAILED');
    await bad({ model: 'per-scan' }, 'VALIDATION_FAILED');
    const ok = await call('PATCH', `/license-items/${item.id}`, {
      quota: 8,
      modules: ['A', 'B'],
      validTo: '2028-01-01T00:00:00Z',
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().licenseItem).toMatchObject({
      quota: 8,
      modules: ['A', 'B'],
      validTo: '2028-01-01T00:00:00.000Z',
    });
    // a take limit always has its window: clearing the window while a limit stands gives the default
    const takes = async (payload: object) =>
      (await call('PATCH', `/license-items/${item.id}`, payload)).json().licenseItem;
    expect(await takes({ takesPerPeriod: null, takePeriodDays: null })).toMatchObject({
      takesPerPeriod: null,
      takePeriodDays: null,
    });
    expect(await takes({ takesPerPeriod: 2 })).toMatchObject({ takesPerPeriod: 2, takePeriodDays: 30 });
    expect(await takes({ takePeriodDays: 7 })).toMatchObject({ takesPerPeriod: 2, takePeriodDays: 7 });
    expect(await takes({ takePeriodDays: null })).toMatchObject({ takesPerPeriod: 2, takePeriodDays: 30 });
    // a product may not drop a module an item still has
    expect((await call('PATCH', `/products/${product.id}`, { modules: ['A'] })).json().error.code).toBe(
      'IN_USE',
    );
    expect((await call('PATCH', `/products/${product.id}`, { modules: ['A', 'B', 'C'] })).statusCode).toBe(
      200,
    );

    const code = (
      await call('POST', '/activation-codes', { licenseItemId: item.id, maxActivations: 2 })
    ).json().activationCode;
    expect(
      (await call('PATCH', `/activation-codes/${code.id}`, { maxActivations: 9 })).json().activationCode
        .maxActivations,
    ).toBe(9);
    expect((await call('DELETE', `/organizations/${org.id}`)).json().error.code).toBe('IN_USE');
    expect((await call('DELETE', `/license-items/${item.id}`)).json().error.code).toBe('IN_USE');
    expect((await call('DELETE', `/activation-codes/${code.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/license-items/${item.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/orders/${order.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/products/${product.id}`)).statusCode).toBe(204);
    expect((await call('DELETE', `/organizations/${org.id}`)).statusCode).toBe(204);
    expect((await call('GET', `/organizations/${org.id}`)).statusCode).toBe(404);
    // every deletion is in the audit log
    const audit = (await call('GET', '/audit-log?limit=50')).json().entries as {
      action: string;
      target: string;
    }[];
    const deleted = audit.filter((e) => e.action.endsWith('.delete')).map((e) => `${e.action} ${e.target}`);
    expect(deleted).toEqual(
      expect.arrayContaining([
        `activation_code.delete ${code.id}`,
        `license_item.delete ${item.id}`,
        `order.delete ${order.id}`,
        `product.delete ${product.id}`,
        `organization.delete ${org.id}`,
      ]),
    );
  });
});
