/**
 * The optional `productId` of client requests: an activation code of another product is refused
 * (422 WRONG_PRODUCT) before anything is written; a project key chooses only among its items of
 * that product, in usage order, even while another product's item comes first and has room.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../src/contract/errors.ts';
import { createProduct } from '../../src/storage/catalog-repository.ts';
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
} from './fixtures.ts';

describe.each(DIALECTS)('product-bound client requests on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  const post = (path: string, key: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url: `/api/v1/client/${path}`, headers: auth(key), payload });
  const activate = (key: string, fp: string, productId?: string) =>
    post('activations', key, { fingerprint: fp, ...(productId ? { productId } : {}) });
  const start = (key: string, fp: string, productId?: string) =>
    post('sessions', key, { fingerprint: fp, email: `${fp}@x.test`, ...(productId ? { productId } : {}) });
  const take = (key: string, fp: string, productId?: string) =>
    post('takes', key, { fingerprint: fp, email: `${fp}@x.test`, ...(productId ? { productId } : {}) });
  const report = (key: string, fp: string, count: number, productId?: string) =>
    post('usage', key, {
      batchId: `b-${suffix()}`,
      fingerprint: fp,
      events: [{ kind: 'scan', count, at: new Date(t.clock.now()).toISOString() }],
      ...(productId ? { productId } : {}),
    });
  const newProduct = async () =>
    (await createProduct(t.deps.db.kysely, `Other ${suffix()}`, ['core'], t.clock.now())).id;

  const countOf = async (table: 'activations' | 'sessions' | 'usage_batches', orgId: string) =>
    Number(
      (
        await t.deps.db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('organization_id', '=', orgId)
          .executeTakeFirstOrThrow()
      ).n,
    );
  /** activations, sessions, usage batches and ledger rows of the organization */
  const written = async (orgId: string) => [
    await countOf('activations', orgId),
    await countOf('sessions', orgId),
    await countOf('usage_batches', orgId),
    await orgLedgerRows(t.deps, orgId),
  ];
  const refusedAsWrongProduct = (r: { statusCode: number; json(): { error?: { code?: string } } }) =>
    expect([r.statusCode, r.json().error?.code]).toEqual([422, 'WRONG_PRODUCT']);

  it('WRONG_PRODUCT is a 422 of the error catalogue', () => {
    expect(ERROR_CODES.WRONG_PRODUCT).toBe(422);
  });

  it('an activation code of another product is refused before anything is written', async () => {
    const other = await newProduct();
    for (const model of ['single-user', 'multi-user', 'per-device', 'per-scan'] as const) {
      const f = await fixture(t.deps, { model, quota: 5 });
      refusedAsWrongProduct(await activate(f.code.code, 'a', other));
      refusedAsWrongProduct(await start(f.code.code, 'a', other));
      if (model === 'single-user') refusedAsWrongProduct(await take(f.code.code, 'a', other));
      if (model === 'per-scan' || model === 'per-device')
        refusedAsWrongProduct(await report(f.code.code, 'a', 3, other));
      expect(await written(f.org.id), model).toEqual([0, 0, 0, 0]);
    }
  });

  it('wrong product is answered before the other refusals (expired, unknown project)', async () => {
    const other = await newProduct();
    const now = t.clock.now();
    const expired = await fixture(t.deps, { model: 'multi-user', quota: 1, validTo: now - DAY });
    refusedAsWrongProduct(await start(expired.code.code, 'a', other));
    const f = await fixture(t.deps, { model: 'multi-user', quota: 1 });
    refusedAsWrongProduct(
      await post('sessions', f.code.code, {
        fingerprint: 'a',
        email: 'a@x.test',
        project: 'NO-SUCH-PROJECT',
        productId: other,
      }),
    );
  });

  it('an activation code of the right product works as without productId', async () => {
    const f = await fixture(t.deps, {
      model: 'single-user',
      quota: 1,
      takesPerPeriod: 2,
      takePeriodDays: 30,
    });
    expect((await activate(f.code.code, 'a', f.productId)).statusCode).toBe(201);
    const s = await start(f.code.code, 'a', f.productId);
    expect([s.statusCode, s.json().session.mode]).toEqual([201, 'full']);
    expect((await take(f.code.code, 'b', f.productId)).json()).toMatchObject({ moved: true });
    const scans = await fixture(t.deps, { model: 'per-scan', quota: 10 });
    const r = await report(scans.code.code, 'dev', 4, scans.productId);
    expect([r.statusCode, r.json().remaining]).toEqual([202, 6]);
  });

  it('a project key gives each program its own product’s item, even while the other has room', async () => {
    const o = await newOrg(t.deps);
    const b = { ...o, productId: await newProduct() };
    const now = t.clock.now();
    // product A's items expire first: the usage order puts them ahead of product B's (and the
    // per-scan items, which would give full access to any start, last of each product)
    const seatA = await addItem(t.deps, o, { model: 'multi-user', quota: 5, validTo: now + 10 * DAY });
    const seatB = await addItem(t.deps, b, { model: 'multi-user', quota: 5, validTo: now + 200 * DAY });
    const sulA = await addItem(t.deps, o, { model: 'single-user', quota: 5, validTo: now + 10 * DAY });
    const sulB = await addItem(t.deps, b, { model: 'single-user', quota: 5, validTo: now + 200 * DAY });
    const scanA = await addItem(t.deps, o, { model: 'per-scan', quota: 100, validTo: now + 300 * DAY });
    const scanB = await addItem(t.deps, b, { model: 'per-scan', quota: 100, validTo: now + 400 * DAY });
    const p = await addProject(t.deps, o.org.id, [
      seatA.item.id,
      seatB.item.id,
      sulA.item.id,
      sulB.item.id,
      scanA.item.id,
      scanB.item.id,
    ]);

    // without productId: the usage order's first item, whatever the program
    expect((await activate(p.key, 'any')).json().activation.licenseItemId).toBe(sulA.item.id);

    for (let i = 0; i < 3; i++) {
      const forB = await activate(p.key, `b${i}`, b.productId);
      expect([forB.statusCode, forB.json().activation.licenseItemId]).toEqual([201, sulB.item.id]);
      const forA = await activate(p.key, `a${i}`, o.productId);
      expect(forA.json().activation.licenseItemId).toBe(sulA.item.id);
    }
    // a machine activated on A's item, running B's program, gets B's item (not its A activation)
    expect((await activate(p.key, 'a0', b.productId)).json().activation.licenseItemId).toBe(sulB.item.id);

    const sB = await start(p.key, 'b0', b.productId);
    expect(sB.json().session).toMatchObject({ mode: 'full', licenseItemId: seatB.item.id });
    const sA = await start(p.key, 'fresh-a', o.productId);
    expect(sA.json().session).toMatchObject({ mode: 'full', licenseItemId: seatA.item.id });
    const sFreshB = await start(p.key, 'fresh-b', b.productId);
    expect(sFreshB.json().session).toMatchObject({ mode: 'full', licenseItemId: seatB.item.id });

    const tB = await take(p.key, 'c', b.productId);
    expect([tB.statusCode, tB.json().activation.licenseItemId]).toEqual([200, sulB.item.id]);

    const uB = await report(p.key, 'dev', 7, b.productId);
    expect([uB.statusCode, uB.json().remaining]).toEqual([202, 93]);
    expect((await ledgerOf(t.deps, scanB.item.id)).byKind.scan?.sum).toBe(7);
    expect((await ledgerOf(t.deps, scanA.item.id)).byKind.scan).toBeUndefined();
    const uA = await report(p.key, 'dev', 5, o.productId);
    expect([uA.statusCode, uA.json().remaining]).toEqual([202, 95]);
    expect((await ledgerOf(t.deps, scanA.item.id)).byKind.scan?.sum).toBe(5);
  });

  it('a project key without an item of the product is refused and writes nothing', async () => {
    const o = await newOrg(t.deps);
    const seat = await addItem(t.deps, o, { model: 'multi-user', quota: 5 });
    const sul = await addItem(t.deps, o, { model: 'single-user', quota: 5 });
    const scan = await addItem(t.deps, o, { model: 'per-scan', quota: 5 });
    const p = await addProject(t.deps, o.org.id, [seat.item.id, sul.item.id, scan.item.id]);
    const other = await newProduct();
    refusedAsWrongProduct(await activate(p.key, 'a', other));
    refusedAsWrongProduct(await start(p.key, 'a', other));
    refusedAsWrongProduct(await take(p.key, 'a', other));
    refusedAsWrongProduct(await report(p.key, 'a', 2, other));
    expect(await written(o.org.id)).toEqual([0, 0, 0, 0]);
  });

  it('among the product’s items of a project, the other refusals still apply', async () => {
    const o = await newOrg(t.deps);
    const b = { ...o, productId: await newProduct() };
    const seatA = await addItem(t.deps, o, { model: 'multi-user', quota: 5 });
    const scanB = await addItem(t.deps, b, { model: 'per-scan', quota: 5 });
    const p = await addProject(t.deps, o.org.id, [seatA.item.id, scanB.item.id]);
    // product B's only item takes no activations: refused as for any project without one
    const r = await activate(p.key, 'a', b.productId);
    expect([r.statusCode, r.json().error.code]).toEqual([422, 'NO_SUITABLE_ITEM']);
    expect(await written(o.org.id)).toEqual([0, 0, 0, 0]);
  });
});
