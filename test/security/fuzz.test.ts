/**
 * Hostile input against every route the app serves (read from its router): random and
 * schema-shaped bodies with values at and past their limits, raw number literals JSON.stringify
 * cannot write, any-Unicode strings, garbage and huge headers, odd query strings, wrong content
 * types, bodies over 1 MiB. Never a 5xx, never a hang, and every 4xx is {error: {code, message}}.
 */
import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import { createDeps } from '../../src/server/start.ts';
import { createApiToken } from '../../src/storage/api-token-repository.ts';
import { makeCatalog } from '../portal/fixtures.ts';
import { loginAs, newUser } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import type { TestApp } from '../support/test-app.ts';
import { type Answer, injectAnswer } from './support/inject.ts';
import { fillParams, listRoutes, type RouteRef, routeKey } from './support/routes.ts';

const RUNS_PER_ROUTE = 30;
const REQUEST_TIMEOUT_MS = 10_000;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: Json[];
  const?: Json;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
}
interface Operation {
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  parameters?: { in: string; name: string; schema?: JsonSchema }[];
}

// --- hostile values ---------------------------------------------------------------------------
const nastyStrings = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  'NaN',
  'Infinity',
  '-0',
  '1e308',
  '9007199254740993',
  '../../etc/passwd',
  '%00',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '=SUM(A1)',
  '\u202e\u200b\ufeff',
  '𝕏'.repeat(300),
  '\ud800',
  'LI-00001',
  '__proto__',
  'constructor',
];
const nastyNumbers = [
  0,
  -0,
  -1,
  1.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 31,
  2 ** 32,
  2 ** 53 + 1,
  Number.MAX_SAFE_INTEGER,
  -Number.MAX_SAFE_INTEGER,
];
/** number literals JSON.stringify never writes, spliced into the body text */
const rawLiterals = [
  '1e309',
  '-1e309',
  '-0',
  '9007199254740993',
  '1E+400',
  '0.0000000000000000001',
  'NaN',
  'Infinity',
  '00012',
  '-',
  '1.',
];

const anyString = fc.oneof(
  fc.constantFrom(...nastyStrings),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.nat({ max: 5000 }).map((n) => 'x'.repeat(n)),
);
const anyNumber = fc.oneof(fc.constantFrom(...nastyNumbers), fc.double(), fc.integer());
const { hostile } = fc.letrec<{ hostile: Json }>((tie) => ({
  hostile: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyString,
    anyNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('hostile'), { maxLength: 4 }),
    fc.dictionary(anyString, tie('hostile'), { maxKeys: 4 }),
  ),
}));

const isoDates = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc.constantFrom(
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '+275760-09-13T00:00:00.000Z',
    '2026-02-30T00:00:00Z',
    '2026-11-25T10:00:00+14:00',
    '2026-11-25',
    '2026-11-25T25:61:61Z',
  ),
);

/** null most of the time, `arb` in `pct` percent of cases */
const sometimes = <T>(arb: fc.Arbitrary<T>, pct: number): fc.Arbitrary<T | null> =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 100 - pct }, { arbitrary: arb, weight: pct });

/**
 * Mostly values the schema accepts (so requests reach the handlers and the database), some at
 * and past its limits, a few anything at all.
 */
function fromSchema(s: JsonSchema | undefined, depth = 0): fc.Arbitrary<Json> {
  if (!s || depth > 4) return hostile;
  const valid: fc.Arbitrary<Json>[] = [];
  const edge: fc.Arbitrary<Json>[] = [];
  if (s.anyOf || s.oneOf) valid.push(...(s.anyOf ?? s.oneOf ?? []).map((x) => fromSchema(x, depth + 1)));
  if (s.enum) valid.push(fc.constantFrom(...s.enum));
  if (s.const !== undefined) valid.push(fc.constant(s.const));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'string') {
    const max = s.maxLength ?? 100;
    const min = Math.min(s.minLength ?? 0, max);
    valid.push(
      s.format === 'date-time'
        ? isoDates
        : fc.oneof(
            fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.min(max, 40) }),
            fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, 40) }),
          ),
    );
    edge.push(fc.constantFrom('x'.repeat(max), 'x'.repeat(max + 1), `a${'\u0000'.repeat(Math.min(max, 3))}`));
  }
  if (type === 'integer' || type === 'number') {
    const lo = s.minimum ?? -(2 ** 40);
    const hi = s.maximum ?? 2 ** 40;
    valid.push(fc.integer({ min: Math.max(lo, -(2 ** 31)), max: Math.min(hi, 2 ** 31) }));
    edge.push(fc.constantFrom(lo, hi, lo - 1, hi + 1, (lo + hi) / 2 + 0.5));
  }
  if (type === 'boolean') valid.push(fc.boolean());
  if (type === 'array') {
    valid.push(
      fc.array(fromSchema(s.items, depth + 1), {
        minLength: s.minItems ?? 0,
        maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 5, 5)),
      }),
    );
    if (s.maxItems !== undefined && s.maxItems < 2000)
      edge.push(fc.constant(Array.from({ length: s.maxItems + 1 }, () => 1)));
  }
  if (type === 'object' || s.properties) {
    const props = s.properties ?? {};
    const req = new Set(s.required ?? []);
    const keys = Object.keys(props);
    valid.push(
      fc
        .tuple(
          fc.record(Object.fromEntries(keys.map((k) => [k, fromSchema(props[k], depth + 1)])), {
            requiredKeys: keys.filter((k) => req.has(k)),
          }),
          sometimes(fc.tuple(anyString, hostile), 10),
        )
        .map(([o, extra]) => (extra ? { ...o, [extra[0]]: extra[1] } : o) as Json),
    );
  }
  return fc.oneof(
    ...(valid.length ? [{ arbitrary: fc.oneof(...valid), weight: 12 }] : []),
    ...(edge.length ? [{ arbitrary: fc.oneof(...edge), weight: 2 }] : []),
    { arbitrary: hostile, weight: 1 },
  );
}

function spliceLiteral(text: string, literal: string): string {
  const m = /([:[,])(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text);
  return m ? `${text.slice(0, m.index)}${m[1]}${literal}${text.slice(m.index + m[0].length)}` : text;
}

/** lone surrogates cannot be %-encoded; UTF-8 round-tripping replaces them */
const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8');
const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 200,
});

// --- the sweep --------------------------------------------------------------------------------
describe.each(DIALECTS)('hostile input on $name', (dialect) => {
  let t: TestApp;
  let ids: string[] = [];
  let auths: Record<string, Record<string, string>> = {};
  let routes: RouteRef[] = [];
  const ops: Record<string, Operation> = {};
  let requests = 0;
  const byStatus: Record<string, number> = {};
  let errorLog = '';

  beforeAll(async () => {
    // createTestApp, plus a log of server errors so a 5xx shows its cause
    const clock = new ManualClock(Date.now());
    const deps = await createDeps(loadConfig({ DATABASE_URL: dialect.url(), LOG_LEVEL: 'silent' }), clock);
    const stream = new Writable({
      write(chunk, _enc, done) {
        errorLog = `${errorLog}${String(chunk)}`.slice(-4000);
        done();
      },
    });
    const app = await buildApp(deps, { webDist: '/nonexistent', logger: { level: 'error', stream } });
    await app.ready();
    t = {
      app,
      deps,
      clock,
      close: async () => {
        await app.close();
        await deps.db.close();
      },
    };
    const c = await makeCatalog(t);
    const admin = await loginAs(t, 'admin', c.orgId);
    const member = await loginAs(t, 'member', c.orgId);
    const victim = await newUser(t, 'member', c.orgId);
    const adminTok = await createApiToken(t.deps.db.kysely, admin.user.id, 'fuzz', t.clock.now());
    // A live activation and a session, so their ids reach the handlers too.
    const code = c.codes[0]!.code;
    const act = await t.app.inject({
      method: 'POST',
      url: '/api/v1/client/activations',
      headers: { authorization: `License ${code}` },
      payload: { fingerprint: 'fp-1' },
    });
    const ses = await t.app.inject({
      method: 'POST',
      url: '/api/v1/client/sessions',
      headers: { authorization: `License ${c.codes[2]!.code}` },
      payload: { fingerprint: 'fp-2', email: 'e@x.test' },
    });
    ids = [
      c.orgId,
      c.projectId,
      ...Object.values(c.items).map((i) => i.id),
      ...c.codes.map((x) => x.id),
      c.items.sul.order_id,
      c.items.sul.product_id,
      victim.id,
      act.json().activation.id,
      ses.json().session.id,
    ];
    auths = {
      none: {},
      admin: admin.headers,
      adminBearer: { authorization: `Bearer ${adminTok.token}` },
      adminNoCsrf: { cookie: admin.cookie },
      member: member.headers,
      license: { authorization: `License ${code}` },
      licenseMul: { authorization: `License ${c.codes[2]!.code}` },
      licenseScan: { authorization: `License ${c.codes[4]!.code}` },
      licenseHwk: { authorization: `License ${c.codes[3]!.code}` },
    };
    // Vendor writes with no organization scope would reach other people's data on the shared
    // PostgreSQL database; the vendor only fuzzes a private SQLite database.
    if (dialect.name === 'sqlite') {
      const vendor = await newUser(t, 'vendor');
      const vt = await createApiToken(t.deps.db.kysely, vendor.id, 'fuzz', t.clock.now());
      auths.vendor = { authorization: `Bearer ${vt.token}` };
    }
    routes = listRoutes(t.app);
    const spec = t.app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
    for (const r of routes) {
      const p = spec.paths[r.url.replace(/:(\w+)/g, '{$1}')];
      ops[routeKey(r)] = p?.[r.method.toLowerCase()] ?? {};
    }
  }, 60_000);
  afterAll(async () => {
    console.log(
      `[fuzz ${dialect.name}] ${requests} requests over ${routes.length} routes; by status ${JSON.stringify(byStatus)}`,
    );
    await t?.close();
  });

  async function send(opts: InjectOptions, label: string): Promise<Answer> {
    requests++;
    const res = await injectAnswer(t.app, opts, REQUEST_TIMEOUT_MS, label);
    byStatus[res.statusCode] = (byStatus[res.statusCode] ?? 0) + 1;
    expect(
      res.statusCode,
      `${label} → ${res.statusCode} ${res.body.slice(0, 300)}\n${errorLog}`,
    ).toBeLessThan(500);
    if (res.statusCode >= 400) {
      expect(res.headers['content-type'], label).toMatch(/^application\/json/);
      const body = res.json() as { error?: { code?: unknown; message?: unknown } };
      expect(typeof body.error?.code, `${label}: ${res.body}`).toBe('string');
      expect(typeof body.error?.message, `${label}: ${res.body}`).toBe('string');
    }
    return res;
  }

  it('every query parameter at ±Infinity, NaN or the ends of time, and number fields at 1e400, answer without a 5xx', {
    timeout: 60_000,
  }, async () => {
    for (const route of routes) {
      const op = ops[routeKey(route)]!;
      const headers = route.url.includes('/client/') ? auths.licenseScan! : (auths.vendor ?? auths.admin)!;
      const path = fillParams(route.url, { id: ids[1]! });
      for (const q of (op.parameters ?? []).filter((p) => p.in === 'query'))
        for (const v of [
          'Infinity',
          '-Infinity',
          '1e400',
          'NaN',
          '-0',
          '9007199254740993',
          '-271821-04-20T00:00:00.000Z',
          '%2B275760-09-13T00:00:00.000Z',
          '0000-01-01',
        ]) {
          await send(
            { method: route.method as InjectOptions['method'], url: `${path}?${q.name}=${v}`, headers },
            `${routeKey(route)}?${q.name}=${v}`,
          );
        }
      const props = op.requestBody?.content?.['application/json']?.schema?.properties ?? {};
      for (const [name, schema] of Object.entries(props))
        if (schema.type === 'integer' || schema.type === 'number')
          for (const literal of ['1e400', '-1e400', '-0', '9007199254740993'])
            await send(
              {
                method: route.method as InjectOptions['method'],
                url: path,
                headers: { ...headers, 'content-type': 'application/json' },
                payload: `{"${name}":${literal}}`,
              },
              `${routeKey(route)} {${name}: ${literal}}`,
            );
    }
  });

  it('bodies over 1 MiB get 413, wrong content types 415, broken JSON 400', { timeout: 60_000 }, async () => {
    const big = JSON.stringify({ x: 'a'.repeat(1024 * 1024 + 10) });
    for (const route of routes.filter((r) => r.method === 'POST' || r.method === 'PATCH')) {
      const label = routeKey(route);
      const headers = route.url.includes('/client/') ? auths.licenseScan! : (auths.vendor ?? auths.admin)!;
      const path = fillParams(route.url, { id: ids[0]! });
      for (const [contentType, payload, status, code] of [
        ['application/json', big, 413, 'BODY_TOO_LARGE'],
        ['application/xml', '{"a":1}', 415, 'UNSUPPORTED_MEDIA_TYPE'],
        ['application/json', '{"a":', 400, 'INVALID_JSON'],
      ] as const) {
        const res = await send(
          {
            method: route.method as InjectOptions['method'],
            url: path,
            headers: { ...headers, 'content-type': contentType },
            payload,
          },
          label,
        );
        expect(res.statusCode, `${label} ${res.body}`).toBe(status);
        expect(res.json().error.code, label).toBe(code);
      }
    }
  });

  // Runs last: the vendor's random requests may delete the codes, items and orders the tests
  // above authenticate with (a deleted key is a 401 before any body is read).
  it('every route: random requests never get a 5xx or hang, 4xx keep the error shape', {
    timeout: 240_000,
  }, async () => {
    expect(routes.length).toBeGreaterThan(40);
    const authNames = Object.keys(auths);
    for (const route of routes) {
      const op = ops[routeKey(route)]!;
      // Logging out would end the shared admin session; that route gets anonymous garbage only.
      const safeAuth = route.url.endsWith('/auth/logout') ? ['none'] : authNames;
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const queryNames = (op.parameters ?? []).filter((p) => p.in === 'query');
      const client = route.url.startsWith('/api/v1/client/');
      const preferred = safeAuth.filter((n) =>
        client ? n.startsWith('license') : n !== 'none' && !n.startsWith('license'),
      );
      const request = fc.record({
        auth: fc.oneof(
          { arbitrary: fc.constantFrom(...(preferred.length ? preferred : safeAuth)), weight: 6 },
          { arbitrary: fc.constantFrom(...safeAuth), weight: 1 },
        ),
        garbageAuth: sometimes(
          fc.oneof(
            printable,
            fc
              .constantFrom('Bearer ', 'License ', 'Basic ', 'Bearer x'.padEnd(8000, 'x'))
              .chain((p) => printable.map((s) => p + s)),
          ),
          10,
        ),
        param: fc.oneof(fc.constantFrom(...ids), anyString.map(wellFormed)),
        query: fc.array(
          fc.tuple(
            queryNames.length
              ? fc.oneof(
                  { arbitrary: fc.constantFrom(...queryNames.map((q) => q.name)), weight: 4 },
                  { arbitrary: anyString.map(wellFormed), weight: 1 },
                )
              : anyString.map(wellFormed),
            fc.oneof(
              anyString.map(wellFormed),
              isoDates,
              fc.constantFrom(...ids),
              fc.constantFrom(
                'Europe/Paris',
                'Not/AZone',
                'day',
                'hour',
                'full',
                'condensed',
                '1e308',
                '-0',
                '10',
              ),
            ),
          ),
          { maxLength: 4 },
        ),
        body: sometimes(fromSchema(bodySchema), 90),
        literal: sometimes(fc.constantFrom(...rawLiterals), 10),
        contentType: fc.oneof(
          { arbitrary: fc.constantFrom('application/json', 'application/json; charset=utf-8'), weight: 8 },
          {
            arbitrary: fc.constantFrom(
              'text/plain',
              'application/x-www-form-urlencoded',
              'multipart/form-data; boundary=x',
              'application/xml',
              '',
            ),
            weight: 1,
          },
        ),
        bigHeader: sometimes(
          fc.nat({ max: 8000 }).map((n) => 'h'.repeat(n)),
          15,
        ),
      });
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const path = fillParams(route.url, { id: r.param });
          const qs = r.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
          const headers: Record<string, string> = { ...auths[r.auth] };
          if (r.garbageAuth !== null) headers.authorization = r.garbageAuth;
          if (r.bigHeader !== null) headers['x-padding'] = r.bigHeader;
          let payload: string | undefined;
          if (r.body !== null) {
            payload = JSON.stringify(r.body) ?? 'null';
            if (r.literal !== null) payload = spliceLiteral(payload, r.literal);
            if (r.contentType) headers['content-type'] = r.contentType;
          }
          await send(
            {
              method: route.method as InjectOptions['method'],
              url: qs ? `${path}?${qs}` : path,
              headers,
              ...(payload !== undefined ? { payload } : {}),
            },
            `${routeKey(route)} ${JSON.stringify(r).slice(0, 400)}`,
          );
        }),
        { numRuns: RUNS_PER_ROUTE, endOnFailure: true },
      );
    }
  });
});
