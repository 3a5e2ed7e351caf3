/** Account and organization: your API tokens; for admins, the organization's portal users and audit log. */
import { useEffect, useState } from 'react';
import { ROLES, type Role } from '../../../src/contract/domain.ts';
import type { AuditEntry } from '../../../src/contract/portal.ts';
import type { ApiToken, User } from '../../../src/contract/resources.ts';
import { AlertsSettings } from '../alerts/AlertsSettings.tsx';
import { api, WROTE_EVENT } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { OrgPending, useOrg } from '../components/OrgPicker.tsx';
import { TimeZoneSelect } from '../components/TimeZoneSelect.tsx';
import { Async, Badge, Card, PageHeader } from '../components/ui.tsx';
import { formatDateTime } from '../format.ts';
import { useDocumentTitle } from '../title.ts';
import { Field, FormStatus, useSubmit } from './vendor/forms.tsx';

export default function SettingsPage() {
  const { user } = useAuth();
  const isAdmin = user?.role === 'admin' || user?.role === 'vendor';
  useDocumentTitle('Settings');
  return (
    <div className="page">
      <PageHeader
        title="Settings"
        subtitle="Your time zone and API tokens, and your organization's portal users."
      />
      <div className="grid-2">
        <Card title="Time zone">
          <p className="muted small">Days, 2-hour intervals, charts and CSV exports follow this zone.</p>
          <TimeZoneSelect />
        </Card>
        <ApiTokens />
      </div>
      {isAdmin && <OrgUsers />}
      {isAdmin && <AuditLog />}
      {user?.role === 'admin' && <AlertsSettings />}
    </div>
  );
}

function ApiTokens() {
  const { timeZone } = useAuth();
  const tokens = useApi<{ apiTokens: ApiToken[] }>('/api-tokens');
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiToken | null>(null);
  const [revoke, setRevoke] = useState<ApiToken | null>(null);
  const f = useSubmit(
    () => api<{ apiToken: ApiToken }>('/api-tokens', { method: 'POST', body: { name } }),
    (r) => {
      setCreated(r.apiToken);
      setName('');
      tokens.reload();
    },
  );
  const live = (tokens.data?.apiTokens ?? []).filter((t) => !t.revokedAt);
  return (
    <Card title="API tokens">
      <p className="muted small">
        Scripts call the API with <span className="id-mono">Authorization: Bearer &lt;token&gt;</span>, with
        your rights.
      </p>
      <form className="form" onSubmit={(e) => f.submit(e, () => 'Token created.')}>
        <Field label="Token name">
          <input
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. nightly export"
          />
        </Field>
        <FormStatus error={f.error} ok={f.ok} />
        <div>
          <button type="submit" className="btn btn-primary" disabled={f.busy || !name.trim()}>
            Create token
          </button>
        </div>
      </form>
      {created?.token && (
        <div className="form" data-testid="new-token">
          <p className="notice">Copy this token now: it is shown only once.</p>
          <div className="secret">{created.token}</div>
        </div>
      )}
      <Async state={tokens}>
        {() =>
          live.length === 0 ? (
            <p className="muted small">No tokens yet.</p>
          ) : (
            <ul className="order-list">
              {live.map((t) => (
                <li key={t.id} className="order-row">
                  <span>
                    <strong>{t.name}</strong>
                    <span className="table-sub">
                      created {formatDateTime(t.createdAt, timeZone)} ·{' '}
                      {t.lastUsedAt ? `last used ${formatDateTime(t.lastUsedAt, timeZone)}` : 'never used'}
                    </span>
                  </span>
                  <button type="button" className="btn btn-danger-ghost btn-sm" onClick={() => setRevoke(t)}>
                    Revoke
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
      {revoke && (
        <ConfirmDialog
          title={`Revoke “${revoke.name}”?`}
          confirmLabel="Revoke"
          danger
          onClose={() => setRevoke(null)}
          onConfirm={async () => {
            await api(`/api-tokens/${encodeURIComponent(revoke.id)}`, { method: 'DELETE' });
            tokens.reload();
          }}
        >
          <p>Scripts using this token stop working at once.</p>
        </ConfirmDialog>
      )}
    </Card>
  );
}

function OrgUsers() {
  const org = useOrg();
  const { timeZone } = useAuth();
  const ready = org.loaded && (!org.isVendor || org.organizationId !== undefined);
  const users = useApi<{ users: User[] }>(
    ready ? '/users' : null,
    org.isVendor ? { organizationId: org.organizationId } : undefined,
  );
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('member');
  const f = useSubmit(
    () =>
      api<{ user: User }>('/users', {
        method: 'POST',
        body: { ...(org.isVendor ? { organizationId: org.organizationId } : {}), email, password, role },
      }),
    () => {
      setEmail('');
      setPassword('');
      users.reload();
    },
  );
  if (!ready) return <OrgPending />;
  return (
    <div className="grid-2">
      <Card title="Add a portal user">
        <form
          className="form"
          onSubmit={(e) => f.submit(e, (r) => `Added ${r.user.email} as ${r.user.role}.`)}
        >
          <Field label="Email">
            <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label="Password" hint="At least 8 characters; give it to the user securely.">
            <input
              type="password"
              autoComplete="new-password"
              required
              minLength={8}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <Field label="Role" hint="Members see the license list only; admins see usage and can act on it.">
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.filter((r) => r !== 'vendor').map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </Field>
          <FormStatus error={f.error} ok={f.ok} />
          <div>
            <button
              type="submit"
              className="btn btn-primary"
              disabled={f.busy || !email || password.length < 8}
            >
              Add user
            </button>
          </div>
        </form>
      </Card>
      <Card title="Portal users">
        <Async state={users}>
          {(d) => (
            <div className="table-wrap">
              <table className="table" data-testid="org-users">
                <thead>
                  <tr>
                    <th>Email</th>
                    <th>Role</th>
                    <th>Since</th>
                  </tr>
                </thead>
                <tbody>
                  {d.users.map((u) => (
                    <tr key={u.id}>
                      <td>{u.email}</td>
                      <td>
                        <Badge tone={u.role === 'admin' ? 'info' : 'neutral'}>{u.role}</Badge>
                      </td>
                      <td className="nowrap">{formatDateTime(u.createdAt, timeZone)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Async>
      </Card>
    </div>
  );
}

function AuditLog() {
  const org = useOrg();
  const { timeZone } = useAuth();
  const ready = org.loaded && (!org.isVendor || org.organizationId !== undefined);
  const log = useApi<{ entries: AuditEntry[]; nextBefore: string | null }>(ready ? '/audit-log' : null, {
    limit: 50,
    ...(org.isVendor ? { organizationId: org.organizationId } : {}),
  });
  // what this page changes (users, tokens, webhooks, alert rules) shows up in the log at once
  const reload = log.reload;
  useEffect(() => {
    window.addEventListener(WROTE_EVENT, reload);
    return () => window.removeEventListener(WROTE_EVENT, reload);
  }, [reload]);
  if (!ready) return null;
  return (
    <Card title="Audit log">
      <p className="muted small">Who changed what: the latest 50 actions in your organization.</p>
      <Async state={log}>
        {(d) =>
          d.entries.length === 0 ? (
            <p className="muted small">Nothing recorded yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="table" data-testid="audit-log">
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Who</th>
                    <th>Action</th>
                    <th>Target</th>
                  </tr>
                </thead>
                <tbody>
                  {d.entries.map((e) => (
                    <tr key={e.id}>
                      <td className="nowrap">{formatDateTime(e.at, timeZone)}</td>
                      <td>{e.by}</td>
                      <td>
                        <Badge
                          tone={
                            e.action.includes('reset') || e.action.includes('deactivate') ? 'warn' : 'neutral'
                          }
                        >
                          {e.action}
                        </Badge>
                      </td>
                      <td className="id-mono">{e.target ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Async>
    </Card>
  );
}
