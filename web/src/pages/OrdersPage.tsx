/** Orders: the organization's purchases, each leading to its license items. */
import { Link } from 'react-router';
import type { LicenseItem, Order } from '../../../src/contract/resources.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { useOrg } from '../components/OrgPicker.tsx';
import { Async, Badge, Card, Empty, Loading, PageHeader } from '../components/ui.tsx';
import { formatDate, ORDER_LABEL } from '../format.ts';
import { useDocumentTitle } from '../title.ts';

export default function OrdersPage() {
  const { timeZone } = useAuth();
  const org = useOrg();
  useDocumentTitle('Orders');
  const q = org.isVendor ? { organizationId: org.organizationId } : undefined;
  const ready = org.loaded && (!org.isVendor || org.organizationId !== undefined);
  const orders = useApi<{ orders: Order[] }>(ready ? '/orders' : null, q);
  const items = useApi<{ licenseItems: LicenseItem[] }>(ready ? '/license-items' : null, q);
  const byOrder = new Map<string, LicenseItem[]>();
  for (const i of items.data?.licenseItems ?? [])
    byOrder.set(i.orderId, [...(byOrder.get(i.orderId) ?? []), i]);

  return (
    <div className="page">
      <PageHeader
        title="Orders"
        subtitle="Your purchases. Open one to see its license items and their usage."
      />
      {org.isVendor && org.loaded && org.organizations.length === 0 ? (
        <Empty title="No customer organizations yet">
          Create one in the <Link to="/vendor/organizations">Vendor console</Link>.
        </Empty>
      ) : !ready ? (
        <Loading />
      ) : (
        <Async state={orders} label="Loading orders…">
          {(d) =>
            d.orders.length === 0 ? (
              <Empty title="No orders yet">
                {org.isVendor ? (
                  <>
                    Create an order for this organization in the{' '}
                    <Link to="/vendor/orders">Vendor console</Link>.
                  </>
                ) : (
                  'When your vendor issues licenses to your organization, they appear here.'
                )}
              </Empty>
            ) : (
              <Card>
                <ul className="order-list" data-testid="orders">
                  {d.orders.map((o) => {
                    const its = byOrder.get(o.id) ?? [];
                    return (
                      <li key={o.id}>
                        <Link to={`/orders/${o.id}`} className="order-row">
                          <span>
                            <strong>{ORDER_LABEL[o.kind]}</strong>
                            <span className="table-sub">
                              Order {o.id} · {formatDate(o.createdAt, timeZone)}
                            </span>
                          </span>
                          <span className="chips">
                            {[...new Set(its.map((i) => i.productName))].map((p) => (
                              <span key={p} className="chip">
                                {p}
                              </span>
                            ))}
                            <Badge tone={o.kind === 'full' ? 'info' : 'warn'}>
                              {its.length} license item{its.length === 1 ? '' : 's'}
                            </Badge>
                          </span>
                        </Link>
                      </li>
                    );
                  })}
                </ul>
              </Card>
            )
          }
        </Async>
      )}
    </div>
  );
}
