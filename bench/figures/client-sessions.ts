/**
 * Figure 1: session start + renew over HTTP, 50 connections, against a bare Fastify hello-world
 * (the target's baseline) and, as a second reference, against the durable floor
 * (bench/durable-floor-server.ts: one group-committed SQLite write and one Ed25519 signature per
 * request) driven by the same requests.
 */
import type { Db } from '../../src/storage/db.ts';
import type { Figure } from '../lib/figure.ts';
import { benchItem, benchOrg } from '../lib/fixtures.ts';
import { load } from '../lib/load.ts';
import type { Child } from '../lib/proc.ts';

export async function clientSessions(
  db: Db,
  server: Child,
  hello: Child,
  floor: Child,
  seconds: number,
): Promise<Figure[]> {
  const now = Date.now();
  const org = await benchOrg(db, now);
  const { code } = await benchItem(db, org, 'multi-user', 10_000_000, now);

  const base = await load({ url: `${hello.url}/hello`, method: 'POST', connections: 50, duration: seconds });

  const lic = await load(startAndRenew(server.url, code, seconds));
  const floorRun = await load(startAndRenew(floor.url, code, seconds));
  const ratio = lic.reqPerSec / base.reqPerSec;
  return [
    {
      name: 'Client session start + renew (req/s)',
      value: lic.reqPerSec,
      unit: 'req/s',
      baseline: { name: 'bare Fastify hello-world', value: base.reqPerSec, unit: 'req/s' },
      ratio,
      target: '≥ 40% of baseline',
      met: ratio >= 0.4,
      note: `p50 ${lic.p50} ms, p99 ${lic.p99} ms (baseline p50 ${base.p50} ms, p99 ${base.p99} ms); ${lic.non2xx} non-2xx, ${lic.errors} errors of ${lic.requests}`,
    },
    {
      name: 'Client session start + renew against the durable floor (req/s)',
      value: lic.reqPerSec,
      unit: 'req/s',
      baseline: {
        name: 'bare Fastify, one group-committed SQLite write + one Ed25519 signature per request',
        value: floorRun.reqPerSec,
        unit: 'req/s',
      },
      ratio: lic.reqPerSec / floorRun.reqPerSec,
      note: `floor p50 ${floorRun.p50} ms, p99 ${floorRun.p99} ms; ${floorRun.non2xx} non-2xx, ${floorRun.errors} errors of ${floorRun.requests}; the floor's ratio to hello-world: ${(floorRun.reqPerSec / base.reqPerSec).toFixed(2)}`,
    },
  ];
}

/** The benchmark's requests: a start, then a renewal of the session it returned, per connection. */
function startAndRenew(url: string, code: string, seconds: number): Parameters<typeof load>[0] {
  let n = 0;
  return {
    url,
    connections: 50,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/client/sessions',
        headers: { authorization: `License ${code}`, 'content-type': 'application/json' },
        setupRequest: (req) => {
          n++;
          return {
            ...req,
            body: JSON.stringify({ fingerprint: `fp-${n % 5000}`, email: `u${n % 500}@example.com` }),
          };
        },
        onResponse: (_status, body, context) => {
          const ctx = context as { sid?: string };
          try {
            ctx.sid = JSON.parse(body).session.id;
          } catch {
            ctx.sid = 'missing';
          }
        },
      },
      {
        method: 'POST',
        headers: { authorization: `License ${code}` },
        setupRequest: (req, context) => ({
          ...req,
          path: `/api/v1/client/sessions/${(context as { sid?: string }).sid}/renew`,
        }),
      },
    ],
  };
}
