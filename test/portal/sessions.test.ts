import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CondensedSessionRow, SessionHistoryRow } from '../../src/contract/portal.ts';
import { newId } from '../../src/core/ids.ts';
import type { SessionsTable } from '../../src/storage/schema.ts';
import { loginAs, loginUser, newUser } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { type Catalog, DAY, makeCatalog, parseCsv } from './fixtures.ts';

const HOUR = 3_600_000;
const NOW = Date.parse('2026-06-15T10:00:00Z');

type S = SessionsTable & { hostname: string | null };

describe.each(DIALECTS)('session history on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url(), NOW);
  });
  afterAll(async () => t.close());

  /** Sessions of every state, in and out of the default window; returns them with their machine name. */
  async function seed(c: Catalog) {
    const db = t.deps.db.kysely;
    const emails = [
      'ann@example.test',
      'bob@example.test',
      'cid@example.test',
      'dee@example.test',
      'Eve@example.test',
    ];
    const acts = new Map<string, { id: string; hostname: string }>();
    for (const email of emails) {
      const id = newId('act');
      const hostname = `host-${email.slice(0, 3)}`;
      // cid's activation was deactivated inside the window; dee's long before it
      const deactivatedAt = email.startsWith('cid')
        ? NOW - 10 * DAY
        : email.startsWith('dee')
          ? NOW - 200 * DAY
          : null;
      await db
        .insertInto('activations')
        .values({
          id,
          organization_id: c.orgId,
          license_item_id: c.items.sul.id,
          activation_code_id: c.codes[0]!.id,
          fingerprint: `fp-${email}`,
          hostname,
          email,
          version: '1.0',
          created_at: NOW - 300 * DAY,
          last_seen_at: NOW - DAY,
          deactivated_at: deactivatedAt,
          deactivated_by: deactivatedAt ? 'admin' : null,
        })
        .execute();
      acts.set(email, { id, hostname });
    }
    const out: S[] = [];
    let n = 0;
    for (const email of emails)
      for (const item of [c.items.sul, c.items.mul, c.items.scan, c.items.hwk])
        for (const program of ['Reader', 'Scanner'])
          for (const kind of ['active', 'closed', 'lazy-expired', 'expired', 'old', 'straddle'] as const) {
            n++;
            if (n % 5 === 0 && kind !== 'active') continue; // vary the mix
            const start =
              kind === 'old'
                ? NOW - 150 * DAY
                : kind === 'straddle'
                  ? NOW - 95 * DAY
                  : NOW - ((n * 37) % 80) * HOUR - n * 1000;
            const lease =
              kind === 'active' ? NOW + HOUR : kind === 'straddle' ? NOW - 80 * DAY : start + HOUR;
            const ended =
              kind === 'closed'
                ? start + ((n * 13) % 50) * 60_000 + 1500
                : kind === 'expired'
                  ? lease
                  : kind === 'old'
                    ? start + HOUR
                    : null;
            const act = item.id === c.items.sul.id ? acts.get(email)! : null;
            const row: S = {
              id: newId('ses'),
              organization_id: c.orgId,
              license_item_id: item.id,
              activation_code_id: null,
              project_id: null,
              activation_id: act?.id ?? null,
              fingerprint: `fp-${email}`,
              email: item.id === c.items.mul.id && email.startsWith('cid') ? 'CID@example.test' : email,
              program,
              version: '2.1',
              mode: 'full',
              reason: null,
              holds_seat: 1,
              started_at: start,
              renewed_at: start,
              lease_expires_at: lease,
              ended_at: ended,
              end_reason:
                kind === 'closed' || kind === 'old' ? 'closed' : kind === 'expired' ? 'expired' : null,
              hostname: act?.hostname ?? null,
            };
            const { hostname: _h, ...dbRow } = row;
            await db.insertInto('sessions').values(dbRow).execute();
            out.push(row);
          }
    return out;
  }

  const endOf = (s: S) => s.ended_at ?? (s.lease_expires_at <= NOW ? s.lease_expires_at : null);
  const active = (s: S) => s.ended_at === null && s.lease_expires_at > NOW;

  function bruteForce(c: Catalog, all: S[], from: number, to: number) {
    const excludedEmails = ['cid@example.test']; // deactivated inside the window (sul item)
    return all.filter(
      (s) =>
        s.license_item_id !== c.items.hwk.id &&
        s.started_at < to &&
        (s.ended_at ?? s.lease_expires_at) >= from &&
        !(s.license_item_id === c.items.sul.id && excludedEmails.includes(s.email.toLowerCase())),
    );
  }

  function fullOrder(rows: S[]) {
    const cmpId = (a: S, b: S) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
    const act = rows.filter(active).sort((a, b) => b.started_at - a.started_at || cmpId(a, b));
    const ended = rows.filter((s) => !active(s)).sort((a, b) => endOf(b)! - endOf(a)! || cmpId(a, b));
    return [...act, ...ended];
  }

  it('full view: active first by start, then ended by end; expired leases end at expiry; deactivated users left out', async () => {
    const c = await makeCatalog(t);
    const all = await seed(c);
    const admin = await loginUser(t, await newUser(t, 'admin', c.orgId, { timeZone: 'Asia/Kathmandu' }));
    // default window: 3 months before the end of today (Kathmandu)
    const ids: string[] = [];
    const got: SessionHistoryRow[] = [];
    const leftOut: object[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: {
        statusCode: number;
        body: string;
        json(): { rows: SessionHistoryRow[]; nextCursor: string | null; leftOut: object };
      } = await t.app.inject({
        url: `/api/v1/sessions?view=full&limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        headers: admin.headers,
      });
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      leftOut.push(body.leftOut);
      got.push(...body.rows);
      ids.push(...body.rows.map((x: SessionHistoryRow) => x.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 100);
    const from = Date.parse('2026-03-16T00:00:00+05:45');
    const to = Date.parse('2026-06-16T00:00:00+05:45');
    const want = fullOrder(bruteForce(c, all, from, to));
    expect(want.length).toBeGreaterThan(30);
    expect(want.some((s) => s.started_at < from)).toBe(true); // a straddling session is included
    expect(ids).toEqual(want.map((s) => s.id));
    // the deactivated-user rule: cid's sul sessions exist in the window but are left out; dee's stay
    const sul = c.items.sul.id;
    expect(
      all.some((s) => s.email === 'cid@example.test' && s.license_item_id === sul && s.started_at >= from),
    ).toBe(true);
    expect(got.some((r) => r.email === 'cid@example.test' && r.licenseItemId === sul)).toBe(false);
    expect(got.some((r) => r.email === 'dee@example.test' && r.licenseItemId === sul)).toBe(true);
    // and every page says what the rule left out: cid, with each of cid's sul sessions in the window
    const cidInWindow = all.filter(
      (s) =>
        s.email === 'cid@example.test' &&
        s.license_item_id === sul &&
        s.started_at < to &&
        (s.ended_at ?? s.lease_expires_at) >= from,
    ).length;
    expect(cidInWindow).toBeGreaterThan(0);
    expect(new Set(leftOut.map((x) => JSON.stringify(x)))).toEqual(
      new Set([JSON.stringify({ users: 1, sessions: cidInWindow })]),
    );
    expect(got.some((r) => r.licenseItemId === c.items.hwk.id)).toBe(false);
    expect(new Set(got.map((r) => r.status))).toEqual(new Set(['active', 'closed', 'expired']));
    for (const [i, row] of got.entries()) {
      const s = want[i]!;
      expect(Date.parse(row.time)).toBe(s.started_at);
      expect(row.time.endsWith('+05:45')).toBe(true);
      const end = endOf(s);
      expect(row.durationSeconds).toBe(Math.floor(((end ?? NOW) - s.started_at) / 1000));
      expect(row.status).toBe(active(s) ? 'active' : s.end_reason === 'closed' ? 'closed' : 'expired');
      expect(row.machine).toBe(s.hostname ?? s.fingerprint);
      expect(row).toMatchObject({ program: s.program, email: s.email, version: s.version });
    }

    // CSV of the full view: same rows, same order
    const csv = await t.app.inject({ url: '/api/v1/sessions.csv?view=full', headers: admin.headers });
    expect(csv.statusCode).toBe(200);
    const [header, ...lines] = parseCsv(csv.body);
    expect(header).toEqual(['Time', 'Program', 'Version', 'Email', 'Machine', 'Duration', 'Status']);
    expect(lines).toEqual(
      got.map((r) => [
        r.time,
        r.program,
        r.version ?? '',
        r.email,
        r.machine,
        String(r.durationSeconds),
        r.status,
      ]),
    );

    // an explicit window reaching back includes the old sessions too
    const wide = await t.app.inject({
      url: '/api/v1/sessions?view=full&from=2025-12-01&to=2026-07-01&limit=1000',
      headers: admin.headers,
    });
    const wideWant = fullOrder(
      bruteForce(c, all, Date.parse('2025-12-01T00:00:00+05:45'), Date.parse('2026-07-01T00:00:00+05:45')),
    );
    expect(wide.json().rows.map((r: SessionHistoryRow) => r.id)).toEqual(wideWant.map((s) => s.id));
    expect(wideWant.length).toBeGreaterThan(want.length);
  });

  it('condensed view: per program and email, ascending, totals equal brute force', async () => {
    const c = await makeCatalog(t);
    const all = await seed(c);
    const admin = await loginAs(t, 'admin', c.orgId);
    const r = await t.app.inject({
      url: '/api/v1/sessions?view=condensed&from=2026-01-01&to=2026-07-01',
      headers: admin.headers,
    });
    expect(r.statusCode, r.body).toBe(200);
    const tz = admin.user.time_zone;
    expect(tz).toBe('UTC');
    const rows = bruteForce(c, all, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2026-07-01T00:00:00Z'));
    const groups = new Map<string, CondensedSessionRow & { ms: number }>();
    for (const s of rows) {
      const k = `${s.program}\u0000${s.email}`;
      const g = groups.get(k) ?? {
        program: s.program,
        email: s.email,
        durationSeconds: 0,
        sessions: 0,
        ms: 0,
      };
      g.ms += (endOf(s) ?? NOW) - s.started_at;
      g.sessions++;
      groups.set(k, g);
    }
    const want = [...groups.values()]
      .map(({ ms, ...g }) => ({ ...g, durationSeconds: Math.floor(ms / 1000) }))
      .sort((a, b) => (a.email < b.email ? -1 : a.email > b.email ? 1 : a.program < b.program ? -1 : 1));
    expect(r.json().rows).toEqual(want);
    expect(want[0]!.email).toBe('CID@example.test'); // code-point order: upper case first

    const csv = await t.app.inject({
      url: '/api/v1/sessions.csv?view=condensed&from=2026-01-01&to=2026-07-01',
      headers: admin.headers,
    });
    const [header, ...lines] = parseCsv(csv.body);
    expect(header).toEqual(['Program', 'Email', 'Duration', 'Sessions']);
    expect(lines).toEqual(
      want.map((g) => [g.program, g.email, String(g.durationSeconds), String(g.sessions)]),
    );
  });

  it('refuses members, other organizations and anonymous callers; validates the window', async () => {
    const c = await makeCatalog(t);
    const member = await loginAs(t, 'member', c.orgId);
    const stranger = await loginAs(t, 'admin');
    const admin = await loginAs(t, 'admin', c.orgId);
    for (const url of ['/api/v1/sessions', '/api/v1/sessions.csv', '/api/v1/sessions?view=condensed']) {
      expect((await t.app.inject({ url, headers: member.headers })).statusCode).toBe(403);
      expect((await t.app.inject({ url })).statusCode).toBe(401);
      const sep = url.includes('?') ? '&' : '?';
      expect(
        (await t.app.inject({ url: `${url}${sep}organizationId=${c.orgId}`, headers: stranger.headers }))
          .statusCode,
      ).toBe(404);
    }
    const bad = await t.app.inject({
      url: '/api/v1/sessions?from=2026-05-01&to=2026-04-01',
      headers: admin.headers,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_PERIOD');
    // a cursor this server could not have written is a 400, never a database error (bigint, NUL)
    const forged = (c: object) => Buffer.from(JSON.stringify(c)).toString('base64url');
    for (const cursor of [
      'nope',
      forged({ phase: 'e', t: 1e300, id: 'a' }),
      forged({ phase: 'e', t: 1.5, id: 'a' }),
      forged({ phase: 'a', t: 1, id: 'a\u0000b' }),
      forged({ phase: 'a', t: 1, id: 'x'.repeat(500) }),
    ]) {
      const r = await t.app.inject({ url: `/api/v1/sessions?cursor=${cursor}`, headers: admin.headers });
      expect([r.statusCode, r.json().error.code], cursor).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect(
      (await t.app.inject({ url: '/api/v1/sessions?tz=Mars/Base', headers: admin.headers })).statusCode,
    ).toBe(400);
  });
});
