/**
 * Delivers the webhook outbox: every `intervalMs` it claims due deliveries (a claim is a
 * conditional update, so two processes never send one at the same time), POSTs each signed body,
 * and records the outcome: 2xx = delivered; otherwise retried with exponential backoff
 * (core/alerts/backoff.ts) until a day after the event, then failed.
 */
import { nextAttemptAt } from '../../core/alerts/backoff.ts';
import { SIGNATURE_HEADER, signWebhook } from '../../core/alerts/signature.ts';
import { claimDueDeliveries, recordAttempt } from '../../storage/alerts/webhook-repository.ts';
import type { Deps } from '../types.ts';
import { refuseTarget } from './target-guard.ts';

const CLAIM_MS = 60_000;
const TIMEOUT_MS = 10_000;

export interface WebhookWorker {
  /** one pass: claims and sends what is due; resolves with the number of attempts made */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function startWebhookWorker(
  deps: Deps,
  opts: {
    intervalMs?: number;
    onError: (e: unknown) => void;
    autoStart?: boolean;
    /** deliver to loopback/private addresses (default: LICSTAT_WEBHOOK_ALLOW_PRIVATE) */
    allowPrivateTargets?: boolean;
  },
): WebhookWorker {
  let stopped = false;
  let current: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const allowPrivate = opts.allowPrivateTargets ?? deps.config.webhookAllowPrivate;

  const runOnce = async (): Promise<number> => {
    const now = deps.clock.now();
    const due = await claimDueDeliveries(deps.db.kysely, now, CLAIM_MS, 20);
    await Promise.all(
      due.map(async (d) => {
        const refused = allowPrivate ? null : await refuseTarget(d.url).catch((e: Error) => e.message);
        const r = refused
          ? { ok: false, status: null, error: refused }
          : await send(d.url, d.secret, d.body, d.id, d.event_type);
        const at = deps.clock.now();
        await recordAttempt(
          deps.db.kysely,
          d.id,
          { ...r, nextAttemptAt: r.ok ? null : nextAttemptAt(d.created_at, d.attempts, at) },
          at,
        );
      }),
    );
    return due.length;
  };

  const loop = () => {
    if (stopped) return;
    current = runOnce()
      .catch((e) => {
        opts.onError(e);
        return 0;
      })
      .finally(() => {
        current = null;
        if (!stopped) timer = setTimeout(loop, opts.intervalMs ?? 1000);
      });
  };
  if (opts.autoStart !== false) timer = setTimeout(loop, opts.intervalMs ?? 1000);

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}

async function send(
  url: string,
  secret: string,
  body: string,
  deliveryId: string,
  eventType: string,
): Promise<{ ok: boolean; status: number | null; error: string | null }> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'licstat-webhooks/1',
        [SIGNATURE_HEADER]: signWebhook(secret, body, Math.floor(Date.now() / 1000)),
        'x-licstat-delivery': deliveryId,
        'x-licstat-event': eventType,
      },
      body,
    });
    await res.body?.cancel().catch(() => {});
    const ok = res.status >= 200 && res.status < 300;
    return { ok, status: res.status, error: ok ? null : `HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, status: null, error: (e as Error).message.slice(0, 300) };
  }
}
