/** Storage rows → API resource shapes (contract/resources.ts). Instants become ISO strings. */
import type { Deployment, LicenseModel, OrderKind, Role } from '../contract/domain.ts';
import type {
  ActivationCode,
  Activation as ActivationResource,
  LicenseItem,
  Order,
  Organization,
  Product,
  User,
} from '../contract/resources.ts';
import { formatRefreshInterval } from '../core/refresh-interval.ts';
import type {
  ActivationCodeRow,
  LicenseItemRow,
  OrderRow,
  OrganizationRow,
  ProductRow,
} from '../storage/catalog-repository.ts';
import type { ActivationsTable } from '../storage/schema.ts';
import type { UserRow } from '../storage/user-repository.ts';

export const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
const jsonList = (text: string): string[] => JSON.parse(text) as string[];

export const presentUser = (u: UserRow): User => ({
  id: u.id,
  organizationId: u.organization_id,
  email: u.email,
  role: u.role as Role,
  timeZone: u.time_zone,
  disabled: u.disabled === 1,
  createdAt: iso(u.created_at),
});

export const presentOrganization = (o: OrganizationRow): Organization => ({
  id: o.id,
  name: o.name,
  createdAt: iso(o.created_at),
});

export const presentProduct = (p: ProductRow): Product => ({
  id: p.id,
  name: p.name,
  modules: jsonList(p.modules),
  createdAt: iso(p.created_at),
});

export const presentOrder = (o: OrderRow): Order => ({
  id: o.id,
  organizationId: o.organization_id,
  kind: o.kind as OrderKind,
  createdAt: iso(o.created_at),
});

export const presentLicenseItem = (i: LicenseItemRow, productName: string): LicenseItem => ({
  id: i.id,
  organizationId: i.organization_id,
  orderId: i.order_id,
  productId: i.product_id,
  productName,
  name: i.name,
  version: i.version,
  deployment: i.deployment as Deployment,
  model: i.model as LicenseModel,
  quota: i.quota,
  refreshInterval: formatRefreshInterval(i.refresh_interval_s),
  validFrom: iso(i.valid_from),
  validTo: iso(i.valid_to),
  modules: jsonList(i.modules),
  takesPerPeriod: i.takes_per_period,
  takePeriodDays: i.take_period_days,
  deviceGracePct: i.device_grace_pct,
  createdAt: iso(i.created_at),
});

/** The whole code only for vendors; everyone else sees the prefix. */
export const presentActivationCode = (
  c: ActivationCodeRow,
  prefix: string,
  showCode: boolean,
): ActivationCode => ({
  id: c.id,
  organizationId: c.organization_id,
  licenseItemId: c.license_item_id,
  ...(showCode ? { code: c.code } : {}),
  prefix,
  maxActivations: c.max_activations,
  createdAt: iso(c.created_at),
});

export const presentActivation = (
  a: {
    [K in keyof ActivationsTable]: ActivationsTable[K];
  },
): ActivationResource => ({
  id: a.id,
  licenseItemId: a.license_item_id,
  activationCodeId: a.activation_code_id,
  fingerprint: a.fingerprint,
  hostname: a.hostname,
  email: a.email,
  version: a.version,
  createdAt: iso(a.created_at),
  lastSeenAt: iso(a.last_seen_at),
  deactivatedAt: isoOrNull(a.deactivated_at),
});
