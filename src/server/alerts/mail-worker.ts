/**
 * Sends the alert e-mail outbox (storage/alerts/mail-repository.ts) through LICSTAT_SMTP_URL with
 * nodemailer: every `intervalMs` it claims due messages, sends each, and records the outcome; a
 * failure (SMTP down, a 4xx/5xx answer) is retried on the webhooks' schedule
 * (core/alerts/backoff.ts) until a day after the alert, then the message is marked failed.
 */
import nodemailer from 'nodemailer';
import { nextAttemptAt } from '../../core/alerts/backoff.ts';
import { claimDueMails, recordMailAttempt } from '../../storage/alerts/mail-repository.ts';
import type { Deps } from '../types.ts';
import { type OutboxWorker, pollOutbox } from './outbox-poller.ts';

const CLAIM_MS = 120_000;

/** null when no SMTP server is configured (no message is queued then either). */
export function startMailWorker(
  deps: Deps,
  opts: { intervalMs?: number; onError: (e: unknown) => void; autoStart?: boolean },
): OutboxWorker | null {
  const url = deps.config.smtpUrl;
  if (!url) return null;
  // One message per connection, as alerts are rare; the timeouts keep a claim from outliving
  // CLAIM_MS (nodemailer's defaults wait up to ten minutes on a silent server).
  const transport = nodemailer.createTransport({
    url,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  const runOnce = async (): Promise<number> => {
    const due = await claimDueMails(deps.db.kysely, deps.clock.now(), CLAIM_MS, 20);
    await Promise.all(
      due.map(async (m) => {
        const error = await transport
          .sendMail({ from: deps.config.smtpFrom, to: m.to, subject: m.subject, text: m.body })
          .then(
            () => null,
            (e: Error) => e.message.slice(0, 300),
          );
        const at = deps.clock.now();
        await recordMailAttempt(
          deps.db.kysely,
          m.id,
          {
            ok: error === null,
            error,
            nextAttemptAt: error === null ? null : nextAttemptAt(m.created_at, m.attempts, at),
          },
          at,
        );
      }),
    );
    return due.length;
  };
  const worker = pollOutbox(runOnce, opts);
  return {
    runOnce,
    async stop() {
      await worker.stop();
      transport.close();
    },
  };
}
