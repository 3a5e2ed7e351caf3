/** A license item: its details and activation codes, with "Manage" leading to its Usage Statistics. */

import { Link, useParams } from 'react-router';
import type { ItemDetailResponse } from '../../../src/contract/stats.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { ItemSummary, ItemTags, useOrderCrumb } from '../components/ItemSummary.tsx';
import { useFollowOrganization } from '../components/OrgPicker.tsx';
import { Async, Card, PageHeader } from '../components/ui.tsx';
import { formatNumber, formatUsedOf } from '../format.ts';
import { useDocumentTitle } from '../title.ts';

export default function LicenseItemPage() {
  const { itemId = '' } = useParams();
  const { user, timeZone } = useAuth();
  const detail = useApi<ItemDetailResponse>(`/license-items/${encodeURIComponent(itemId)}`);
  const item = detail.data?.licenseItem;
  useFollowOrganization(item?.organizationId);
  const canManage = user?.role !== 'member';
  const orderCrumb = useOrderCrumb(canManage ? item?.orderId : undefined);
  useDocumentTitle(item ? `${itemId} ${item.name}` : itemId);
  return (
    <div className="page">
      <PageHeader
        crumbs={
          canManage
            ? [{ label: 'Orders', to: '/orders' }, ...orderCrumb, { label: itemId }]
            : [{ label: 'Licenses', to: '/licenses' }, { label: itemId }]
        }
        title={
          <>
            <span className="id-mono">{itemId}</span> {item?.name}
          </>
        }
        subtitle={item ? <ItemTags item={item} /> : undefined}
        actions={
          canManage &&
          item && (
            <>
              <Link
                to={`/activations?licenseItemId=${encodeURIComponent(item.id)}`}
                className="btn btn-secondary"
              >
                Activations
              </Link>
              <Link
                to={`/license-items/${encodeURIComponent(item.id)}/stats`}
                className="btn btn-primary"
                data-testid="manage"
              >
                Manage
              </Link>
            </>
          )
        }
      />
      <Async state={detail} label="Loading the license item…">
        {(d) => (
          <>
            <Card>
              <ItemSummary
                item={d.licenseItem}
                tz={timeZone}
                showUsage={canManage}
                linkProjects={canManage}
              />
            </Card>
            <Card title="Activation codes">
              {d.licenseItem.activationCodes.length === 0 ? (
                <p className="muted">No activation codes yet. Your vendor issues them with the license.</p>
              ) : (
                <div className="table-wrap">
                  <table className="table">
                    <thead>
                      <tr>
                        <th>Code prefix</th>
                        <th className="num">Activations</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.licenseItem.activationCodes.map((c) => (
                        <tr key={c.id}>
                          <td className="id-mono">{c.prefix}…</td>
                          <td className="num">{formatUsedOf(c.activations, c.maxActivations)}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
              {d.licenseItem.model === 'single-user' && d.licenseItem.takesPerPeriod !== null && (
                <p className="muted small">
                  Takes allowed: {formatNumber(d.licenseItem.takesPerPeriod)} per{' '}
                  {d.licenseItem.takePeriodDays === 1
                    ? 'day'
                    : `${formatNumber(d.licenseItem.takePeriodDays ?? 0)} days`}
                  .
                </p>
              )}
            </Card>
          </>
        )}
      </Async>
    </div>
  );
}
