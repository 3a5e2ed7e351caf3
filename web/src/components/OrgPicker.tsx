/**
 * Vendors see every organization: pages scoped to one organization show this picker (the choice
 * is remembered). Customers never see it; the server scopes them to their own organization.
 */
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Link } from 'react-router';
import type { Organization } from '../../../src/contract/resources.ts';
import { useApi } from '../api/use-api.ts';
import { ORG_KEY, useAuth } from '../auth.tsx';
import { Empty, Loading } from './ui.tsx';

const KEY = ORG_KEY;

interface OrgState {
  /** the organization a vendor is looking at; undefined for customers (server-scoped) */
  organizationId: string | undefined;
  organizations: Organization[];
  setOrganizationId(id: string): void;
  isVendor: boolean;
  loaded: boolean;
}

const OrgContext = createContext<OrgState | null>(null);

export function OrgProvider({ children }: { children: ReactNode }) {
  const { user } = useAuth();
  const isVendor = user?.role === 'vendor';
  const orgs = useApi<{ organizations: Organization[] }>(isVendor ? '/organizations' : null);
  useOrgReload(orgs.reload);
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(KEY));
  const list = orgs.data?.organizations ?? [];
  const valid = chosen && list.some((o) => o.id === chosen) ? chosen : list[0]?.id;
  const setOrganizationId = useCallback((id: string) => {
    localStorage.setItem(KEY, id);
    setChosen(id);
  }, []);
  const value = useMemo<OrgState>(
    () => ({
      organizationId: isVendor ? valid : undefined,
      organizations: list,
      setOrganizationId,
      isVendor,
      loaded: !isVendor || orgs.data !== undefined || orgs.error !== undefined,
    }),
    [isVendor, valid, list, setOrganizationId, orgs.data, orgs.error],
  );
  return <OrgContext.Provider value={value}>{children}</OrgContext.Provider>;
}

export function useOrg(): OrgState & { reloadOrgs(): void } {
  const ctx = useContext(OrgContext);
  if (!ctx) throw new Error('useOrg outside OrgProvider');
  return { ...ctx, reloadOrgs: () => window.dispatchEvent(new Event('licstat:orgs')) };
}

/** Listens for "organizations changed" (the vendor console created one) and reloads the list. */
export function useOrgReload(reload: () => void): void {
  useEffect(() => {
    window.addEventListener('licstat:orgs', reload);
    return () => window.removeEventListener('licstat:orgs', reload);
  }, [reload]);
}

/**
 * A vendor opening a resource of another organization (a link, a bookmark, a search): the picker
 * follows the resource once, so breadcrumbs and lists agree with the page. Only when the
 * resource's organization changes: choosing another organization in the picker afterwards stays.
 */
export function useFollowOrganization(organizationId: string | undefined): void {
  const { isVendor, organizationId: current, setOrganizationId } = useOrg();
  const latest = useRef({ current, setOrganizationId });
  latest.current = { current, setOrganizationId };
  useEffect(() => {
    const { current: picked, setOrganizationId: pick } = latest.current;
    if (isVendor && organizationId && organizationId !== picked) pick(organizationId);
  }, [isVendor, organizationId]);
}

export function OrgPicker() {
  const { isVendor, organizations, organizationId, setOrganizationId } = useOrg();
  if (!isVendor) return null;
  if (organizations.length === 0) return <span className="muted small">No organizations yet</span>;
  return (
    <label className="tz-select tz-compact">
      <span className="tz-label">Organization</span>
      <select
        value={organizationId}
        onChange={(e) => setOrganizationId(e.target.value)}
        data-testid="org-select"
      >
        {organizations.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What an organization-scoped page shows before it can load: a vendor without organizations is told what to do. */
export function OrgPending() {
  const { isVendor, loaded, organizations } = useOrg();
  if (isVendor && loaded && organizations.length === 0)
    return (
      <Empty title="No customer organizations yet">
        Create one in the <Link to="/vendor/organizations">Vendor console</Link>; then its licenses and usage
        appear here.
      </Empty>
    );
  return <Loading />;
}
