/** One order ("Full License"): its license items, each with Manage → Usage Statistics. */
import { useParams } from 'react-router';
import type { LicenseItem, Order } from '../../../src/contract/resources.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { ItemsTable } from '../components/ItemsTable.tsx';
import { Async, Card, Empty, PageHeader } from '../components/ui.tsx';
import { formatDate, ORDER_LABEL } from '../format.ts';
import { useDocumentTitle } from '../title.ts';

export default function OrderPage() {
  const { orderId = '' } = useParams();
  const { timeZone, user } = useAuth();
  const order = useApi<{ order: Order; licenseItems: LicenseItem[] }>(
    `/orders/${encodeURIComponent(orderId)}`,
  );
  const o = order.data?.order;
  useDocumentTitle(o ? `${ORDER_LABEL[o.kind]} ${o.id}` : orderId);
  return (
    <div className="page">
      <PageHeader
        crumbs={[{ label: 'Orders', to: '/orders' }, { label: o ? ORDER_LABEL[o.kind] : orderId }]}
        title={o ? ORDER_LABEL[o.kind] : 'Order'}
        subtitle={o ? `Order ${o.id} · placed ${formatDate(o.createdAt, timeZone)}` : undefined}
      />
      <Async state={order} label="Loading the order…">
        {(d) =>
          d.licenseItems.length === 0 ? (
            <Empty title="This order holds no license items yet">
              Your vendor adds them when the licenses are issued.
            </Empty>
          ) : (
            <Card title="License items">
              <ItemsTable items={d.licenseItems} tz={timeZone} manage={user?.role !== 'member'} />
            </Card>
          )
        }
      </Async>
    </div>
  );
}
