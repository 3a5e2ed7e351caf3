/** Create or edit a project: name, key, license items, and the license usage order (up/down). */
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { LicenseItem, Project } from '../../../src/contract/resources.ts';
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { Icon } from '../components/Icon.tsx';
import { useOrg } from '../components/OrgPicker.tsx';
import { Card, ErrorNotice, Forbidden, Loading, PageHeader } from '../components/ui.tsx';
import { formatLicenses, validityStatus } from '../format.ts';
import { useDocumentTitle } from '../title.ts';

/**
 * The default license usage order as far as the page can tell (SPEC §2): the item that expires
 * first, then the one with the most quota left. Quota left is known to the server only, so items
 * that expire at the same instant keep the server's last ranking (`savedRank`, from the saved
 * default order) where it exists; for the others the server decides on saving (`undecided`).
 */
function previewDefaultOrder(
  ids: readonly string[],
  validTo: (id: string) => number,
  savedRank: ReadonlyMap<string, number>,
): { order: string[]; undecided: Set<string> } {
  const rank = (id: string) => savedRank.get(id) ?? Number.POSITIVE_INFINITY;
  const order = [...ids].sort(
    (a, b) => validTo(a) - validTo(b) || rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const undecided = new Set<string>();
  const byExpiry = new Map<number, string[]>();
  for (const id of order) byExpiry.set(validTo(id), [...(byExpiry.get(validTo(id)) ?? []), id]);
  for (const group of byExpiry.values())
    if (group.length > 1 && group.some((id) => !savedRank.has(id))) for (const id of group) undecided.add(id);
  return { order, undecided };
}

/**
 * The license items to choose from: a scroll box that says how many items there are and how many
 * are chosen, shades its edges while more items lie beyond them, and can be filtered when long.
 */
function ItemPicker(props: {
  items: LicenseItem[];
  selected: string[];
  onToggle(id: string, on: boolean): void;
  tz: string;
}) {
  const { items, selected, onToggle, tz } = props;
  const [filter, setFilter] = useState('');
  const box = useRef<HTMLDivElement>(null);
  const [below, setBelow] = useState(0);
  const q = filter.trim().toLowerCase();
  const shown = q
    ? items.filter((i) => `${i.id} ${i.name} ${i.productName}`.toLowerCase().includes(q))
    : items;
  // How many items lie (partly) below the visible part of the box.
  const measure = useCallback(() => {
    const el = box.current;
    if (!el) return;
    const bottom = el.getBoundingClientRect().bottom;
    let n = 0;
    for (const child of el.children) if (child.getBoundingClientRect().bottom > bottom + 1) n += 1;
    setBelow(n);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-measure when the list changes
  useEffect(() => {
    measure();
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [measure, shown.length]);
  return (
    <div className="item-picker-wrap">
      <div className="item-picker-head">
        <span className="muted small" data-testid="item-picker-count">
          {items.length} license {items.length === 1 ? 'item' : 'items'} · {selected.length} chosen
        </span>
        {items.length > 6 && (
          <input
            type="search"
            className="item-picker-filter"
            placeholder="Filter by id, name or product"
            aria-label="Filter license items"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
      </div>
      <div className="item-picker" ref={box} onScroll={measure} data-testid="item-picker">
        {shown.map((i) => (
          <label key={i.id}>
            <input
              type="checkbox"
              checked={selected.includes(i.id)}
              onChange={(e) => onToggle(i.id, e.target.checked)}
            />
            <span className="grow">
              <span className="id-mono">{i.id}</span> {i.name}
              <span className="table-sub">
                {i.productName} · {formatLicenses(i.quota, i.model)} · {validityStatus(i.validTo, tz).text}
              </span>
            </span>
          </label>
        ))}
        {shown.length === 0 && <p className="muted small">No license item matches “{filter}”.</p>}
      </div>
      <p className="item-picker-more muted small" aria-hidden={below === 0}>
        {below > 0 ? `${below} more below: scroll the list` : '\u00a0'}
      </p>
    </div>
  );
}

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
  useDocumentTitle(editing ? `Edit ${project.data?.project.name ?? 'project'}` : 'New project');

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
  // hardware-key items are never served online, so a project key cannot use them (one already in
  // the project stays listed, to be taken out)
  const offered = all.filter((i) => i.model !== 'hardware-key' || selected.includes(i.id));
  const toggle = (id: string, on: boolean) => {
    setSelected((s) => (on ? [...s, id] : s.filter((x) => x !== id)));
    setOrder((o) => (on ? [...o.filter((x) => x !== id), id] : o.filter((x) => x !== id)));
  };
  const saved = project.data?.project;
  // The server's ranking of the saved items, when their saved order is the default one.
  const savedRank = new Map(saved && !saved.customOrder ? saved.usageOrder.map((id, i) => [id, i]) : []);
  const validTo = (id: string) => {
    const v = byId.get(id)?.validTo;
    return v ? new Date(v).getTime() : Number.POSITIVE_INFINITY;
  };
  const preview = previewDefaultOrder(selected, validTo, savedRank);
  // The order shown: a custom order as arranged (newly chosen items last), else the default one.
  const shownOrder = custom
    ? [...order.filter((id) => selected.includes(id)), ...selected.filter((id) => !order.includes(id))]
    : preview.order;
  const undecided = custom ? new Set<string>() : preview.undecided;
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
              <ItemPicker items={offered} selected={selected} onToggle={toggle} tz={timeZone} />
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
            {undecided.size > 0 && (
              <p className="muted small" data-testid="order-undecided">
                Items marked “same expiry” expire at the same time: the server ranks them by the quota left
                when you save, so their order here may change.
              </p>
            )}
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
                      {!custom && byId.get(id) && (
                        <span className="table-sub">
                          {validityStatus(byId.get(id)!.validTo, timeZone).text}
                          {undecided.has(id) && <span className="badge badge-neutral">same expiry</span>}
                        </span>
                      )}
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
