/**
 * GET /live over a real socket: a subscriber sees sessions started and ended through the client
 * API (on PostgreSQL, through another app instance: LISTEN/NOTIFY), with today's counters.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { LiveSnapshot } from '../../src/contract/live.ts';
import { sha256Hex } from '../../src/core/hash.ts';
import { addItem, auth, newOrg } from '../client/fixtures.ts';
import { bearerAs } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';

/** Reads `snapshot` events of an SSE response. */
async function subscribe(baseUrl: string, query: string, headers: Record<string, string>) {
  const ctrl = new AbortController();
  const res = await fetch(`${baseUrl}/api/v1/live?${query}`, {
    headers: { ...headers, accept: 'text/event-stream' },
    signal: ctrl.signal,
  });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const snapshots: LiveSnapshot[] = [];
  const state = { ended: false };
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          state.ended = true;
          break;
        }
        buf += dec.decode(value, { stream: true });
        let i = buf.indexOf('\n\n');
        while (i >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (block.includes('event: snapshot') && data) snapshots.push(JSON.parse(data.slice(6)));
          i = buf.indexOf('\n\n');
        }
      }
    } catch {
      // aborted
    }
  })();
  const until = async (pred: (s: LiveSnapshot) => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      const hit = snapshots.findLast(pred);
      if (hit) return hit;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no matching snapshot in ${ms} ms (${snapshots.length} received)`);
  };
  return { snapshots, until, state, close: () => ctrl.abort() };
}

async function listen(t: TestApp): Promise<string> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
}

describe.each(DIALECTS)('live activity on $name', (dialect) => {
  let a: TestApp;
  let b: TestApp;
  let baseA: string;
  beforeAll(async () => {
    a = await createTestApp(dialect.url());
    // PostgreSQL: a second app instance on the same database; SQLite: the same app
    b = dialect.name === 'postgres' ? await createTestApp(dialect.url()) : a;
    b.clock.set(a.clock.now());
    baseA = await listen(a);
  });
  afterAll(async () => {
    if (b !== a) await b?.close();
    await a?.close();
  });

  test('sessions started and ended elsewhere appear and disappear; counters follow; scoped to the item', async () => {
    const o = await newOrg(a.deps);
    const { item, code } = await addItem(a.deps, o, { model: 'multi-user', quota: 3 });
    const { item: other, code: otherCode } = await addItem(a.deps, o, { model: 'multi-user', quota: 3 });
    const admin = await bearerAs(a, 'admin', o.org.id);
    const sub = await subscribe(baseA, `licenseItemId=${item.id}&tz=Asia/Kolkata`, admin.headers);
    try {
      const first = await sub.until(() => true);
      expect(first.sessions).toEqual([]);
      expect(first.today.timeZone).toBe('Asia/Kolkata');

      const start = (key: string, email: string) =>
        b.app.inject({
          method: 'POST',
          url: '/api/v1/client/sessions',
          headers: auth(key),
          payload: { fingerprint: `fp-${email}`, email },
        });
      // ann's machine is activated with its name: the view calls it that, as session history does
      await b.app.inject({
        method: 'POST',
        url: '/api/v1/client/activations',
        headers: auth(code.code),
        payload: { fingerprint: 'fp-ann@x.test', hostname: 'ann-laptop' },
      });
      const s1 = (await start(code.code, 'ann@x.test')).json().session as { id: string };
      await start(otherCode.code, 'zed@x.test'); // another item: not in this view
      const seen = await sub.until((s) => s.sessions.some((x) => x.id === s1.id));
      expect(seen.sessions.map((s) => [s.email, s.machine])).toEqual([['ann@x.test', 'ann-laptop']]);
      expect(seen.today.counts).toMatchObject({ checkout: 1, full_access: 1 });

      await b.app.inject({
        method: 'POST',
        url: `/api/v1/client/sessions/${s1.id}/end`,
        headers: auth(code.code),
      });
      const gone = await sub.until((s) => s.sessions.length === 0 && s.today.counts.checkout === 1);
      expect(gone.sessions).toEqual([]);

      // JSON mode (no event-stream Accept): one snapshot; other organizations get 404
      const json = await a.app.inject({
        method: 'GET',
        url: `/api/v1/live?licenseItemId=${other.id}`,
        headers: admin.headers,
      });
      expect(json.statusCode).toBe(200);
      expect((json.json().snapshot as LiveSnapshot).sessions.map((s) => s.email)).toEqual(['zed@x.test']);
      const stranger = await bearerAs(a, 'admin');
      const refused = await a.app.inject({
        method: 'GET',
        url: `/api/v1/live?licenseItemId=${item.id}`,
        headers: stranger.headers,
      });
      expect(refused.statusCode).toBe(404);
      const member = await bearerAs(a, 'member', o.org.id);
      expect(
        (await a.app.inject({ method: 'GET', url: '/api/v1/live', headers: member.headers })).statusCode,
      ).toBe(403);
    } finally {
      sub.close();
    }
  }, 30_000);

  test('a stream ends once its login no longer stands (a revoked token): no snapshot after that', async () => {
    const o = await newOrg(a.deps);
    const { code } = await addItem(a.deps, o, { model: 'multi-user', quota: 3 });
    const admin = await bearerAs(a, 'admin', o.org.id);
    const sub = await subscribe(baseA, '', admin.headers);
    try {
      await sub.until(() => true);
      const token = admin.headers.authorization!.slice('Bearer '.length);
      await a.deps.db.kysely
        .updateTable('api_tokens')
        .set({ revoked_at: a.clock.now() })
        .where('token_hash', '=', sha256Hex(token))
        .execute();
      await new Promise((r) => setTimeout(r, 2_200)); // past the check made before each snapshot
      const before = sub.snapshots.length;
      const started = await b.app.inject({
        method: 'POST',
        url: '/api/v1/client/sessions',
        headers: auth(code.code),
        payload: { fingerprint: 'fp-late', email: 'late@x.test' },
      });
      expect(started.statusCode).toBe(201);
      const deadline = Date.now() + 5_000;
      while (!sub.state.ended && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      expect(sub.state.ended).toBe(true);
      expect(sub.snapshots.slice(before).some((s) => s.sessions.length > 0)).toBe(false);
    } finally {
      sub.close();
    }
  }, 30_000);
});
