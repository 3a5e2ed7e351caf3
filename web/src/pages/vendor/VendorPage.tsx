/** The vendor console: issue organizations, users, products, orders, license items, codes and projects. */
import { NavLink, Route, Routes, useLocation } from 'react-router';
import { useAuth } from '../../auth.tsx';
import { useOrg } from '../../components/OrgPicker.tsx';
import { Forbidden, PageHeader } from '../../components/ui.tsx';
import { useDocumentTitle } from '../../title.ts';
import { ActivationCodesTab } from './ActivationCodesTab.tsx';
import { LicenseItemsTab } from './LicenseItemsTab.tsx';
import { OrdersTab, OrganizationsTab, ProductsTab, ProjectsTab, UsersTab } from './SimpleTabs.tsx';

const TABS = [
  ['organizations', 'Organizations'],
  ['users', 'Users'],
  ['products', 'Products'],
  ['orders', 'Orders'],
  ['license-items', 'License items'],
  ['activation-codes', 'Activation codes'],
  ['projects', 'Projects'],
] as const;

export default function VendorPage() {
  const { user } = useAuth();
  const org = useOrg();
  const { pathname } = useLocation();
  const tab = TABS.find(([path]) => pathname.startsWith(`/vendor/${path}`))?.[1] ?? TABS[0][1];
  useDocumentTitle(`${tab} · Vendor console`);
  if (user?.role !== 'vendor') return <Forbidden what="the vendor console" />;
  const current = org.organizations.find((o) => o.id === org.organizationId);
  return (
    <div className="page">
      <PageHeader
        title="Vendor console"
        subtitle={
          current
            ? `Issuing licenses for ${current.name}. Pick another organization at the top of the page.`
            : 'Start by creating a customer organization.'
        }
      />
      <nav className="tabs" aria-label="Vendor console">
        {TABS.map(([path, label]) => (
          <NavLink key={path} to={`/vendor/${path}`} className={({ isActive }) => (isActive ? 'active' : '')}>
            {label}
          </NavLink>
        ))}
      </nav>
      <Routes>
        <Route index element={<OrganizationsTab />} />
        <Route path="organizations" element={<OrganizationsTab />} />
        <Route path="users" element={<UsersTab />} />
        <Route path="products" element={<ProductsTab />} />
        <Route path="orders" element={<OrdersTab />} />
        <Route path="license-items" element={<LicenseItemsTab />} />
        <Route path="activation-codes" element={<ActivationCodesTab />} />
        <Route path="projects" element={<ProjectsTab />} />
      </Routes>
    </div>
  );
}
