/**
 * The SQLite seat bound (session-repository.ts seatsHeldForLimit): starts decide on an upper
 * bound of the seats held instead of counting them, and must still never hand out a seat too
 * many: seats taken through another connection, leases renewed from an earlier instant, and
 * many concurrent starts in shared commits.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, systemClock } from '../../src/core/clock.ts';
import { createLeaseSigner, generateKeyPairPem } from '../../src/core/lease-signer.ts';
import type { ClientKey } from '../../src/services/client/client-key.ts';
import { renewSession } from '../../src/services/client/renew-session.ts';
import { startSession } from '../../src/services/client/start-session.ts';
import { type Db, migrateToLatest, openDb } from '../../src/storage/db.ts';
import { findLicenseKey } from '../../src/storage/license-key-repository.ts';
import { addItem, newOrg } from './fixtures.ts';

const keys = generateKeyPairPem();
const signer = createLeaseSigner('test', keys.publicKeyPem, keys.privateKeyPem);

describe('seat bound on SQLite', () => {
  let url: string;
  let a: Db;
  const opened: Db[] = [];
  /** another connection to the same file, with its own seat bounds */
  const connection = () => {
    const db = openDb(url);
    opened.push(db);
    return db;
  };
  beforeAll(async () => {
    url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-seat-bound-')), 'db.sqlite')}`;
    a = openDb(url);
    await migrateToLatest(a);
  });
  afterAll(async () => {
    for (const db of opened) await db.close();
    await a.close();
  });

  const item = async (quota: number, refreshS = 3600) => {
    const deps = { db: a, clock: systemClock };
    const o = await newOrg(deps);
    const { code } = await addItem(deps, o, { model: 'multi-user', quota, refreshS });
    const found = await findLicenseKey(a.kysely, code.code);
    return { ...found!, raw: code.code } as ClientKey;
  };
  const start = (db: Db, key: ClientKey, fp: string, now: number) =>
    startSession(db, signer, key, { fingerprint: fp, email: `${fp}@example.com` }, now);

  it('a seat written by another process (not through this one) counts', async () => {
    const key = await item(2);
    const c = connection();
    const other = connection();
    const now = Date.now();
    const s1 = await start(c, key, 'm1', now);
    expect(s1.session.mode).toBe('full');
    // what another process would write: a held seat this process never saw inserted
    await other.kysely
      .insertInto('sessions')
      .values({ ...s1.session, id: `${s1.session.id}x`, fingerprint: 'm2' })
      .execute();
    const third = await start(c, key, 'm3', now + 1);
    expect(third.session.mode).toBe('limited');
    expect(third.session.reason).toBe('ALL_SEATS_IN_USE');
  });

  it('a lease renewed at an earlier instant than the last count still holds its seat', async () => {
    const refreshS = 60;
    const key = await item(3, refreshS);
    const t0 = Date.now();
    const s1 = await start(a, key, 'm1', t0);
    const c = connection();
    const t1 = t0 + refreshS * 1000 + 1; // s1's lease has run out
    expect((await start(c, key, 'm2', t1)).session.mode).toBe('full'); // counted: none held
    // a renewal timed before that count (and run after it) keeps s1 alive
    await renewSession(c, signer, key, s1.session.id, fixedClock(t1 - 2));
    expect((await start(c, key, 'm3', t1 + 1)).session.mode).toBe('full'); // s1, s2 held
    expect((await start(c, key, 'm4', t1 + 2)).session.mode).toBe('limited'); // s1, s2, s3 held
  });

  it('a start timed before the last count is counted again', async () => {
    const refreshS = 60;
    const key = await item(2, refreshS);
    const t0 = Date.now();
    await start(a, key, 'm1', t0);
    const c = connection();
    const t1 = t0 + refreshS * 1000 + 1;
    expect((await start(c, key, 'm2', t1)).session.mode).toBe('full'); // counted: none held
    // at t1 - 2, m1's lease is live: m1 and m2 hold both seats
    expect((await start(c, key, 'm3', t1 - 2)).session.mode).toBe('limited');
  });

  it('300 concurrent starts on 40 seats, through two connections: exactly 40 full', async () => {
    const key = await item(40);
    const b = connection();
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 300 }, (_, i) => start(i % 3 === 0 ? b : a, key, `c${i}`, now + (i % 7))),
    );
    expect(results.filter((r) => r.session.mode === 'full')).toHaveLength(40);
  });
});
