/** Vendor console tabs with one small form each: organizations, users, products, orders, projects. */
import { useState } from 'react';
import { Link } from 'react-router';
import { ROLES, type Role } from '../../../../src/contract/domain.ts';
import type { Order, Organization, Product, User } from '../../../../src/contract/resources.ts';
import { api } from '../../api/client.ts';
import { useApi } from '../../api/use-api.ts';
import { useAuth } from '../../auth.tsx';
import { useOrg } from '../../components/OrgPicker.tsx';
import { Async, Badge, Card, Empty } from '../../components/ui.tsx';
import { formatDate } from '../../format.ts';
import { Field, FormStatus, useSubmit } from './forms.tsx';

export function NeedOrg() {
  return (
    <Empty title="No organization chosen">
      <Link to="/vendor/organizations">Create an organization</Link> first, then pick it at the top of the
      page.
    </Empty>
  );
}

export function OrganizationsTab() {
  const { timeZone } = useAuth();
  const org = useOrg();
  const [name, setName] = useState('');
  const f = useSubmit(
    () => api<{ organization: Organization }>('/organizations', { method: 'POST', body: { name } }),
    (r) => {
      setName('');
      org.reloadOrgs();
      org.setOrganizationId(r.organization.id);
    },
  );
  return (
    <div className="grid-2">
      <Card title="New organization">
        <form className="form" onSubmit={(e) => f.submit(e, (r) => `Created ${r.organization.name}.`)}>
          <Field label="Name">
            <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <FormStatus error={f.error} ok={f.ok} />
          <button className="btn btn-primary" disabled={f.busy || !name.trim()} type="submit">
            Create organization
          </button>
        </form>
      </Card>
      <Card title="Organizations">
        {org.organizations.length === 0 ? (
          <p className="muted">None yet.</p>
        ) : (
          <ul className="order-list">
            {org.organizations.map((o) => (
              <li key={o.id} className="order-row">
                <span>
                  <strong>{o.name}</strong>
                  <span className="table-sub">since {formatDate(o.createdAt, timeZone)}</span>
                </span>
                {o.id === org.organizationId ? (
                  <Badge tone="info">selected</Badge>
                ) : (
                  <button
                    type="button"
                    className="btn btn-secondary btn-sm"
                    onClick={() => org.setOrganizationId(o.id)}
                  >
                    Select
                  </button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

export function UsersTab() {
  const org = useOrg();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('admin');
  const [tz, setTz] = useState('');
  const users = useApi<{ users: User[] }>(org.organizationId ? '/users' : null, {
    organizationId: org.organizationId,
  });
  const f = useSubmit(
    () =>
      api<{ user: User }>('/users', {
        method: 'POST',
        body: {
          ...(role === 'vendor' ? {} : { organizationId: org.organizationId }),
          email,
          password,
          role,
          ...(tz.trim() ? { timeZone: tz.trim() } : {}),
        },
      }),
    () => {
      setEmail('');
      setPassword('');
      users.reload();
    },
  );
  return (
    <div className="grid-2">
      <Card title="New portal user">
        <form
          className="form"
          onSubmit={(e) => f.submit(e, (r) => `Created ${r.user.email} (${r.user.role}).`)}
        >
          <Field label="Email">
            <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </Field>
          <Field label="Password" hint="At least 8 characters; give it to the user securely.">
            <input
              type="password"
              required
              minLength={8}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <Field label="Role" hint="Vendor staff belong to no organization.">
            <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Time zone (optional)" hint="IANA name, e.g. Europe/Berlin">
            <input value={tz} onChange={(e) => setTz(e.target.value)} placeholder="UTC" />
          </Field>
          <FormStatus error={f.error} ok={f.ok} />
          <button
            className="btn btn-primary"
            type="submit"
            disabled={f.busy || (role !== 'vendor' && !org.organizationId)}
          >
            Create user
          </button>
        </form>
      </Card>
      <Card title="Users of this organization">
        {!org.organizationId ? (
          <NeedOrg />
        ) : (
          <Async state={users}>
            {(d) =>
              d.users.length === 0 ? (
                <p className="muted">No users yet.</p>
              ) : (
                <div className="table-wrap">
                  <table className="table">
                    <thead>
                      <tr>
                        <th>Email</th>
                        <th>Role</th>
                        <th>Time zone</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.users.map((u) => (
                        <tr key={u.id}>
                          <td>{u.email}</td>
                          <td>
                            <Badge tone={u.role === 'admin' ? 'info' : 'neutral'}>{u.role}</Badge>
                          </td>
                          <td>{u.timeZone}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )
            }
          </Async>
        )}
      </Card>
    </div>
  );
}

export function ProductsTab() {
  const [name, setName] = useState('');
  const [modules, setModules] = useState('');
  const products = useApi<{ products: Product[] }>('/products');
  const f = useSubmit(
    () =>
      api<{ product: Product }>('/products', {
        method: 'POST',
        body: {
          name,
          modules: [
            ...new Set(
              modules
                .split(',')
                .map((m) => m.trim())
                .filter(Boolean),
            ),
          ],
        },
      }),
    () => {
      setName('');
      setModules('');
      products.reload();
    },
  );
  return (
    <div className="grid-2">
      <Card title="New product">
        <form className="form" onSubmit={(e) => f.submit(e, (r) => `Created ${r.product.name}.`)}>
          <Field label="Name">
            <input required value={name} onChange={(e) => setName(e.target.value)} />
          </Field>
          <Field label="Modules" hint="Comma-separated, e.g. barcode, ocr, mrz">
            <input value={modules} onChange={(e) => setModules(e.target.value)} />
          </Field>
          <FormStatus error={f.error} ok={f.ok} />
          <button className="btn btn-primary" type="submit" disabled={f.busy || !name.trim()}>
            Create product
          </button>
        </form>
      </Card>
      <Card title="Products">
        <Async state={products}>
          {(d) =>
            d.products.length === 0 ? (
              <p className="muted">No products yet.</p>
            ) : (
              <ul className="order-list">
                {d.products.map((p) => (
                  <li key={p.id} className="order-row">
                    <strong>{p.name}</strong>
                    <span className="chips">
                      {p.modules.map((m) => (
                        <span key={m} className="chip">
                          {m}
                        </span>
                      ))}
                    </span>
                  </li>
                ))}
              </ul>
            )
          }
        </Async>
      </Card>
    </div>
  );
}

export function OrdersTab() {
  const { timeZone } = useAuth();
  const org = useOrg();
  const [kind, setKind] = useState<'full' | 'trial'>('full');
  const orders = useApi<{ orders: Order[] }>(org.organizationId ? '/orders' : null, {
    organizationId: org.organizationId,
  });
  const f = useSubmit(
    () =>
      api<{ order: Order }>('/orders', {
        method: 'POST',
        body: { organizationId: org.organizationId, kind },
      }),
    () => orders.reload(),
  );
  if (!org.organizationId) return <NeedOrg />;
  return (
    <div className="grid-2">
      <Card title="New order">
        <form className="form" onSubmit={(e) => f.submit(e, (r) => `Created order ${r.order.id}.`)}>
          <Field label="Kind">
            <select value={kind} onChange={(e) => setKind(e.target.value as 'full' | 'trial')}>
              <option value="full">Full License</option>
              <option value="trial">Trial</option>
            </select>
          </Field>
          <FormStatus error={f.error} ok={f.ok} />
          <button className="btn btn-primary" type="submit" disabled={f.busy}>
            Create order
          </button>
        </form>
      </Card>
      <Card title="Orders of this organization">
        <Async state={orders}>
          {(d) =>
            d.orders.length === 0 ? (
              <p className="muted">No orders yet.</p>
            ) : (
              <ul className="order-list">
                {d.orders.map((o) => (
                  <li key={o.id}>
                    <Link to={`/orders/${o.id}`} className="order-row">
                      <span>
                        <strong>{o.kind === 'full' ? 'Full License' : 'Trial'}</strong>
                        <span className="table-sub">
                          {o.id} · {formatDate(o.createdAt, timeZone)}
                        </span>
                      </span>
                    </Link>
                  </li>
                ))}
              </ul>
            )
          }
        </Async>
      </Card>
    </div>
  );
}

export function ProjectsTab() {
  const org = useOrg();
  if (!org.organizationId) return <NeedOrg />;
  return (
    <Card title="Projects">
      <p className="muted">
        Projects belong to the selected organization. Create one with its key and license items; its
        administrators can then rearrange the license usage order.
      </p>
      <div className="card-actions">
        <Link to="/projects/new" className="btn btn-primary">
          New project
        </Link>
        <Link to="/projects" className="btn btn-secondary">
          See the organization's projects
        </Link>
      </div>
    </Card>
  );
}
