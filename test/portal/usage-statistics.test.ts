import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageKind } from '../../src/contract/domain.ts';
import type { UsageStatisticsRow } from '../../src/contract/portal.ts';
import type { LedgerEvent } from '../../src/core/ledger-event.ts';
import { localDateOf } from '../../src/core/time-buckets.ts';
import { appendEvents } from '../../src/storage/ledger-repository.ts';
import { loginAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { type Catalog, makeCatalog, parseCsv } from './fixtures.ts';

const KINDS: UsageKind[] = [
  'full_access',
  'limited_access',
  'declined',
  'take',
  'take_denied',
  'checkout',
  'scan',
  'device_seen',
];

/** Independent model of Reset Stats: which baselines cover a row. */
interface Reset {
  item: string | null;
  code: string | null; // code id, 'PK' for the project-key row, null = whole item / organization
  at: number;
}

describe.each(DIALECTS)('usage statistics on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url(), Date.parse('2026-06-15T10:00:00Z'));
  });
  afterAll(async () => t.close());

  async function writeRandom(c: Catalog, written: LedgerEvent[], n: number) {
    const batch: LedgerEvent[] = [];
    const items = [c.items.sul, c.items.mul, c.items.hwk, c.items.scan];
    for (let i = 0; i < n; i++) {
      const item = items[Math.floor(Math.random() * items.length)]!;
      const codes = c.codes.filter((x) => x.license_item_id === item.id);
      const viaProject = (item === c.items.mul || item === c.items.scan) && Math.random() < 0.4;
      const code = viaProject ? null : codes[Math.floor(Math.random() * codes.length)]!.id;
      const kind = KINDS[Math.floor(Math.random() * KINDS.length)]!;
      batch.push({
        organizationId: c.orgId,
        licenseItemId: item.id,
        projectId: viaProject ? c.projectId : null,
        activationCodeId: code,
        activationId: null,
        sessionId: null,
        kind,
        count: kind === 'scan' ? 1 + Math.floor(Math.random() * 50) : 1,
        at: t.clock.now() - Math.floor(Math.random() * 5 * 86_400_000),
        receivedAt: t.clock.now(),
        email: 'user@example.test',
        fingerprint: `fp-${i % 7}`,
        batchId: null,
      });
      if (i % 10 === 0) t.clock.advance(1000);
    }
    await t.deps.db.kysely.transaction().execute((trx) => appendEvents(trx, batch));
    written.push(...batch);
    t.clock.advance(1000);
  }

  function expected(written: LedgerEvent[], resets: Reset[], row: UsageStatisticsRow) {
    const model = row.model;
    const codeKey = row.activationCodeId ?? 'PK';
    const since = Math.max(
      -1,
      ...resets
        .filter(
          (r) =>
            (r.item === null && r.code === null) ||
            (r.item === row.licenseItemId && (r.code === null || r.code === codeKey)),
        )
        .map((r) => r.at),
    );
    const sum = (kind: UsageKind) =>
      written
        .filter(
          (e) =>
            e.licenseItemId === row.licenseItemId &&
            e.activationCodeId === row.activationCodeId &&
            e.kind === kind &&
            e.receivedAt > since,
        )
        .reduce((a, e) => a + e.count, 0);
    if (model === 'hardware-key')
      return {
        fullAccess: null,
        limitedAccess: null,
        declinedAccess: null,
        takes: null,
        takeDenied: null,
        checkouts: null,
      };
    return {
      fullAccess: sum('full_access'),
      limitedAccess: sum('limited_access'),
      declinedAccess: sum('declined'),
      takes: model === 'single-user' ? sum('take') : 0,
      takeDenied: model === 'single-user' ? sum('take_denied') : 0,
      checkouts: model === 'multi-user' ? sum('checkout') : 0,
    };
  }

  it('counters equal a brute-force count of the ledger, and Reset Stats restarts them without deleting anything', async () => {
    const c = await makeCatalog(t);
    const admin = await loginAs(t, 'admin', c.orgId);
    const written: LedgerEvent[] = [];
    const resets: Reset[] = [];
    const get = async () => {
      const r = await t.app.inject({ url: '/api/v1/usage-statistics', headers: admin.headers });
      expect(r.statusCode, r.body).toBe(200);
      return r.json().rows as UsageStatisticsRow[];
    };
    const check = async () => {
      const rows = await get();
      expect(rows).toHaveLength(7);
      for (const row of rows) {
        expect({ key: row.rowKey, ...pick(row) }).toEqual({
          key: row.rowKey,
          ...expected(written, resets, row),
        });
      }
      return rows;
    };
    const reset = async (body: object, model: Omit<Reset, 'at'>) => {
      const r = await t.app.inject({
        method: 'POST',
        url: '/api/v1/usage-statistics/reset',
        headers: admin.headers,
        payload: body,
      });
      expect(r.statusCode, r.body).toBe(200);
      resets.push({ ...model, at: t.clock.now() });
      t.clock.advance(1);
    };
    const ledgerCount = async () =>
      Number(
        (
          await t.deps.db.kysely
            .selectFrom('usage_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('organization_id', '=', c.orgId)
            .executeTakeFirstOrThrow()
        ).n,
      );

    // a hardware-key item in the project gets no "Project key" row: no project key serves it
    await t.deps.db.kysely
      .insertInto('project_items')
      .values({ project_id: c.projectId, license_item_id: c.items.hwk.id, organization_id: c.orgId })
      .execute();
    await writeRandom(c, written, 300);
    const rows = await check();
    expect(
      rows.reduce((a, r) => a + (r.fullAccess ?? 0) + (r.takes ?? 0) + (r.checkouts ?? 0), 0),
    ).toBeGreaterThan(20);
    // labels
    const mulCode = rows.find((r) => r.activationCodeId === c.codes[2]!.id)!;
    expect(mulCode.licenses).toBe('3 MUL');
    // the figures behind the labels, for a client that writes its own
    for (const r of rows) {
      const item = Object.values(c.items).find((i) => i.id === r.licenseItemId)!;
      expect([r.quota, r.validTo]).toEqual([item.quota, new Date(item.valid_to).toISOString()]);
    }
    expect(mulCode.activations).toBe('0 of 3');
    expect(mulCode.activationCode).toBe(c.codes[2]!.code.slice(0, mulCode.activationCode!.length));
    const hwk = rows.find((r) => r.licenseItemId === c.items.hwk.id)!;
    expect(hwk.status).toBe(`Expired ${localDateOf(c.items.hwk.valid_to, admin.user.time_zone)}`);
    expect(rows.find((r) => r.licenseItemId === c.items.sul.id)!.status).toMatch(
      /^Expires \d{4}-\d{2}-\d{2}$/,
    );
    expect(
      rows
        .filter((r) => r.source === 'project-key')
        .map((r) => r.licenseItemId)
        .sort(),
    ).toEqual([c.items.mul.id, c.items.scan.id].sort());

    // one row, by its displayed prefix
    const sulRow = rows.find((r) => r.activationCodeId === c.codes[0]!.id)!;
    await reset({ activationCode: sulRow.activationCode }, { item: c.items.sul.id, code: c.codes[0]!.id });
    await check();
    await writeRandom(c, written, 150);
    await check();
    // the project-key row of one item
    await reset(
      { licenseItemId: c.items.mul.id, activationCode: 'project-key' },
      { item: c.items.mul.id, code: 'PK' },
    );
    await writeRandom(c, written, 100);
    await check();
    // a whole item
    await reset({ licenseItemId: c.items.scan.id }, { item: c.items.scan.id, code: null });
    await writeRandom(c, written, 100);
    await check();
    // the whole organization: zero at once, and new events count at once
    const before = await ledgerCount();
    await reset({}, { item: null, code: null });
    const zeroed = await check();
    for (const r of zeroed)
      if (r.model !== 'hardware-key') expect(r.fullAccess! + r.limitedAccess! + r.declinedAccess!).toBe(0);
    expect(await ledgerCount()).toBe(before);
    await writeRandom(c, written, 120);
    await check();
    expect(await ledgerCount()).toBe(written.length);
    // a row reset by code id as well
    await reset({ activationCode: c.codes[4]!.id }, { item: c.items.scan.id, code: c.codes[4]!.id });
    await writeRandom(c, written, 50);
    const final = await check();

    // the CSV holds the same rows, with formula cells neutralised
    const csv = await t.app.inject({ url: '/api/v1/usage-statistics.csv', headers: admin.headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="[^"]+\.csv"$/);
    const [header, ...lines] = parseCsv(csv.body);
    expect(header).toEqual([
      'Product',
      'Licenses',
      'Status',
      'Activations',
      'Activation Code',
      'Full Access',
      'Limited Access',
      'Declined Access',
      'Takes',
      'Take Denied',
      'Checkouts',
    ]);
    const cell = (v: number | string | null) => (v === null ? '' : String(v));
    expect(lines).toEqual(
      final.map((r) => [
        `'${r.product}`,
        r.licenses,
        r.status,
        cell(r.activations),
        cell(r.activationCode),
        cell(r.fullAccess),
        cell(r.limitedAccess),
        cell(r.declinedAccess),
        cell(r.takes),
        cell(r.takeDenied),
        cell(r.checkouts),
      ]),
    );
    expect(final[0]!.product).toBe(c.productName);
    expect(lines[0]![0]!.startsWith("'=")).toBe(true);
  });

  it('refuses members, other organizations and anonymous callers', async () => {
    const c = await makeCatalog(t);
    const other = await makeCatalog(t);
    const member = await loginAs(t, 'member', c.orgId);
    const stranger = await loginAs(t, 'admin', other.orgId);
    const vendor = await loginAs(t, 'vendor');
    for (const url of ['/api/v1/usage-statistics', '/api/v1/usage-statistics.csv']) {
      expect((await t.app.inject({ url, headers: member.headers })).statusCode).toBe(403);
      expect((await t.app.inject({ url })).statusCode).toBe(401);
      expect(
        (await t.app.inject({ url: `${url}?organizationId=${c.orgId}`, headers: stranger.headers }))
          .statusCode,
      ).toBe(404);
      expect(
        (await t.app.inject({ url: `${url}?organizationId=${c.orgId}`, headers: vendor.headers })).statusCode,
      ).toBe(200);
    }
    const post = (headers: Record<string, string>, payload: object) =>
      t.app.inject({ method: 'POST', url: '/api/v1/usage-statistics/reset', headers, payload });
    expect((await post(member.headers, {})).statusCode).toBe(403);
    expect((await post({}, {})).statusCode).toBe(401);
    expect((await post(stranger.headers, { licenseItemId: c.items.sul.id })).statusCode).toBe(404);
    expect((await post(stranger.headers, { activationCode: c.codes[0]!.id })).statusCode).toBe(404);
    expect((await post(stranger.headers, { organizationId: c.orgId })).statusCode).toBe(404);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/usage-statistics/reset',
      headers: { cookie: stranger.cookie },
      payload: {},
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('CSRF_TOKEN_INVALID');
  });
});

function pick(r: UsageStatisticsRow) {
  return {
    fullAccess: r.fullAccess,
    limitedAccess: r.limitedAccess,
    declinedAccess: r.declinedAccess,
    takes: r.takes,
    takeDenied: r.takeDenied,
    checkouts: r.checkouts,
  };
}
