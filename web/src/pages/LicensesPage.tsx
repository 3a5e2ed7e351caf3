/** Every license item of the organization (what a member may see). */
import type { LicenseItem } from '../../../src/contract/resources.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { ItemsTable } from '../components/ItemsTable.tsx';
import { OrgPending, useOrg } from '../components/OrgPicker.tsx';
import { Async, Card, Empty, PageHeader } from '../components/ui.tsx';
import { useDocumentTitle } from '../title.ts';

export default function LicensesPage() {
  const { timeZone, user } = useAuth();
  const org = useOrg();
  useDocumentTitle('Licenses');
  const ready = org.loaded && (!org.isVendor || org.organizationId !== undefined);
  const items = useApi<{ licenseItems: LicenseItem[] }>(
    ready ? '/license-items' : null,
    org.isVendor ? { organizationId: org.organizationId } : undefined,
  );
  return (
    <div className="page">
      <PageHeader title="Licenses" subtitle="Every license item of your organization, with its status." />
      {!ready ? (
        <OrgPending />
      ) : (
        <Async state={items} label="Loading licenses…">
          {(d) =>
            d.licenseItems.length === 0 ? (
              <Empty title="No licenses yet">
                When your vendor issues licenses to your organization, they appear here.
              </Empty>
            ) : (
              <Card>
                <ItemsTable items={d.licenseItems} tz={timeZone} manage={user?.role !== 'member'} />
              </Card>
            )
          }
        </Async>
      )}
    </div>
  );
}
