/** Figure 1: session start + renew over HTTP, 50 connections, against a bare Fastify hello-world. */
import type { Db } from '../../src/storage/db.ts';
import type { Figure } from '../lib/figure.ts';
import { benchItem, benchOrg } from '../lib/fixtures.ts';
import { load } from '../lib/load.ts';
import type { Child } from '../lib/proc.ts';

export async function clientSessions(
  db: Db,
  server: Child,
  hello: Child,
  seconds: number,
): Promise<Figure[]> {
  const now = Date.now();
  const org = await benchOrg(db, now);
  const { code } = await benchItem(db, org, 'multi-user', 10_000_000, now);

  const base = await load({ url: `${hello.url}/hello`, method: 'POST', connections: 50, duration: seconds });

  let n = 0;
  const lic = await load({
    url: server.url,
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
  });
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
  ];
}
