/**
 * Tenant isolation over every portal and vendor route the router serves. Org A holds data
 * (items, codes, a project, users, an activation, sessions, usage, an audit entry); each route
 * is called with A's real ids as org B's admin (404, or an answer without a trace of A), as A's
 * member (403 where an admin is needed), as A's admin (the ids are real: reads succeed), and
 * without a login (401). Vendor-only routes answer admins 403. A route missing from EXPECT
 * fails the test, so a new route cannot slip through unswept.
 */
import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LicenseModel } from '../../src/contract/domain.ts';
import { createApiToken } from '../../src/storage/api-token-repository.ts';
import {
  createActivationCode,
  createLicenseItem,
  createOrder,
  createOrganization,
  createProduct,
  createProject,
} from '../../src/storage/catalog-repository.ts';
import { createUser, type UserRow } from '../../src/storage/user-repository.ts';
import { TEST_PASSWORD } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { injectAnswer } from './support/inject.ts';
import { fillParams, listRoutes, routeKey } from './support/routes.ts';

const DAY = 86_400_000;
const sfx = () => randomBytes(5).toString('hex');

interface OrgData {
  orgId: string;
  orgName: string;
  orderId: string;
  productId: string;
  items: Record<'sul' | 'mul' | 'scan', { id: string; name: string }>;
  code: { id: string; code: string };
  projectId: string;
  projectName: string;
  projectKey: string;
  admin: UserRow;
  member: UserRow;
  victim: UserRow;
  victimTokenId: string;
  victimToken: string;
  activationId: string;
  fingerprint: string;
  hostname: string;
  sessionId: string;
  endUserEmail: string;
  webhookId: string;
  webhookUrl: string;
  webhookSecret: string;
  /** bearer headers of the org's admin and member */
  adminH: Record<string, string>;
  memberH: Record<string, string>;
}

async function makeOrg(t: TestApp, tag: string): Promise<OrgData> {
  const db = t.deps.db.kysely;
  const now = t.clock.now();
  const s = sfx();
  const orgName = `${tag} Corp ${s}`;
  const org = await createOrganization(db, orgName, now);
  const product = await createProduct(db, `${tag} Product ${s}`, ['core'], now);
  const order = await createOrder(db, org.id, 'full', now);
  const mk = async (model: LicenseModel, quota: number) => {
    const name = `${tag} ${model} ${s}`;
    const row = await createLicenseItem(
      db,
      {
        organizationId: org.id,
        orderId: order.id,
        productId: product.id,
        name,
        version: '2026.x',
        deployment: 'computer',
        model,
        quota,
        refreshIntervalS: 3600,
        validFrom: now - 30 * DAY,
        validTo: now + 300 * DAY,
        modules: ['core'],
        takesPerPeriod: model === 'single-user' ? 4 : null,
        takePeriodDays: model === 'single-user' ? 30 : null,
      },
      now,
    );
    return { id: row.id, name, row };
  };
  const sul = await mk('single-user', 5);
  const mul = await mk('multi-user', 3);
  const scan = await mk('per-scan', 1000);
  const code = await createActivationCode(db, sul.row, 5, now);
  const mulCode = await createActivationCode(db, mul.row, 5, now);
  const scanCode = await createActivationCode(db, scan.row, 5, now);
  const projectName = `${tag} Line ${s}`;
  const projectKey = `pk-${tag}-${s}`;
  const project = await createProject(
    db,
    { organizationId: org.id, name: projectName, key: projectKey, licenseItemIds: [mul.id, scan.id] },
    now,
  );
  const user = (role: 'admin' | 'member', what: string) =>
    createUser(
      db,
      { organizationId: org.id, email: `${what}-${tag}-${s}@example.test`, password: TEST_PASSWORD, role },
      now,
    );
  const admin = await user('admin', 'admin');
  const member = await user('member', 'member');
  const victim = await user('member', 'victim');
  const tok = async (u: UserRow) => (await createApiToken(db, u.id, 'sweep', now)).token;
  const victimTok = await createApiToken(db, victim.id, 'victim', now);

  const client = (key: string, url: string, payload: object) =>
    t.app.inject({
      method: 'POST',
      url: `/api/v1/client/${url}`,
      headers: { authorization: `License ${key}` },
      payload,
    });
  const fingerprint = `fp-${tag}-${s}`;
  const hostname = `host-${tag}-${s}`;
  const endUserEmail = `enduser-${tag}-${s}@example.test`;
  const act = await client(code.code, 'activations', { fingerprint, hostname, email: endUserEmail });
  expect(act.statusCode).toBe(201);
  const ses = await client(mulCode.code, 'sessions', { fingerprint, email: endUserEmail });
  expect(ses.statusCode).toBe(201);
  await client(code.code, 'sessions', { fingerprint, email: endUserEmail });
  const usage = await client(scanCode.code, 'usage', {
    batchId: `b-${s}`,
    fingerprint,
    email: endUserEmail,
    events: [{ kind: 'scan', count: 7, at: new Date(now - 60_000).toISOString() }],
  });
  expect(usage.statusCode).toBe(202);
  const adminH = { authorization: `Bearer ${await tok(admin)}` };
  const settings = await t.app.inject({
    method: 'PUT',
    url: '/api/v1/alerts/settings',
    headers: adminH,
    payload: { quotaThresholds: [80], declinesPerHour: 5, expiryDays: [30] },
  });
  expect(settings.statusCode, settings.body).toBe(200);
  const webhookUrl = `https://hooks-${tag}-${s}.invalid/licstat`;
  const webhookSecret = `secret-${tag}-${s}-0123456789`;
  const hook = await t.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: adminH,
    payload: { url: webhookUrl, secret: webhookSecret },
  });
  expect(hook.statusCode, hook.body).toBe(201);
  return {
    orgId: org.id,
    orgName,
    orderId: order.id,
    productId: product.id,
    items: {
      sul: { id: sul.id, name: sul.name },
      mul: { id: mul.id, name: mul.name },
      scan: { id: scan.id, name: scan.name },
    },
    code: { id: code.id, code: code.code },
    projectId: project.id,
    projectName,
    projectKey,
    admin,
    member,
    victim,
    victimTokenId: victimTok.row.id,
    victimToken: victimTok.token,
    activationId: act.json().activation.id,
    fingerprint,
    hostname,
    sessionId: ses.json().session.id,
    endUserEmail,
    webhookId: hook.json().webhook.id,
    webhookUrl,
    webhookSecret,
    adminH,
    memberH: { authorization: `Bearer ${await tok(member)}` },
  };
}

/** Everything of org A that must never show in an answer to org B. Products are the vendor's catalog, not A's. */
function secretsOf(a: OrgData): string[] {
  return [
    a.orgId,
    a.orgName,
    a.orderId,
    ...Object.values(a.items).flatMap((i) => [i.id, i.name]),
    a.code.id,
    a.code.code,
    a.projectId,
    a.projectName,
    a.projectKey,
    ...[a.admin, a.member, a.victim].flatMap((u) => [u.id, u.email]),
    a.victimTokenId,
    a.activationId,
    a.fingerprint,
    a.hostname,
    a.sessionId,
    a.endUserEmail,
    a.webhookId,
    a.webhookUrl,
    a.webhookSecret,
  ];
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Who = 'public' | 'member' | 'admin' | 'vendor';
interface Expectation {
  /** the lowest role allowed; 'public' needs no login (and is swept for leaks only) */
  who: Who;
  /** the request names a resource of org A: org B gets 404 (or one of strangerMay) */
  owned?: boolean;
  strangerMay?: number[];
  id?: (a: OrgData) => string;
  query?: (a: OrgData) => Record<string, string>;
  body?: (a: OrgData) => object;
}

const period = (): Record<string, string> => ({
  from: new Date(Date.now() - 7 * DAY).toISOString(),
  to: new Date(Date.now() + DAY).toISOString(),
  tz: 'UTC',
});

/** One line per route the router serves (client routes are swept by the client tests). */
const EXPECT: Record<string, Expectation> = {
  'GET /health': { who: 'public' },
  'GET /ready': { who: 'public' },
  'POST /auth/login': {
    who: 'public',
    body: (a) => ({ email: a.admin.email, password: 'not the password' }),
  },
  'POST /auth/logout': { who: 'public' },
  'GET /auth/me': { who: 'member' },
  'GET /audit-log': { who: 'admin' },
  // server-sent events: the stream's first snapshot is checked like any other answer
  'GET /live': { who: 'admin', owned: true, query: (a) => ({ licenseItemId: a.items.mul.id }) },
  'GET /alerts': { who: 'admin' },
  'GET /alerts/settings': { who: 'admin' },
  'PUT /alerts/settings': {
    who: 'admin',
    body: () => ({ quotaThresholds: [90], declinesPerHour: 1, expiryDays: [7] }),
  },
  'POST /webhooks': {
    who: 'admin',
    owned: true,
    strangerMay: [403, 422],
    body: (a) => ({ url: 'https://sneaky.invalid/hook', organizationId: a.orgId }),
  },
  'GET /webhooks': { who: 'admin' },
  'DELETE /webhooks/:id': { who: 'admin', owned: true, id: (a) => a.webhookId },
  'GET /webhooks/:id/deliveries': { who: 'admin', owned: true, id: (a) => a.webhookId },
  'POST /webhooks/:id/test': { who: 'admin', owned: true, id: (a) => a.webhookId },
  'GET /activations': { who: 'admin', owned: true, query: (a) => ({ licenseItemId: a.items.sul.id }) },
  'DELETE /activations/:id': { who: 'admin', owned: true, id: (a) => a.activationId },
  'POST /activation-codes': {
    who: 'vendor',
    body: (a) => ({ licenseItemId: a.items.sul.id, maxActivations: 1 }),
  },
  'GET /activation-codes': { who: 'member' },
  'GET /activation-codes/:id': { who: 'member', owned: true, id: (a) => a.code.id },
  'PATCH /activation-codes/:id': {
    who: 'vendor',
    id: (a) => a.code.id,
    body: () => ({ maxActivations: 50 }),
  },
  'DELETE /activation-codes/:id': { who: 'vendor', id: (a) => a.code.id },
  'POST /api-tokens': { who: 'member', body: () => ({ name: 'sweep' }) },
  'GET /api-tokens': { who: 'member' },
  'DELETE /api-tokens/:id': { who: 'member', owned: true, id: (a) => a.victimTokenId },
  'POST /license-items': {
    who: 'vendor',
    body: (a) => ({
      orderId: a.orderId,
      productId: a.productId,
      name: 'sneaky',
      version: '2026.x',
      deployment: 'computer',
      model: 'multi-user',
      quota: 1,
      refreshInterval: '1d',
      validFrom: new Date().toISOString(),
      validTo: new Date(Date.now() + DAY).toISOString(),
      modules: ['core'],
    }),
  },
  'GET /license-items': { who: 'member' },
  'GET /license-items/:id': { who: 'member', owned: true, id: (a) => a.items.sul.id },
  'PATCH /license-items/:id': { who: 'vendor', id: (a) => a.items.sul.id, body: () => ({ name: 'renamed' }) },
  'DELETE /license-items/:id': { who: 'vendor', id: (a) => a.items.sul.id },
  'GET /license-items/:id/stats': { who: 'admin', owned: true, id: (a) => a.items.mul.id, query: period },
  'GET /license-items/:id/insight': { who: 'admin', owned: true, id: (a) => a.items.mul.id, query: period },
  'POST /projects': {
    who: 'admin',
    owned: true,
    strangerMay: [403, 422],
    body: (a) => ({ organizationId: a.orgId, name: 'sneaky', licenseItemIds: [a.items.scan.id] }),
  },
  'GET /projects': { who: 'admin' }, // a project key is a license key: not for members
  'GET /projects/:id': { who: 'admin', owned: true, id: (a) => a.projectId },
  'PATCH /projects/:id': {
    who: 'admin',
    owned: true,
    id: (a) => a.projectId,
    body: () => ({ name: 'renamed' }),
  },
  'DELETE /projects/:id': { who: 'admin', owned: true, id: (a) => a.projectId },
  'GET /projects/:id/stats': { who: 'admin', owned: true, id: (a) => a.projectId, query: period },
  'GET /projects/:id/usage-table.csv': { who: 'admin', owned: true, id: (a) => a.projectId, query: period },
  'POST /products': { who: 'vendor', body: () => ({ name: `p-${sfx()}`, modules: [] }) },
  'GET /products': { who: 'member' },
  // the vendor's catalog: any organization may read a product
  'GET /products/:id': { who: 'member', id: (a) => a.productId },
  'PATCH /products/:id': { who: 'vendor', id: (a) => a.productId, body: () => ({ name: 'renamed' }) },
  'DELETE /products/:id': { who: 'vendor', id: (a) => a.productId },
  'GET /usage-statistics': { who: 'admin' },
  'GET /usage-statistics.csv': { who: 'admin' },
  'POST /usage-statistics/reset': {
    who: 'admin',
    owned: true,
    body: (a) => ({ licenseItemId: a.items.scan.id }),
  },
  'POST /users': {
    who: 'admin',
    owned: true,
    strangerMay: [403, 422],
    body: (a) => ({
      organizationId: a.orgId,
      email: `x-${sfx()}@example.test`,
      password: TEST_PASSWORD,
      role: 'admin',
    }),
  },
  'GET /users': { who: 'admin' },
  'GET /users/me': { who: 'member' },
  'PATCH /users/me': { who: 'member', body: () => ({ timeZone: 'UTC' }) },
  'GET /users/:id': { who: 'admin', owned: true, id: (a) => a.victim.id },
  'PATCH /users/:id': { who: 'admin', owned: true, id: (a) => a.victim.id, body: () => ({ disabled: true }) },
  'DELETE /users/:id': { who: 'admin', owned: true, id: (a) => a.victim.id },
  'GET /sessions': { who: 'admin', query: () => ({ ...period(), view: 'full' }) },
  'GET /sessions.csv': { who: 'admin', query: () => ({ ...period(), view: 'full' }) },
  'POST /organizations': { who: 'vendor', body: () => ({ name: `o-${sfx()}` }) },
  'GET /organizations': { who: 'member' },
  'GET /organizations/:id': { who: 'member', owned: true, id: (a) => a.orgId },
  'PATCH /organizations/:id': { who: 'vendor', id: (a) => a.orgId, body: () => ({ name: 'renamed' }) },
  'DELETE /organizations/:id': { who: 'vendor', id: (a) => a.orgId },
  'POST /orders': { who: 'vendor', body: (a) => ({ organizationId: a.orgId, kind: 'trial' }) },
  'GET /orders': { who: 'member' },
  'GET /orders/:id': { who: 'member', owned: true, id: (a) => a.orderId },
  'PATCH /orders/:id': { who: 'vendor', id: (a) => a.orderId, body: () => ({ kind: 'trial' }) },
  'DELETE /orders/:id': { who: 'vendor', id: (a) => a.orderId },
};

describe.each(DIALECTS)('tenant isolation sweep on $name', (dialect) => {
  let t: TestApp;
  let a: OrgData;
  let b: OrgData;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
    a = await makeOrg(t, 'A');
    b = await makeOrg(t, 'B');
    // An audit entry of A's admin, which B's audit log must not show.
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/usage-statistics/reset',
      headers: a.adminH,
      payload: { licenseItemId: a.items.mul.id },
    });
    expect(r.statusCode, r.body).toBeLessThan(300);
  }, 60_000);
  afterAll(async () => t?.close());

  it('every portal and vendor route is in the expectation table', () => {
    const served = listRoutes(t.app)
      .filter((r) => !r.url.startsWith('/api/v1/client/'))
      .map(routeKey);
    expect(
      served.filter((k) => !EXPECT[k]),
      'routes without an expectation',
    ).toEqual([]);
    expect(
      Object.keys(EXPECT).filter((k) => !served.includes(k)),
      'expectations without a route',
    ).toEqual([]);
  });

  it('no route shows org A to org B, members get 403 on admin routes, no login gets 401', {
    timeout: 60_000,
  }, async () => {
    const secrets = secretsOf(a).map((s) => ({ s, re: new RegExp(`(?<![\\w-])${escapeRe(s)}(?![\\w])`) }));
    let swept = 0;
    let calls = 0;
    const call = async (key: string, e: Expectation, headers: Record<string, string>, extraQuery = {}) => {
      calls++;
      const [method, path] = key.split(' ') as [InjectOptions['method'], string];
      const query = { ...(e.query?.(a) ?? {}), ...extraQuery };
      const qs = new URLSearchParams(query).toString();
      const url = `/api/v1${fillParams(path, { id: e.id?.(a) ?? '' })}${qs ? `?${qs}` : ''}`;
      const body = e.body?.(a);
      const res = await injectAnswer(
        t.app,
        { method, url, headers, ...(body ? { payload: body } : {}) },
        15_000,
        key,
      );
      return Object.assign(res, { sent: `${decodeURIComponent(url)} ${JSON.stringify(body ?? {})}` });
    };
    /** A's secrets in the answer, except those the caller sent itself (a 404 may name the id asked for). */
    const noLeak = (label: string, r: { body: string; sent: string }) => {
      for (const { s, re } of secrets)
        if (!r.sent.includes(s))
          expect(re.test(r.body), `${label} shows org A's ${s}: ${r.body.slice(0, 300)}`).toBe(false);
    };
    const keys = listRoutes(t.app)
      .filter((r) => !r.url.startsWith('/api/v1/client/'))
      .map(routeKey)
      // reads first, then writes: the refused writes must leave A's data for the reads
      .sort((x, y) => Number(!x.startsWith('GET')) - Number(!y.startsWith('GET')));
    for (const key of keys) {
      const e = EXPECT[key];
      if (!e) continue; // reported by the coverage test
      swept++;
      if (e.who === 'public') {
        const r = await call(key, e, b.adminH);
        expect(r.statusCode, key).toBeLessThan(500);
        noLeak(`${key} as B`, r);
        continue;
      }
      const anon = await call(key, e, {});
      expect(anon.statusCode, `${key} without login: ${anon.body}`).toBe(401);

      const asB = await call(key, e, b.adminH);
      noLeak(`${key} as B's admin`, asB);
      if (e.who === 'vendor') expect(asB.statusCode, `${key} as B's admin`).toBe(403);
      else if (e.owned)
        expect([404, ...(e.strangerMay ?? [])], `${key} as B's admin: ${asB.body}`).toContain(asB.statusCode);
      else expect(asB.statusCode, `${key} as B's admin: ${asB.body}`).toBeLessThan(500);
      if (key.startsWith('GET') && e.who !== 'vendor') {
        // naming A's organization in the query must not widen B's view either
        const widened = await call(key, e, b.adminH, { organizationId: a.orgId });
        expect(widened.statusCode, key).toBeLessThan(500);
        noLeak(`${key}?organizationId=A as B's admin`, widened);
      }
      if (e.owned && e.who === 'member') {
        const asBMember = await call(key, e, b.memberH);
        expect(asBMember.statusCode, `${key} as B's member`).toBe(404);
        noLeak(`${key} as B's member`, asBMember);
      }

      const asAMember = await call(key, e, a.memberH);
      if (e.who === 'admin' || e.who === 'vendor')
        expect(asAMember.statusCode, `${key} as A's member: ${asAMember.body}`).toBe(403);
      else if (key.startsWith('GET'))
        expect(asAMember.statusCode, `${key} as A's member: ${asAMember.body}`).toBe(200);
      if (e.who === 'vendor') {
        const asAAdmin = await call(key, e, a.adminH);
        expect(asAAdmin.statusCode, `${key} as A's admin`).toBe(403);
      } else if (key.startsWith('GET')) {
        // the ids are A's real ones: B's 404 above is isolation, not a typo
        const asAAdmin = await call(key, e, a.adminH);
        expect(asAAdmin.statusCode, `${key} as A's admin: ${asAAdmin.body}`).toBe(200);
      }
    }
    console.log(`[tenant sweep ${dialect.name}] ${swept} routes swept with ${calls} calls`);

    // Every refused write left A as it was.
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { authorization: `Bearer ${a.victimToken}` },
    });
    expect(me.statusCode, 'A victim token still works and the user is not disabled').toBe(200);
    const project = await t.app.inject({
      method: 'GET',
      url: `/api/v1/projects/${a.projectId}`,
      headers: a.adminH,
    });
    expect(project.json().project.name).toBe(a.projectName);
    const acts = await t.app.inject({
      method: 'GET',
      url: `/api/v1/activations?licenseItemId=${a.items.sul.id}`,
      headers: a.adminH,
    });
    expect(acts.body).toContain(a.activationId);
    const hooks = await t.app.inject({ url: '/api/v1/webhooks', headers: a.adminH });
    expect(hooks.json().webhooks.map((w: { id: string }) => w.id)).toEqual([a.webhookId]);
    const db = t.deps.db.kysely;
    const act = await db
      .selectFrom('activations')
      .select('deactivated_at')
      .where('id', '=', a.activationId)
      .executeTakeFirstOrThrow();
    expect(act.deactivated_at).toBeNull();
    const org = await db
      .selectFrom('organizations')
      .select('name')
      .where('id', '=', a.orgId)
      .executeTakeFirstOrThrow();
    expect(org.name).toBe(a.orgName);
    const scans = await db
      .selectFrom('usage_events')
      .select(['count'])
      .where('license_item_id', '=', a.items.scan.id)
      .where('kind', '=', 'scan')
      .execute();
    expect(
      scans.reduce((s, r) => s + Number(r.count), 0),
      "B's reset did not touch A's scans",
    ).toBe(7);
  });
});
