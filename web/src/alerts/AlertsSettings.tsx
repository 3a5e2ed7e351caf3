/**
 * Admins: the organization's webhooks (add, send a test, remove, delivery log) and the alerts
 * fired recently. Secrets are shown once, at creation, like API tokens.
 */
import { useState } from 'react';
import type {
  AlertEmail,
  AlertLogEntry,
  AlertSettings,
  Webhook,
  WebhookDelivery,
} from '../../../src/contract/alerts.ts';
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { Async, Card } from '../components/ui.tsx';
import { formatDateTime, formatNumber, formatQuantity } from '../format.ts';
import { Field, FormStatus, useSubmit } from '../pages/vendor/forms.tsx';

export function AlertsSettings() {
  const { timeZone } = useAuth();
  const hooks = useApi<{ webhooks: Webhook[] }>('/webhooks');
  const alerts = useApi<{ alerts: AlertLogEntry[] }>('/alerts', { limit: 10 });
  const rules = useApi<{ enabled: boolean; settings: AlertSettings }>('/alerts/settings');
  // turning alerts on evaluates every item at once: what is already past a threshold fires then
  const refreshAfterOn = () => {
    rules.reload();
    setTimeout(() => alerts.reload(), 1500);
  };
  const turnOn = useSubmit(
    () => api('/alerts/settings', { method: 'PUT', body: rules.data?.settings }),
    refreshAfterOn,
  );
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const f = useSubmit(
    () => api<{ webhook: Webhook & { secret: string } }>('/webhooks', { method: 'POST', body: { url } }),
    (r) => {
      setSecret(r.webhook.secret);
      setUrl('');
      hooks.reload();
      refreshAfterOn(); // the first webhook turns alerts on
    },
  );
  return (
    <Card title="Alerts and webhooks">
      <p className="muted small">
        Alerts: quota use at 75, 90, 95 and 100%, more than 10 declined starts in an hour, and 30 and 7 days
        before a license expires. Each is POSTed as signed JSON to every webhook (header{' '}
        <span className="id-mono">X-Licstat-Signature: t=…,v1=…</span>, HMAC-SHA256 of “t.body” with the
        secret) and, when the server has a mail server configured, e-mailed to the organization's admins.
      </p>
      {rules.data && !rules.data.enabled && (
        <form
          className="form"
          data-testid="alerts-off"
          onSubmit={(e) => turnOn.submit(e, () => 'Alerts are on.')}
        >
          <p className="notice">
            Alerts are off for this organization: nothing is watched until you add a webhook or turn them on
            here (then they are e-mailed to the admins when the server has a mail server).
          </p>
          <FormStatus error={turnOn.error} ok={turnOn.ok} />
          <div>
            <button type="submit" className="btn btn-secondary" disabled={turnOn.busy}>
              Turn alerts on
            </button>
          </div>
        </form>
      )}
      <form className="form" onSubmit={(e) => f.submit(e, () => 'Webhook added.')}>
        <Field label="Webhook URL">
          <input
            value={url}
            maxLength={2000}
            onChange={(e) => setUrl(e.target.value)}
            placeholder="https://example.com/licstat"
          />
        </Field>
        <FormStatus error={f.error} ok={f.ok} />
        <div>
          <button type="submit" className="btn btn-primary" disabled={f.busy || !/^https?:\/\/./.test(url)}>
            Add webhook
          </button>
        </div>
      </form>
      {secret && (
        <div className="form" data-testid="webhook-secret">
          <p className="notice">Copy the signing secret now: it is shown only once.</p>
          <div className="secret">{secret}</div>
        </div>
      )}
      <Async state={hooks}>
        {(d) =>
          d.webhooks.length === 0 ? (
            <p className="muted small">No webhooks yet.</p>
          ) : (
            <ul className="order-list" data-testid="webhooks">
              {d.webhooks.map((w) => (
                <li key={w.id} className="order-row">
                  <span>
                    <strong className="id-mono">{w.url}</strong>
                    <span className="table-sub">
                      secret {w.secretHint} · added {formatDateTime(w.createdAt, timeZone)}
                    </span>
                    {open === w.id && <Deliveries id={w.id} tz={timeZone} />}
                  </span>
                  <span className="nowrap">
                    <button
                      type="button"
                      className="btn btn-secondary btn-sm"
                      onClick={async () => {
                        await api(`/webhooks/${w.id}/test`, { method: 'POST' });
                        setOpen(w.id);
                      }}
                    >
                      Send test
                    </button>{' '}
                    <button
                      type="button"
                      className="btn btn-secondary btn-sm"
                      onClick={() => setOpen(open === w.id ? null : w.id)}
                    >
                      Deliveries
                    </button>{' '}
                    <button
                      type="button"
                      className="btn btn-danger-ghost btn-sm"
                      onClick={async () => {
                        await api(`/webhooks/${w.id}`, { method: 'DELETE' });
                        hooks.reload();
                      }}
                    >
                      Remove
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      <h3 className="table-title" style={{ marginTop: 16 }}>
        Recent alerts
      </h3>
      <Async state={alerts}>
        {(d) =>
          d.alerts.length === 0 ? (
            <p className="muted small">No alerts yet.</p>
          ) : (
            <ul className="order-list" data-testid="alerts">
              {d.alerts.map((a) => (
                <li key={a.id} className="order-row">
                  <span>
                    {a.details.message}
                    <span className="table-sub">
                      {formatDateTime(a.firedAt, timeZone)}
                      {a.email && <span data-testid="alert-email"> · {emailState(a.email)}</span>}
                    </span>
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </Card>
  );
}

/** What became of an alert's e-mail to the organization's admins. */
function emailState(e: AlertEmail): string {
  const admins = `${e.recipients} admin${e.recipients === 1 ? '' : 's'}`;
  if (e.status === 'sent') return `e-mailed to ${admins}`;
  if (e.status === 'failed') return `e-mail to ${admins} failed: ${e.lastError ?? 'gave up'}`;
  return e.attempts === 0
    ? `e-mail to ${admins} queued`
    : `e-mail to ${admins} retrying (${e.attempts} attempt${e.attempts === 1 ? '' : 's'}: ${e.lastError ?? ''})`;
}

function Deliveries({ id, tz }: { id: string; tz: string }) {
  const log = useApi<{ deliveries: WebhookDelivery[] }>(`/webhooks/${id}/deliveries`, { limit: 10 });
  return (
    <Async state={log}>
      {(d) => (
        <span className="table-sub" data-testid="deliveries">
          {d.deliveries.length === 0
            ? 'No deliveries yet.'
            : d.deliveries.map((x) => (
                <details key={x.id} className="delivery">
                  <summary>
                    {formatDateTime(x.createdAt, tz)} · {x.eventType} · {x.status} ·{' '}
                    {formatQuantity(x.attempts, 'attempts')}
                    {x.lastError ? ` · ${x.lastError}` : ''}
                  </summary>
                  {x.history.length === 0 ? (
                    <span className="delivery-attempt">Not attempted yet.</span>
                  ) : (
                    x.history.map((a) => (
                      <span key={a.attempt} className="delivery-attempt">
                        #{a.attempt} · {formatDateTime(a.at, tz)} ·{' '}
                        {a.status !== null ? `HTTP ${a.status}` : (a.error ?? 'no answer')} ·{' '}
                        {formatNumber(a.durationMs)} ms
                      </span>
                    ))
                  )}
                </details>
              ))}
          <button type="button" className="btn btn-secondary btn-sm" onClick={log.reload}>
            Refresh
          </button>
        </span>
      )}
    </Async>
  );
}
