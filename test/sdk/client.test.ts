/** The SDK against a real server on SQLite and PostgreSQL: seats, outages, tampering, the offline queue. */
import { mkdtempSync, readdirSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { base64urlDecode, base64urlEncode } from '../../src/contract/lease.ts';
import { createLeaseSigner, generateKeyPairPem } from '../../src/core/lease-signer.ts';
import { LicstatClient, LicstatClientError, type LicstatClientOptions } from '../../src/sdk/index.ts';
import type { ManualTime } from '../../src/sdk/manual-time.ts';
import { FileQueueStore } from '../../src/sdk/node-queue.ts';
import { createProduct, createProject } from '../../src/storage/catalog-repository.ts';
import { DIALECTS } from '../support/dialects.ts';
import { ledgerByKind, licenseFixture, newTime, startTestServer } from './support.ts';

const MIN = 60_000;

describe.each(DIALECTS)('SDK against a real server on $name', (dialect) => {
  const cleanups: Array<() => Promise<unknown>> = [];
  /** the test server's key, fetched once as a vendor would and pinned by every client() by default */
  let serverKey: string | undefined;
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
    serverKey = undefined;
  });

  async function setup(time: ManualTime) {
    const server = await startTestServer(dialect.url(), time);
    const published = (await (await fetch(`${server.url}/api/v1/client/public-key`)).json()) as {
      publicKeyRaw: string;
    };
    serverKey = published.publicKeyRaw;
    let stopped = false;
    const stop = async () => {
      if (!stopped) {
        stopped = true;
        await server.stop();
      }
    };
    cleanups.push(stop);
    return { server, stop };
  }

  function client(
    time: ManualTime,
    o: Partial<LicstatClientOptions> & Pick<LicstatClientOptions, 'serverUrl' | 'licenseKey'>,
  ) {
    const c = new LicstatClient({
      fingerprint: `fp-${Math.random().toString(36).slice(2)}`,
      email: 'user@example.com',
      version: '1.2.3',
      clock: time,
      timers: time,
      random: () => 0.5,
      publicKey: serverKey,
      ...o,
    });
    cleanups.push(() => c.close({ endSession: false }));
    return c;
  }

  /** Moves shared time (server and clients), letting each client finish what a timer started. */
  const advance = (time: ManualTime, ms: number, ...clients: LicstatClient[]) =>
    time.advance(ms, async () => {
      await new Promise((r) => setTimeout(r, 0));
      for (const c of clients) await c.whenIdle();
    });

  test('renewal keeps a floating seat for hours; ending frees it at once', async () => {
    const time = newTime();
    const { server } = await setup(time);
    const f = await licenseFixture(server.deps.db, time.now(), {
      model: 'multi-user',
      quota: 1,
      refreshIntervalS: 3600,
    });
    const a = client(time, { serverUrl: server.url, licenseKey: f.code });
    const b = client(time, { serverUrl: server.url, licenseKey: f.code });
    const lost: unknown[] = [];
    a.on('lost', (e) => lost.push(e));
    let renewals = 0;
    a.on('renewed', () => renewals++);

    const lease = await a.startSession();
    expect(lease.mode).toBe('full');
    expect(lease.modules).toEqual(['scan', 'ocr']);
    await advance(time, 5 * 3600_000, a);
    // renewed at 65 % of each one-hour lease: 5 h / 39 min
    expect(renewals).toBe(7);
    expect(lost).toEqual([]);
    expect(a.lease?.mode).toBe('full');
    expect(a.lease!.expiresAt.getTime()).toBeGreaterThan(time.now());

    const declined = await b.startSession();
    expect(declined.mode).toBe('limited');
    expect(declined.reason).toBe('ALL_SEATS_IN_USE');
    expect(declined.modules).toEqual([]);

    await a.endSession();
    expect((await b.startSession()).mode).toBe('full');
    const ledger = await ledgerByKind(server.deps.db, f.item.id);
    expect(ledger.checkout?.rows).toBe(2);
    expect(ledger.declined?.rows).toBe(1);
  });

  test('a stopped server does not stop a program with a valid lease; it is lost only at expiry', async () => {
    const time = newTime();
    const { server, stop } = await setup(time);
    const f = await licenseFixture(server.deps.db, time.now(), {
      model: 'multi-user',
      quota: 2,
      refreshIntervalS: 3600,
    });
    const c = client(time, { serverUrl: server.url, licenseKey: f.code });
    const events: string[] = [];
    c.on('offline', () => events.push('offline'));
    c.on('online', () => events.push('online'));
    c.on('renewed', () => events.push('renewed'));
    c.on('lost', (e) => events.push(`lost:${e.reason}`));
    c.on('mode', (e) => events.push(`mode:${e.mode}`));
    const lease = await c.startSession();
    expect(events).toEqual(['mode:full']);

    await stop();
    await advance(time, 59 * MIN, c);
    // renewal attempts failed from minute 39 on; the lease still holds
    expect(events).toEqual(['mode:full', 'offline']);
    expect(c.mode).toBe('full');
    expect(c.hasModule('ocr')).toBe(true);
    expect(c.lease?.sessionId).toBe(lease.sessionId);

    await advance(time, 1 * MIN + 1, c);
    expect(events).toEqual(['mode:full', 'offline', 'lost:expired', 'mode:limited']);
    expect(c.lease).toBeNull();
    expect(c.hasModule('ocr')).toBe(false);
  });

  test('a tampered lease is rejected, and so is a lease signed by another key', async () => {
    const time = newTime();
    const { server } = await setup(time);
    const f = await licenseFixture(server.deps.db, time.now(), { model: 'multi-user', quota: 1 });
    // A man in the middle that turns a declined start into a full one.
    const proxy = await tamperingProxy(server.url, (token) => {
      const [head, sig] = token.split('.') as [string, string];
      const p = JSON.parse(new TextDecoder().decode(base64urlDecode(head)));
      p.mode = 'full';
      p.modules = ['scan', 'ocr'];
      delete p.reason;
      return `${base64urlEncode(new TextEncoder().encode(JSON.stringify(p)))}.${sig}`;
    });
    cleanups.push(() => new Promise((r) => proxy.server.close(r)));
    const holder = client(time, { serverUrl: server.url, licenseKey: f.code });
    await holder.startSession();
    const victim = client(time, {
      serverUrl: proxy.url,
      licenseKey: f.code,
      publicKey: server.deps.signer.publicKeyRaw,
    });
    await expect(victim.startSession()).rejects.toMatchObject({ code: 'LEASE_INVALID' });
    expect(victim.lease).toBeNull();
    expect(victim.mode).toBe('limited');

    const other = generateKeyPairPem();
    const wrongPin = createLeaseSigner('x', other.publicKeyPem, other.privateKeyPem).publicKeyRaw;
    const pinned = client(time, { serverUrl: server.url, licenseKey: f.code, publicKey: wrongPin });
    await expect(pinned.startSession()).rejects.toMatchObject({ code: 'LEASE_INVALID' });

    // a client that trusts the server's key fetches the published one and accepts the genuine lease
    const honest = client(time, {
      serverUrl: server.url,
      licenseKey: f.code,
      publicKey: undefined,
      trustServerKey: true,
    });
    expect((await honest.startSession()).reason).toBe('ALL_SEATS_IN_USE');
    expect(await honest.getPublicKey()).toBe(server.deps.signer.publicKeyRaw);
    expect(await pinned.getPublicKey()).toBe(wrongPin);
  });

  test('usage queued offline survives a restart and is counted once, even when resent', async () => {
    const time = newTime();
    const { server } = await setup(time);
    const f = await licenseFixture(server.deps.db, time.now(), { model: 'per-scan', quota: 1000 });
    const dir = mkdtempSync(join(tmpdir(), 'licstat-sdk-q-'));
    const fingerprint = 'scanner-7';
    const deadUrl = await closedPortUrl();

    // 1. offline: the batch is sealed and on disk, not delivered
    const offline = client(time, {
      serverUrl: deadUrl,
      licenseKey: f.code,
      fingerprint,
      storage: new FileQueueStore(dir),
    });
    offline.reportUsage(5, time.now() - 10 * MIN);
    offline.reportUsage(7, time.now() - 5 * MIN);
    expect(await offline.flushUsage()).toBe(1);
    expect(offline.isOnline).toBe(false);
    await offline.close({ endSession: false });
    expect(readdirSync(dir).filter((n) => n.endsWith('.batch.json'))).toHaveLength(1);

    // 2. a new run delivers it but "crashes" before forgetting it
    const crashing = new FileQueueStore(dir);
    crashing.remove = async () => {
      throw new Error('process died');
    };
    const sent: string[] = [];
    const second = client(time, {
      serverUrl: server.url,
      licenseKey: f.code,
      fingerprint,
      storage: crashing,
    });
    second.on('usage-delivered', (e) => sent.push(`${e.accepted}:${e.duplicate}`));
    await expect(second.resumeUsage()).rejects.toThrow('process died');
    expect(sent).toEqual([]);

    // 3. the next run resends the same batch: the server recognises it
    const third = client(time, {
      serverUrl: server.url,
      licenseKey: f.code,
      fingerprint,
      storage: new FileQueueStore(dir),
    });
    const acks: Array<{ accepted: number; duplicate: boolean; remaining?: number | null }> = [];
    third.on('usage-delivered', (e) =>
      acks.push({ accepted: e.accepted, duplicate: e.duplicate, remaining: e.remaining }),
    );
    expect(await third.resumeUsage()).toBe(0);
    expect(acks).toEqual([{ accepted: 0, duplicate: true, remaining: 988 }]);
    expect(readdirSync(dir)).toEqual([]);
    expect(await third.resumeUsage()).toBe(0);

    const ledger = await ledgerByKind(server.deps.db, f.item.id);
    expect(ledger.scan).toEqual({ rows: 2, sum: 12 });
    const times = await server.deps.db.kysely
      .selectFrom('usage_events')
      .select('at')
      .where('license_item_id', '=', f.item.id)
      .orderBy('at')
      .execute();
    expect(times.map((r) => Number(r.at))).toEqual([time.now() - 10 * MIN, time.now() - 5 * MIN]);
  });

  test('a clock off the server’s: fresh leases accepted, judged by their lifetime, usage stamped in server time', async () => {
    const time = newTime();
    const { server, stop } = await setup(time);
    const skewed = (offset: number) => ({ now: () => time.now() + offset });

    // 10 minutes ahead, with 1-minute leases: the lease is accepted, and usage is not refused
    const meter = await licenseFixture(server.deps.db, time.now(), {
      model: 'per-scan',
      quota: 1000,
      refreshIntervalS: 60,
    });
    const ahead = client(time, { serverUrl: server.url, licenseKey: meter.code, clock: skewed(10 * MIN) });
    const rejected: unknown[] = [];
    ahead.on('usage-rejected', (e) => rejected.push(e));
    expect((await ahead.startSession()).mode).toBe('full');
    expect(Math.abs(ahead.serverNow() - time.now())).toBeLessThan(1000);
    ahead.reportUsage(3);
    expect(await ahead.flushUsage()).toBe(0);
    expect(rejected).toEqual([]);
    expect((await ledgerByKind(server.deps.db, meter.item.id)).scan?.sum).toBe(3);

    // 90 s behind, one seat: with the server gone the lease ends when the server's does, not 90 s later
    const seat = await licenseFixture(server.deps.db, time.now(), {
      model: 'multi-user',
      quota: 1,
      refreshIntervalS: 60,
    });
    const behind = client(time, { serverUrl: server.url, licenseKey: seat.code, clock: skewed(-1.5 * MIN) });
    const lost: string[] = [];
    behind.on('lost', (e) => lost.push(e.reason));
    expect((await behind.startSession()).mode).toBe('full');
    await stop();
    await advance(time, MIN - 1000, behind);
    expect(behind.mode).toBe('full');
    await advance(time, 1001, behind);
    expect(lost).toEqual(['expired']);
    expect(behind.hasModule('ocr')).toBe(false);
  });

  test('usage: one refused event is given up alone; an answer from a proxy keeps the batch for later', async () => {
    const time = newTime();
    const { server } = await setup(time);
    const f = await licenseFixture(server.deps.db, time.now(), { model: 'per-scan', quota: 1000 });
    let proxyAnswers = 1; // the first usage request meets a proxy's HTML 404
    const c = client(time, {
      serverUrl: server.url,
      licenseKey: f.code,
      fetch: async (input, init) => {
        if (String(input).endsWith('/client/usage') && proxyAnswers-- > 0)
          return new Response('<html>404 Not Found</html>', { status: 404 });
        return fetch(input, init);
      },
    });
    const rejected: { counts: number[]; code: string }[] = [];
    c.on('usage-rejected', (e) =>
      rejected.push({ counts: e.events.map((x) => x.count), code: e.error.code }),
    );
    c.reportUsage(3, time.now() - 3 * 24 * 60 * MIN);
    c.reportUsage(4, time.now() - 60 * 24 * 60 * MIN); // before the item's validity
    c.reportUsage(5, time.now());
    expect(await c.flushUsage()).toBe(1); // the proxy's answer: kept, not dropped
    expect(await ledgerByKind(server.deps.db, f.item.id)).toEqual({});
    await advance(time, 10 * MIN, c);
    expect(await c.pendingUsage()).toBe(0);
    expect(rejected).toEqual([{ counts: [4], code: 'EVENT_TIME_OUT_OF_RANGE' }]);
    expect((await ledgerByKind(server.deps.db, f.item.id)).scan).toEqual({ rows: 2, sum: 8 });
  });

  test('a start whose lease cannot be trusted frees its seat', async () => {
    const time = newTime();
    const { server } = await setup(time);
    const f = await licenseFixture(server.deps.db, time.now(), { model: 'multi-user', quota: 1 });
    const other = generateKeyPairPem();
    const wrongPin = createLeaseSigner('x', other.publicKeyPem, other.privateKeyPem).publicKeyRaw;
    const pinned = client(time, { serverUrl: server.url, licenseKey: f.code, publicKey: wrongPin });
    await expect(pinned.startSession()).rejects.toMatchObject({ code: 'LEASE_INVALID' });
    const next = client(time, { serverUrl: server.url, licenseKey: f.code });
    expect((await next.startSession()).mode).toBe('full');
  });

  test('a fake server signing leases with its own key is refused when the real key is pinned', async () => {
    const time = newTime();
    await setup(time); // the real server, whose key the program pins
    const fake = await forgingServer(time);
    cleanups.push(() => new Promise((r) => fake.server.close(r)));
    const pinned = client(time, { serverUrl: fake.url, licenseKey: 'ANY-KEY-AT-ALL' });
    await expect(pinned.startSession()).rejects.toMatchObject({ code: 'LEASE_INVALID' });
    expect(pinned.lease).toBeNull();
    expect(pinned.hasModule('ocr')).toBe(false);
    // what the review showed: a client trusting the answered key takes the forgery for a license
    const trusting = client(time, {
      serverUrl: fake.url,
      licenseKey: 'ANY-KEY-AT-ALL',
      publicKey: undefined,
      trustServerKey: true,
    });
    expect((await trusting.startSession()).mode).toBe('full');
    expect(trusting.hasModule('ocr')).toBe(true);
  });

  test('another product’s key is refused by the server before it records anything; the right product gets full access', async () => {
    const time = newTime();
    const { server } = await setup(time);
    const db = server.deps.db;
    const f = await licenseFixture(db, time.now(), { model: 'multi-user', quota: 1 });
    const other = await licenseFixture(db, time.now(), { model: 'multi-user', quota: 1 });
    expect(other.item.product_id).not.toBe(f.item.product_id);
    const wrongProduct = { code: 'WRONG_PRODUCT', status: 422 };

    const wrong = client(time, {
      serverUrl: server.url,
      licenseKey: f.code,
      productId: other.item.product_id,
    });
    const refused = await wrong.startSession().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(LicstatClientError);
    expect(refused).toMatchObject(wrongProduct);
    expect(wrong.lease).toBeNull();
    expect(wrong.mode).toBe('limited');
    await expect(wrong.activate()).rejects.toMatchObject(wrongProduct);
    await expect(wrong.take()).rejects.toMatchObject(wrongProduct);
    // no session, no activation, no checkout or full access in the ledger
    const rowsOf = async (table: 'sessions' | 'activations') =>
      db.kysely.selectFrom(table).select('id').where('license_item_id', '=', f.item.id).execute();
    expect(await rowsOf('sessions')).toEqual([]);
    expect(await rowsOf('activations')).toEqual([]);
    expect(await ledgerByKind(db, f.item.id)).toEqual({});

    // a single-user code of another product: activate() uses up no license
    const sul = await licenseFixture(db, time.now(), { model: 'single-user', quota: 1 });
    const wrongSul = client(time, {
      serverUrl: server.url,
      licenseKey: sul.code,
      productId: f.item.product_id,
    });
    await expect(wrongSul.activate()).rejects.toMatchObject(wrongProduct);
    const rightSul = client(time, {
      serverUrl: server.url,
      licenseKey: sul.code,
      productId: sul.item.product_id,
    });
    expect((await rightSul.activate()).licenseItemId).toBe(sul.item.id);
    expect((await rightSul.startSession()).mode).toBe('full');

    // metered usage of another product is refused for good, and not counted
    const scan = await licenseFixture(db, time.now(), { model: 'per-scan', quota: 100 });
    const wrongScan = client(time, {
      serverUrl: server.url,
      licenseKey: scan.code,
      productId: f.item.product_id,
    });
    const rejected: string[] = [];
    wrongScan.on('usage-rejected', (e) => rejected.push(e.error.code));
    wrongScan.reportUsage(3);
    expect(await wrongScan.flushUsage()).toBe(0);
    expect(rejected).toEqual(['WRONG_PRODUCT']);
    expect(await ledgerByKind(db, scan.item.id)).toEqual({});

    // the one seat is free: the right product's program starts with full access
    const right = client(time, { serverUrl: server.url, licenseKey: f.code, productId: f.item.product_id });
    const lease = await right.startSession();
    expect(lease.mode).toBe('full');
    expect(lease.productId).toBe(f.item.product_id);
    expect(lease.payload.productId).toBe(f.item.product_id);
    expect(right.hasModule('ocr')).toBe(true);
    const renewed = await right.renew();
    expect(renewed.productId).toBe(f.item.product_id);

    // second line, in the SDK: a renewal that carries another product (the item was moved to it)
    // is refused the same way, and the session ended
    const lost: unknown[] = [];
    right.on('lost', (e) => lost.push(e));
    await server.deps.db.kysely
      .updateTable('license_items')
      .set({ product_id: other.item.product_id })
      .where('id', '=', f.item.id)
      .execute();
    await expect(right.renew()).rejects.toMatchObject({ code: 'WRONG_PRODUCT' });
    expect(lost).toEqual([{ reason: 'refused', code: 'WRONG_PRODUCT', sessionId: lease.sessionId }]);
    expect(right.lease).toBeNull();
    expect(right.hasModule('ocr')).toBe(false);
    const after = await server.deps.db.kysely
      .selectFrom('sessions')
      .select('ended_at')
      .where('id', '=', lease.sessionId)
      .executeTakeFirstOrThrow();
    expect(after.ended_at).not.toBeNull();
  });

  test('a project key with items of two products: each program gets its own product’s item', async () => {
    const time = newTime();
    const { server } = await setup(time);
    const db = server.deps.db;
    // product A's item expires first, so the usage order offers it first, and it has room
    const a = await licenseFixture(db, time.now(), { model: 'multi-user', quota: 5, validToDays: 30 });
    const b = await licenseFixture(db, time.now(), {
      model: 'multi-user',
      quota: 5,
      validToDays: 300,
      organizationId: a.organizationId,
    });
    const project = await createProject(
      db.kysely,
      {
        organizationId: a.organizationId,
        name: 'two products',
        key: `PK-${Math.random().toString(36).slice(2)}`,
        licenseItemIds: [a.item.id, b.item.id],
      },
      time.now(),
    );
    const program = (productId?: string) =>
      client(time, { serverUrl: server.url, licenseKey: project.key, ...(productId ? { productId } : {}) });
    for (let i = 0; i < 2; i++) {
      const forB = await program(b.item.product_id).startSession();
      expect(forB).toMatchObject({ mode: 'full', licenseItemId: b.item.id, productId: b.item.product_id });
      const forA = await program(a.item.product_id).startSession();
      expect(forA).toMatchObject({ mode: 'full', licenseItemId: a.item.id, productId: a.item.product_id });
    }
    // without productId the usage order alone decides
    expect((await program().startSession()).licenseItemId).toBe(a.item.id);
    // a product the project has no item of: refused, nothing recorded
    const before = await db.kysely
      .selectFrom('usage_events')
      .select('id')
      .where('organization_id', '=', a.organizationId)
      .execute();
    const stranger = await createProduct(db.kysely, `Stranger ${Math.random()}`, [], time.now());
    await expect(program(stranger.id).startSession()).rejects.toMatchObject({
      code: 'WRONG_PRODUCT',
      status: 422,
    });
    const after = await db.kysely
      .selectFrom('usage_events')
      .select('id')
      .where('organization_id', '=', a.organizationId)
      .execute();
    expect(after).toHaveLength(before.length);
  });

  test('typed errors carry the contract code', async () => {
    const time = newTime();
    const { server } = await setup(time);
    const f = await licenseFixture(server.deps.db, time.now(), {
      model: 'single-user',
      quota: 1,
      takes: [1, 30],
    });
    const a = client(time, { serverUrl: server.url, licenseKey: f.code });
    const b = client(time, { serverUrl: server.url, licenseKey: f.code });
    await a.activate();
    expect((await a.startSession()).mode).toBe('full');
    expect((await b.startSession()).mode).toBe('limited');
    await expect(b.activate()).rejects.toMatchObject({ code: 'ACTIVATIONS_EXHAUSTED', status: 409 });
    expect((await b.take()).moved).toBe(true);
    await expect(a.take()).rejects.toMatchObject({ code: 'TAKE_DENIED' });
    const nobody = client(time, { serverUrl: server.url, licenseKey: 'NOPE-NOPE-NOPE' });
    await expect(nobody.activate()).rejects.toMatchObject({ code: 'LICENSE_NOT_FOUND', status: 401 });
  });
});

describe('LicstatClient options', () => {
  const keys = generateKeyPairPem();
  const key = createLeaseSigner('k', keys.publicKeyPem, keys.privateKeyPem).publicKeyRaw;
  const base = { licenseKey: 'K7QX-M2PA-9F3D-HT8R-W1ZC', fingerprint: 'fp', email: 'ana@acme.example' };
  const https = 'https://licenses.example.com';

  test('a client needs the pinned server key, unless it opts in to trusting the server', () => {
    expect(() => new LicstatClient({ ...base, serverUrl: https })).toThrow(/publicKey is required/);
    expect(() => new LicstatClient({ ...base, serverUrl: https, trustServerKey: false })).toThrow(
      /publicKey is required/,
    );
    expect(() => new LicstatClient({ ...base, serverUrl: https, trustServerKey: true })).not.toThrow();
    expect(() => new LicstatClient({ ...base, serverUrl: https, publicKey: key })).not.toThrow();
    for (const bad of ['', 'AAAA', 'not base64url!', `${key}AAAA`, keys.publicKeyPem]) {
      expect(() => new LicstatClient({ ...base, serverUrl: https, publicKey: bad }), bad).toThrow(
        /publicKey must be the server's raw Ed25519 key/,
      );
    }
  });

  test('plain http only to loopback, unless allowInsecureHttp', () => {
    const make = (serverUrl: string, allowInsecureHttp?: boolean) =>
      new LicstatClient({ ...base, serverUrl, publicKey: key, allowInsecureHttp });
    for (const url of [
      'http://licenses.example.com',
      'http://10.0.0.5:8080',
      'http://[::2]:8080',
      'http://127.0.0.1.example.com',
      'http://localhost.example.com',
    ]) {
      expect(() => make(url), url).toThrow(/refusing plain http:\/\//);
      expect(() => make(url, true), url).not.toThrow();
    }
    for (const url of [
      'http://127.0.0.1:8080',
      'http://127.8.9.10',
      'http://localhost:8080',
      'http://LOCALHOST/',
      'http://[::1]:8080',
      'https://10.0.0.5',
    ]) {
      expect(() => make(url), url).not.toThrow();
    }
    for (const url of ['licenses.example.com', 'ftp://licenses.example.com', 'file:///etc/passwd']) {
      expect(() => make(url, true), url).toThrow(TypeError);
    }
  });
});

/**
 * A server that is not licstat's but answers like it, signing full leases for any key with a key of
 * its own (a hosts-file redirect or a man in the middle would answer the same).
 */
async function forgingServer(time: ManualTime): Promise<{ server: Server; url: string }> {
  const forger = generateKeyPairPem();
  const signer = createLeaseSigner('forged', forger.publicKeyPem, forger.privateKeyPem);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', async () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/v1/client/public-key') {
        res.end(JSON.stringify({ algorithm: 'Ed25519', keyId: 'forged', publicKeyRaw: signer.publicKeyRaw }));
        return;
      }
      if (req.url === '/api/v1/client/sessions') {
        const { fingerprint } = JSON.parse(body) as { fingerprint: string };
        const expiresAt = new Date(time.now() + 365 * 86_400_000).toISOString();
        const token = await signer.sign({
          v: 1,
          sessionId: 'ses_forged',
          licenseItemId: 'LI-FAKE',
          mode: 'full',
          modules: ['scan', 'ocr'],
          fingerprint,
          issuedAt: new Date(time.now()).toISOString(),
          expiresAt,
        });
        res.statusCode = 201;
        res.end(JSON.stringify({ session: { id: 'ses_forged', mode: 'full' }, lease: { token, expiresAt } }));
        return;
      }
      res.end('{}'); // ends and the rest: "fine"
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

/** A real HTTP proxy that rewrites the lease token in session answers. */
async function tamperingProxy(
  target: string,
  rewrite: (token: string) => string,
): Promise<{ server: Server; url: string }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const up = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (upRes) => {
        const chunks: Buffer[] = [];
        upRes.on('data', (c: Buffer) => chunks.push(c));
        upRes.on('end', () => {
          let body = Buffer.concat(chunks).toString('utf8');
          try {
            const json = JSON.parse(body);
            if (json?.lease?.token) {
              json.lease.token = rewrite(json.lease.token);
              body = JSON.stringify(json);
            }
          } catch {
            // not JSON: pass through
          }
          const headers = { ...upRes.headers, 'content-length': String(Buffer.byteLength(body)) };
          res.writeHead(upRes.statusCode ?? 502, headers);
          res.end(body);
        });
      },
    );
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  return { server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

/** A URL where nothing listens (a port that was just free). */
async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const addr = s.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  await new Promise((r) => s.close(r));
  return `http://127.0.0.1:${port}`;
}
