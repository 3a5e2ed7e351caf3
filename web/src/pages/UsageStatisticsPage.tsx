/** SPEC §4.3: license usage statistics of every product and activation code, with Export and Reset Stats. */
import { useState } from 'react';
import { Link } from 'react-router';
import type { UsageStatistics, UsageStatisticsRow } from '../../../src/contract/portal.ts';
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';
import { ExportButton } from '../components/ExportButton.tsx';
import { Icon } from '../components/Icon.tsx';
import { OrgPending, useOrg } from '../components/OrgPicker.tsx';
import { TableScroll } from '../components/TableScroll.tsx';
import { Async, Badge, Card, Empty, Forbidden, PageHeader } from '../components/ui.tsx';
import {
  formatDateTime,
  formatLicenseCount,
  formatLicenses,
  formatNumber,
  formatUsedOf,
  validityStatus,
} from '../format.ts';
import { useDocumentTitle } from '../title.ts';

type ResetTarget = { kind: 'all' } | { kind: 'row'; row: UsageStatisticsRow };

const COUNTERS = [
  ['fullAccess', 'Full Access'],
  ['limitedAccess', 'Limited Access'],
  ['declinedAccess', 'Declined Access'],
  ['takes', 'Takes'],
  ['takeDenied', 'Take Denied'],
  ['checkouts', 'Checkouts'],
] as const;

export default function UsageStatisticsPage() {
  const { user, timeZone } = useAuth();
  const org = useOrg();
  const [reset, setReset] = useState<ResetTarget | null>(null);
  useDocumentTitle('License usage statistics');
  const ready = org.loaded && (!org.isVendor || org.organizationId !== undefined);
  const query = { tz: timeZone, ...(org.isVendor ? { organizationId: org.organizationId } : {}) };
  const stats = useApi<UsageStatistics>(ready && user?.role !== 'member' ? '/usage-statistics' : null, query);
  if (user?.role === 'member') return <Forbidden what="license usage statistics" />;

  const doReset = async (t: ResetTarget) => {
    // One row = the item plus its activation code (id), or "project-key" for the project-key row.
    const row =
      t.kind === 'row'
        ? {
            licenseItemId: t.row.licenseItemId,
            ...(t.row.source === 'activation-code' && t.row.activationCodeId
              ? { activationCode: t.row.activationCodeId }
              : t.row.source === 'project-key'
                ? { activationCode: t.row.source }
                : {}),
          }
        : {};
    const body = {
      ...(org.isVendor && t.kind === 'all' ? { organizationId: org.organizationId } : {}),
      ...row,
    };
    await api('/usage-statistics/reset', { method: 'POST', body });
    stats.reload();
  };

  return (
    <div className="page">
      <PageHeader
        title="License usage statistics"
        subtitle="Every product and activation code with its counters since the last reset."
        actions={
          <>
            <ExportButton path="/usage-statistics.csv" query={query} />
            <button
              type="button"
              className="btn btn-danger-ghost"
              onClick={() => setReset({ kind: 'all' })}
              disabled={!stats.data || stats.data.rows.length === 0}
            >
              <Icon name="reset" size={16} /> Reset Stats
            </button>
          </>
        }
      />
      {!ready ? (
        <OrgPending />
      ) : (
        <Async state={stats} label="Loading usage statistics…">
          {(d) =>
            d.rows.length === 0 ? (
              <Empty title="No licenses yet">
                When licenses are issued to your organization, their usage appears here. See{' '}
                <Link to="/orders">Orders</Link>.
              </Empty>
            ) : (
              <Card>
                <TableScroll label="License usage statistics table">
                  <table className="table table-nowrap table-stats" data-testid="usage-statistics">
                    <thead>
                      <tr>
                        <th>Product</th>
                        <th>Licenses</th>
                        <th>Status</th>
                        <th>Activations</th>
                        <th>Activation code</th>
                        {COUNTERS.map(([k, label]) => (
                          <th key={k} className="num">
                            {label}
                          </th>
                        ))}
                        <th className="actions">
                          <span className="sr-only">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.rows.map((r) => (
                        <tr key={r.rowKey} data-row={r.rowKey}>
                          <td>
                            <span className="table-title">{r.product}</span>
                            <Link to={`/license-items/${r.licenseItemId}/stats`} className="table-sub">
                              <span className="id-mono">{r.licenseItemId}</span> {r.licenseItemName}
                            </Link>
                          </td>
                          <td className="nowrap" title={formatLicenses(r.quota, r.model)}>
                            {formatLicenseCount(r.quota, r.model)}
                          </td>
                          <td>
                            <StatusCell validTo={r.validTo} tz={timeZone} />
                          </td>
                          <td className="nowrap">
                            {r.activationsUsed !== null && r.activationsAvailable !== null
                              ? formatUsedOf(r.activationsUsed, r.activationsAvailable)
                              : (r.activations ?? '—')}
                          </td>
                          <td className="id-mono nowrap">
                            {r.activationCode ?? '—'}
                            {r.source === 'activation-code' && '…'}
                            {r.countingSince && (
                              <span className="table-sub" data-testid="counting-since">
                                counters since {formatDateTime(r.countingSince, timeZone)}
                              </span>
                            )}
                          </td>
                          {COUNTERS.map(([k]) => (
                            <td key={k} className="num" data-col={k}>
                              {r[k] === null ? '—' : formatNumber(r[k])}
                            </td>
                          ))}
                          <td className="actions">
                            {r.model !== 'hardware-key' && r.source !== 'none' && (
                              <button
                                type="button"
                                className="btn btn-ghost btn-icon"
                                onClick={() => setReset({ kind: 'row', row: r })}
                                aria-label={`Reset the counters of ${r.licenseItemId}${r.activationCode ? ` ${r.activationCode}` : ''}`}
                                title={`Reset this row · ${
                                  r.countingSince
                                    ? `counting since ${formatDateTime(r.countingSince, timeZone)}`
                                    : 'counting all history'
                                }`}
                              >
                                <Icon name="reset" size={16} />
                              </button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableScroll>
                <p className="muted small">
                  HWK items are listed with their status only. Limited Access counts declined starts too.
                  Reset Stats restarts the counters; charts and session history keep all history.
                </p>
              </Card>
            )
          }
        </Async>
      )}
      {reset && (
        <ConfirmDialog
          title={reset.kind === 'all' ? 'Reset all usage counters?' : 'Reset this row’s counters?'}
          confirmLabel="Reset Stats"
          danger
          onClose={() => setReset(null)}
          onConfirm={() => doReset(reset)}
        >
          <p>
            {reset.kind === 'all'
              ? 'Full Access, Limited Access, Declined Access, Takes, Take Denied and Checkouts restart from zero for every row of your organization.'
              : `The counters of ${reset.row.product} (${reset.row.licenseItemId}${reset.row.activationCode ? `, code ${reset.row.activationCode}` : ''}) restart from zero.`}
          </p>
          <p className="muted">Nothing is deleted: the charts and the session history keep all history.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

/** The Status column: words and tone from the item's end, in the viewer's zone. */
function StatusCell({ validTo, tz }: { validTo: string; tz: string }) {
  const st = validityStatus(validTo, tz);
  return <Badge tone={st.tone}>{st.text}</Badge>;
}
