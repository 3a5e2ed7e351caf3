/**
 * The server's after-commit machinery, one set per app: the change bus (in-process, plus
 * PostgreSQL LISTEN/NOTIFY across processes), the alert evaluator fed by commits, and, when
 * started (startServer), the background loops: webhook delivery, alert e-mail (with an SMTP
 * server configured) and the alert tick.
 */
import { AlertEvaluator } from './alerts/evaluator.ts';
import { startMailWorker } from './alerts/mail-worker.ts';
import type { OutboxWorker } from './alerts/outbox-poller.ts';
import { startWebhookWorker } from './alerts/webhook-worker.ts';
import { type ChangeBus, createChangeBus } from './events/change-bus.ts';
import { installCommitFeed } from './events/commit-feed.ts';
import { LiveHub } from './live/live-hub.ts';
import type { App, Deps } from './types.ts';

export interface Notifications {
  bus: ChangeBus;
  alerts: AlertEvaluator;
  live: LiveHub;
  worker: OutboxWorker | null;
  /** null until started, and without an SMTP server */
  mailWorker: OutboxWorker | null;
  startBackground(): void;
  close(): Promise<void>;
}

/** How often the outboxes are polled (alert e-mail is rarer and slower) and the alert tick runs. */
const WEBHOOK_POLL_MS = 1000;
const MAIL_POLL_MS = 5000;
const ALERT_TICK_MS = 60_000;

const byDeps = new WeakMap<Deps, Notifications>();

export function notificationsOf(deps: Deps): Notifications {
  const n = byDeps.get(deps);
  if (!n) throw new Error('installNotifications(app, deps) was not called');
  return n;
}

export function installNotifications(app: App, deps: Deps): Notifications {
  const existing = byDeps.get(deps);
  if (existing) return existing;
  const onError = (e: unknown) => app.log.error({ err: e }, 'notifications');
  const bus = createChangeBus(deps.config.databaseUrl, onError);
  const alerts = new AlertEvaluator(deps, onError);
  let tick: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  const n: Notifications = {
    bus,
    alerts,
    live: new LiveHub(deps, bus, onError),
    worker: null,
    mailWorker: null,
    startBackground() {
      if (n.worker) return;
      n.worker = startWebhookWorker(deps, { intervalMs: WEBHOOK_POLL_MS, onError });
      n.mailWorker = startMailWorker(deps, { intervalMs: MAIL_POLL_MS, onError });
      const run = () => {
        ticking ??= alerts
          .tick()
          .catch(onError)
          .finally(() => {
            ticking = null;
          });
      };
      run();
      tick = setInterval(run, ALERT_TICK_MS);
      tick.unref();
    },
    async close() {
      if (tick) clearInterval(tick);
      await ticking;
      await n.worker?.stop();
      await n.mailWorker?.stop();
      n.live.close();
      await alerts.close();
      await bus.close();
    },
  };
  byDeps.set(deps, n);
  installCommitFeed(deps.db, (changes) => {
    bus.publishLocal(changes);
    alerts.onChanges(changes);
  });
  // before the database closes (its own onClose hook runs after the app's)
  app.addHook('preClose', async () => n.close());
  return n;
}
