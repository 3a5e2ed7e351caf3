/**
 * Hostile input against every route the app serves (read from its router): random and
 * schema-shaped bodies with values at and past their limits, raw number literals JSON.stringify
 * cannot write, any-Unicode strings, garbage and huge headers, odd query strings, wrong content
 * types, bodies over 1 MiB. Never a 5xx, never a hang, and every 4xx is {error: {code, message}}.
 */
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/storage/api-token-repository.ts';
import { makeCatalog } from '../portal/fixtures.ts';
import { loginAs, newUser } from '../support/auth.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
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

/** Mostly the schema's own shape with values at and past its limits; sometimes anything at all. */
function fromSchema(s: JsonSchema | undefined, depth = 0): fc.Arbitrary<Json> {
  if (!s || depth > 4) return hostile;
  const alts: fc.Arbitrary<Json>[] = [];
  if (s.anyOf || s.oneOf) alts.push(...(s.anyOf ?? s.oneOf ?? []).map((x) => fromSchema(x, depth + 1)));
  if (s.enum) alts.push(fc.constantFrom(...s.enum));
  if (s.const !== undefined) alts.push(fc.constant(s.const));
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  if (type === 'string') {
    const max = s.maxLength ?? 100;
    alts.push(
      s.format === 'date-time'
        ? isoDates
        : fc.string({ unit: 'binary', minLength: s.minLength ?? 0, maxLength: Math.min(max, 40) }),
      fc.constantFrom('x'.repeat(max), 'x'.repeat(max + 1), '\u0000'.repeat(Math.min(max, 3))),
    );
  }
  if (type === 'integer' || type === 'number') {
    const lo = s.minimum ?? -(2 ** 40);
    const hi = s.maximum ?? 2 ** 40;
    alts.push(
      fc.constantFrom(lo, hi, lo - 1, hi + 1, (lo + hi) / 2 + 0.5),
      fc.integer({ min: Math.max(lo, -(2 ** 31)), max: Math.min(hi, 2 ** 31) }),
    );
  }
  if (type === 'boolean') alts.push(fc.boolean());
  if (type === 'array') {
    alts.push(
      fc.array(fromSchema(s.items, depth + 1), {
        minLength: s.minItems ?? 0,
        maxLength: Math.min(s.maxItems ?? 5, 5),
      }),
    );
    if (s.maxItems !== undefined && s.maxItems < 2000)
      alts.push(fc.constant(Array.from({ length: s.maxItems + 1 }, () => 1)));
  }
  if (type === 'object' || s.properties) {
    const props = s.properties ?? {};
    const req = new Set(s.required ?? []);
    const keys = Object.keys(props);
    alts.push(
      fc
        .tuple(
          fc.record(Object.fromEntries(keys.map((k) => [k, fromSchema(props[k], depth + 1)])), {
            requiredKeys: keys.filter((k) => req.has(k)),
          }),
          fc.option(fc.tuple(anyString, hostile), { freq: 6 }),
        )
        .map(([o, extra]) => (extra ? { ...o, [extra[0]]: extra[1] } : o) as Json),
    );
  }
  alts.push(hostile);
  return fc.oneof(...alts);
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

  beforeAll(async () => {
    t = await createTestApp(dialect.url());
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
    console.log(`[fuzz ${dialect.name}] ${requests} requests over ${routes.length} routes`);
    await t?.close();
  });

  async function send(opts: InjectOptions, label: string): Promise<LightMyRequestResponse> {
    requests++;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, fail) => {
      timer = setTimeout(
        () => fail(new Error(`${label}: no answer in ${REQUEST_TIMEOUT_MS} ms`)),
        REQUEST_TIMEOUT_MS,
      );
    });
    try {
      const res = await Promise.race([t.app.inject(opts), timeout]);
      expect(res.statusCode, `${label} → ${res.statusCode} ${res.body.slice(0, 300)}`).toBeLessThan(500);
      if (res.statusCode >= 400) {
        expect(res.headers['content-type'], label).toMatch(/^application\/json/);
        const body = res.json() as { error?: { code?: unknown; message?: unknown } };
        expect(typeof body.error?.code, `${label}: ${res.body}`).toBe('string');
        expect(typeof body.error?.message, `${label}: ${res.body}`).toBe('string');
      }
      return res;
    } finally {
      clearTimeout(timer);
    }
  }

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
      const request = fc.record({
        auth: fc.constantFrom(...safeAuth),
        garbageAuth: fc.option(
          fc.oneof(
            printable,
            fc
              .constantFrom('Bearer ', 'License ', 'Basic ', 'Bearer x'.padEnd(8000, 'x'))
              .chain((p) => printable.map((s) => p + s)),
          ),
          { freq: 4 },
        ),
        param: fc.oneof(fc.constantFrom(...ids), anyString.map(wellFormed)),
        query: fc.array(
          fc.tuple(
            queryNames.length
              ? fc.oneof(fc.constantFrom(...queryNames.map((q) => q.name)), anyString.map(wellFormed))
              : anyString.map(wellFormed),
            fc.oneof(
              anyString.map(wellFormed),
              isoDates,
              fc.constantFrom('Europe/Paris', 'Not/AZone', 'day', 'hour', 'condensed', '1e308', '-0'),
            ),
          ),
          { maxLength: 5 },
        ),
        body: fc.option(fromSchema(bodySchema), { freq: 8 }),
        literal: fc.option(fc.constantFrom(...rawLiterals), { freq: 4 }),
        contentType: fc.constantFrom(
          'application/json',
          'application/json',
          'application/json',
          'application/json; charset=utf-8',
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
          '',
        ),
        bigHeader: fc.option(
          fc.nat({ max: 8000 }).map((n) => 'h'.repeat(n)),
          { freq: 5 },
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

  it('bodies over 1 MiB get 413, wrong content types 415, broken JSON 400', { timeout: 60_000 }, async () => {
    const big = JSON.stringify({ x: 'a'.repeat(1024 * 1024 + 10) });
    for (const route of routes.filter((r) => r.method === 'POST' || r.method === 'PATCH')) {
      const label = routeKey(route);
      const headers = route.url.includes('/client/') ? auths.licenseScan! : (auths.vendor ?? auths.admin)!;
      const path = fillParams(route.url, { id: ids[0]! });
      const tooBig = await send(
        {
          method: route.method as InjectOptions['method'],
          url: path,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: big,
        },
        label,
      );
      expect(tooBig.statusCode, `${label} ${tooBig.body}`).toBe(413);
      expect(tooBig.json().error.code).toBe('BODY_TOO_LARGE');
      const wrongType = await send(
        {
          method: route.method as InjectOptions['method'],
          url: path,
          headers: { ...headers, 'content-type': 'application/xml' },
          payload: '{"a":1}',
        },
        label,
      );
      expect(wrongType.statusCode, `${label} ${wrongType.body}`).toBe(415);
      const broken = await send(
        {
          method: route.method as InjectOptions['method'],
          url: path,
          headers: { ...headers, 'content-type': 'application/json' },
          payload: '{"a":',
        },
        label,
      );
      expect(broken.statusCode, `${label} ${broken.body}`).toBe(400);
    }
  });
});
