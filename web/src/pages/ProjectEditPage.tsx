/** Create or edit a project: name, key, license items, and the license usage order (up/down). */
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { LicenseItem, Project } from '../../../src/contract/resources.ts';
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { Icon } from '../components/Icon.tsx';
import { useOrg } from '../components/OrgPicker.tsx';
import { Card, ErrorNotice, Forbidden, Loading, PageHeader } from '../components/ui.tsx';
import { MODEL_SHORT, validityStatus } from '../format.ts';

export default function ProjectEditPage() {
  const { projectId } = useParams();
  const { user, timeZone } = useAuth();
  const org = useOrg();
  const navigate = useNavigate();
  const editing = projectId !== undefined;
  const project = useApi<{ project: Project }>(editing ? `/projects/${encodeURIComponent(projectId)}` : null);
  const orgId = editing ? project.data?.project.organizationId : org.organizationId;
  const ready = editing ? project.data !== undefined : org.loaded && (!org.isVendor || orgId !== undefined);
  const items = useApi<{ licenseItems: LicenseItem[] }>(
    ready ? '/license-items' : null,
    org.isVendor ? { organizationId: orgId } : undefined,
  );

  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const [order, setOrder] = useState<string[]>([]);
  const [custom, setCustom] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const p = project.data?.project;
    if (!p) return;
    setName(p.name);
    setKey(p.key);
    setSelected(p.licenseItemIds);
    setOrder(p.usageOrder);
    setCustom(p.customOrder);
  }, [project.data]);

  if (user?.role === 'member') return <Forbidden what="project editing" />;
  if (project.error) return <ErrorNotice error={project.error} />;
  if (!ready) return <Loading />;

  const all = items.data?.licenseItems ?? [];
  const byId = new Map(all.map((i) => [i.id, i]));
  const toggle = (id: string, on: boolean) => {
    setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
    setOrder((o) => (on ? [...o.filter((x) => x !== id), id] : o.filter((x) => x !== id)));
  };
  // The order shown: the saved order of the chosen items, then newly chosen ones.
  const shownOrder = [
    ...order.filter((id) => selected.includes(id)),
    ...selected.filter((id) => !order.includes(id)),
  ];
  const move = (idx: number, delta: number) => {
    const j = idx + delta;
    if (j < 0 || j >= shownOrder.length) return;
    const next = [...shownOrder];
    [next[idx], next[j]] = [next[j]!, next[idx]!];
    setOrder(next);
    setCustom(true);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (editing) {
        await api<{ project: Project }>(`/projects/${encodeURIComponent(projectId)}`, {
          method: 'PATCH',
          body: { name, key, licenseItemIds: selected, usageOrder: custom ? shownOrder : null },
        });
      } else {
        const saved = (
          await api<{ project: Project }>('/projects', {
            method: 'POST',
            body: {
              ...(org.isVendor ? { organizationId: orgId } : {}),
              name,
              ...(key.trim() ? { key: key.trim() } : {}),
              licenseItemIds: selected,
            },
          })
        ).project;
        if (custom && selected.length > 1) {
          await api(`/projects/${saved.id}`, { method: 'PATCH', body: { usageOrder: shownOrder } });
        }
      }
      navigate('/projects');
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <PageHeader
        crumbs={[
          { label: 'Projects', to: '/projects' },
          { label: editing ? (project.data?.project.name ?? '') : 'New' },
        ]}
        title={editing ? `Edit ${project.data?.project.name ?? 'project'}` : 'New project'}
      />
      <form onSubmit={submit} className="page">
        <Card title="Project">
          <div className="form-grid">
            <label className="field">
              <span>Name</span>
              <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label className="field">
              <span>Project key</span>
              <input
                maxLength={200}
                value={key}
                placeholder={editing ? '' : 'leave empty to generate one'}
                onChange={(e) => setKey(e.target.value)}
                className="id-mono"
              />
              <span className="field-hint">
                Programs send it as their license key to draw from this project's items.
              </span>
            </label>
          </div>
        </Card>
        <div className="grid-2">
          <Card title="License items">
            {items.error ? (
              <ErrorNotice error={items.error} onRetry={items.reload} />
            ) : !items.data ? (
              <Loading />
            ) : all.length === 0 ? (
              <p className="muted">This organization has no license items yet.</p>
            ) : (
              <div className="item-picker">
                {all.map((i) => (
                  <label key={i.id}>
                    <input
                      type="checkbox"
                      checked={selected.includes(i.id)}
                      onChange={(e) => toggle(i.id, e.target.checked)}
                    />
                    <span className="grow">
                      <span className="id-mono">{i.id}</span> {i.name}
                      <span className="table-sub">
                        {i.productName} · {i.quota} {MODEL_SHORT[i.model]} ·{' '}
                        {validityStatus(i.validTo, timeZone).text}
                      </span>
                    </span>
                  </label>
                ))}
              </div>
            )}
          </Card>
          <Card
            title="License usage order"
            actions={
              custom ? (
                <button type="button" className="btn btn-ghost btn-sm" onClick={() => setCustom(false)}>
                  Use default order
                </button>
              ) : undefined
            }
          >
            <p className="muted small">
              {custom
                ? 'Custom order: clients with the project key draw from the first item that can serve them.'
                : 'Default order: the item that expires first, then the one with the most quota left. Move an item to set your own order.'}
            </p>
            {shownOrder.length === 0 ? (
              <p className="muted">Choose license items on the left.</p>
            ) : (
              <ol className="order-editor" data-testid="usage-order">
                {shownOrder.map((id, idx) => (
                  <li key={id}>
                    <span className="pos">{idx + 1}</span>
                    <span className="grow">
                      <span className="id-mono">{id}</span>{' '}
                      <span className="muted small">{byId.get(id)?.name}</span>
                    </span>
                    <button
                      type="button"
                      className="btn btn-ghost btn-icon"
                      aria-label={`Move ${id} up`}
                      disabled={idx === 0}
                      onClick={() => move(idx, -1)}
                    >
                      <Icon name="up" size={16} />
                    </button>
                    <button
                      type="button"
                      className="btn btn-ghost btn-icon"
                      aria-label={`Move ${id} down`}
                      disabled={idx === shownOrder.length - 1}
                      onClick={() => move(idx, 1)}
                    >
                      <Icon name="down" size={16} />
                    </button>
                  </li>
                ))}
              </ol>
            )}
          </Card>
        </div>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <div className="page-actions">
          <button type="submit" className="btn btn-primary" disabled={busy || !name.trim()}>
            {busy ? 'Saving…' : editing ? 'Save project' : 'Create project'}
          </button>
          <Link to="/projects" className="btn btn-secondary">
            Cancel
          </Link>
        </div>
      </form>
    </div>
  );
}
