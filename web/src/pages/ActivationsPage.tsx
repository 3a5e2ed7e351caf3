/** SPEC §4.5: the machines holding activations of a license item, by activation code; admins free them. */
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { ActivationListItem } from '../../../src/contract/portal.ts';
import type { LicenseItem } from '../../../src/contract/resources.ts';
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { OrgPending, useOrg } from '../components/OrgPicker.tsx';
import { Async, Card, Empty, Forbidden, Loading, PageHeader } from '../components/ui.tsx';
import { formatDateTime } from '../format.ts';
import { useDocumentTitle } from '../title.ts';

export default function ActivationsPage() {
  const { user, timeZone } = useAuth();
  const org = useOrg();
  const [params, setParams] = useSearchParams();
  const [target, setTarget] = useState<ActivationListItem | null>(null);
  const ready = org.loaded && (!org.isVendor || org.organizationId !== undefined) && user?.role !== 'member';
  const items = useApi<{ licenseItems: LicenseItem[] }>(
    ready ? '/license-items' : null,
    org.isVendor ? { organizationId: org.organizationId } : undefined,
  );
  const list = (items.data?.licenseItems ?? []).filter(
    (i) =>
      i.model === 'single-user' ||
      i.model === 'per-device' ||
      i.model === 'multi-user' ||
      i.model === 'per-scan',
  );
  const requested = params.get('licenseItemId');
  const itemId = requested && list.some((i) => i.id === requested) ? requested : list[0]?.id;
  const acts = useApi<{ activations: ActivationListItem[] }>(itemId ? '/activations' : null, {
    licenseItemId: itemId,
  });
  useDocumentTitle(itemId ? `${itemId} activations` : 'Activations');
  if (user?.role === 'member') return <Forbidden what="activations" />;

  const byCode = new Map<string, ActivationListItem[]>();
  for (const a of acts.data?.activations ?? []) {
    if (a.deactivatedAt) continue;
    byCode.set(a.activationCodePrefix, [...(byCode.get(a.activationCodePrefix) ?? []), a]);
  }

  return (
    <div className="page">
      <PageHeader
        title="Activations"
        subtitle="Machines that hold a license through an activation code. Deactivate one to free its license for another machine."
        actions={
          list.length > 0 && (
            <label className="tz-select tz-compact item-select">
              <span className="tz-label">License item</span>
              <select
                value={itemId}
                onChange={(e) => setParams({ licenseItemId: e.target.value }, { replace: true })}
                data-testid="activation-item"
              >
                {list.map((i) => (
                  <option key={i.id} value={i.id}>
                    {i.id} · {i.name}
                  </option>
                ))}
              </select>
            </label>
          )
        }
      />
      {!ready ? (
        <OrgPending />
      ) : !items.data ? (
        items.error ? (
          <Async state={items}>{() => null}</Async>
        ) : (
          <Loading />
        )
      ) : list.length === 0 ? (
        <Empty title="No license items with activations">
          Activations appear when programs activate with one of your activation codes. See{' '}
          <Link to="/orders">Orders</Link>.
        </Empty>
      ) : (
        <Async state={acts} label="Loading activations…">
          {() =>
            byCode.size === 0 ? (
              <Empty title="No machine holds an activation of this item">
                Programs activate with one of the item’s activation codes; they appear here with their user
                and version.
              </Empty>
            ) : (
              [...byCode.entries()].map(([prefix, rows]) => (
                <Card
                  key={prefix}
                  title={
                    <>
                      Activation code <span className="id-mono">{prefix}…</span>
                    </>
                  }
                >
                  <div className="table-wrap">
                    <table className="table" data-testid={`activations-${prefix}`}>
                      <thead>
                        <tr>
                          <th>Machine</th>
                          <th>User</th>
                          <th>Version</th>
                          <th>Activated</th>
                          <th>Last use</th>
                          <th className="actions">
                            <span className="sr-only">Actions</span>
                          </th>
                        </tr>
                      </thead>
                      <tbody>
                        {rows.map((a) => (
                          <tr key={a.id}>
                            <td>
                              <span className="table-title nowrap">{a.hostname ?? 'unnamed machine'}</span>
                              <span className="table-sub id-mono">{a.fingerprint}</span>
                            </td>
                            <td>{a.email ?? '—'}</td>
                            <td>{a.version ?? '—'}</td>
                            <td className="nowrap">{formatDateTime(a.createdAt, timeZone)}</td>
                            <td className="nowrap">{formatDateTime(a.lastSeenAt, timeZone)}</td>
                            <td className="actions">
                              <button
                                type="button"
                                className="btn btn-danger-ghost btn-sm"
                                onClick={() => setTarget(a)}
                              >
                                Deactivate
                              </button>
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </div>
                </Card>
              ))
            )
          }
        </Async>
      )}
      {target && (
        <ConfirmDialog
          title="Deactivate this machine?"
          confirmLabel="Deactivate"
          danger
          onClose={() => setTarget(null)}
          onConfirm={async () => {
            await api(`/activations/${encodeURIComponent(target.id)}`, { method: 'DELETE' });
            acts.reload();
          }}
        >
          <p>
            <strong>{target.hostname ?? target.fingerprint}</strong>
            {target.email ? ` (${target.email})` : ''} loses its license, which becomes free for another
            machine. The program there runs limited until it activates again.
          </p>
          {target.email && (
            <p className="muted">
              Session history then leaves out {target.email}'s sessions for periods that include this
              deactivation, on every machine that uses this email (the portal's rule for users whose license
              was removed); the charts and counters keep them.
            </p>
          )}
        </ConfirmDialog>
      )}
    </div>
  );
}
