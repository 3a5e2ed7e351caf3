/**
 * Delivers the webhook outbox: every `intervalMs` it claims due deliveries (a claim is a
 * conditional update, so two processes never send one at the same time), POSTs each signed body,
 * and records the outcome: 2xx = delivered; otherwise retried with exponential backoff
 * (core/alerts/backoff.ts) until a day after the event, then failed.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { nextAttemptAt } from '../../core/alerts/backoff.ts';
import { SIGNATURE_HEADER, signWebhook } from '../../core/alerts/signature.ts';
import { claimDueDeliveries, recordAttempt } from '../../storage/alerts/webhook-repository.ts';
import type { Deps } from '../types.ts';
import { type OutboxWorker, pollOutbox } from './outbox-poller.ts';
import { guardedLookup, type Resolver, refuseLiteralTarget } from './target-guard.ts';

const CLAIM_MS = 60_000;
const TIMEOUT_MS = 10_000;

export function startWebhookWorker(
  deps: Deps,
  opts: {
    intervalMs?: number;
    onError: (e: unknown) => void;
    autoStart?: boolean;
    /** deliver to loopback/private addresses (default: LICSTAT_WEBHOOK_ALLOW_PRIVATE) */
    allowPrivateTargets?: boolean;
    /** resolves receivers' host names (default: the system's, node:dns lookup) */
    resolve?: Resolver;
  },
): OutboxWorker {
  const allowPrivate = opts.allowPrivateTargets ?? deps.config.webhookAllowPrivate;
  const lookup = guardedLookup(allowPrivate, opts.resolve);

  const runOnce = async (): Promise<number> => {
    const now = deps.clock.now();
    const due = await claimDueDeliveries(deps.db.kysely, now, CLAIM_MS, 20);
    await Promise.all(
      due.map(async (d) => {
        const refused = allowPrivate ? null : refuseLiteralTarget(d.url);
        const started = performance.now();
        const r = refused
          ? { ok: false, status: null, error: refused }
          : await send(d.url, lookup, d.secret, d.body, d.id, d.event_type);
        const durationMs = performance.now() - started;
        const at = deps.clock.now();
        await deps.db.transaction((trx) =>
          recordAttempt(
            trx,
            d.id,
            {
              ...r,
              attempt: d.attempts,
              claimedUntil: d.claimed_until!,
              durationMs,
              nextAttemptAt: r.ok ? null : nextAttemptAt(d.created_at, d.attempts, at),
            },
            at,
          ),
        );
      }),
    );
    return due.length;
  };

  return pollOutbox(runOnce, opts);
}

/**
 * One POST with node:http(s) rather than fetch: only http.request takes the connection's own
 * DNS lookup, which is where the target guard runs. Redirects are not followed (a 3xx is a
 * failed attempt); the answer's body is read and dropped.
 */
function send(
  url: string,
  lookup: LookupFunction,
  secret: string,
  body: string,
  deliveryId: string,
  eventType: string,
): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  const failed = (e: Error) => ({ ok: false, status: null, error: e.message.slice(0, 300) });
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch (e) {
      return resolve(failed(e as Error));
    }
    const client = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : null;
    if (!client) return resolve(failed(new Error(`unsupported scheme ${target.protocol}`)));
    const req = client.request(
      target,
      {
        method: 'POST',
        lookup,
        agent: false,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'licstat-webhooks/1',
          [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(Date.now() / 1000)),
          'x-licstat-delivery': deliveryId,
          'x-licstat-event': eventType,
        },
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        let ended = false;
        res.on('end', () => {
          ended = true;
        });
        res.on('error', () => {}); // seen as a 'close' without 'end'
        res.on('close', () =>
          resolve(
            ended
              ? { ok, status, error: ok ? null : `HTTP ${status}` }
              : { ok: false, status, error: 'the answer was cut off' },
          ),
        );
        res.resume();
      },
    );
    req.on('error', (e) => resolve(failed(e)));
    req.end(body);
  });
}
