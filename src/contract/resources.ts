/** Resource shapes as the API returns them (shared by server, SDK/CLI and web). Instants are ISO strings. */
import type { Deployment, LicenseModel, OrderKind, Role } from './domain.ts';

export interface Organization {
  id: string;
  name: string;
  createdAt: string;
}

export interface User {
  id: string;
  organizationId: string | null;
  email: string;
  role: Role;
  timeZone: string;
  /** a disabled user cannot log in; their API tokens stop working */
  disabled: boolean;
  createdAt: string;
}

export interface Product {
  id: string;
  name: string;
  modules: string[];
  createdAt: string;
}

export interface Order {
  id: string;
  organizationId: string;
  kind: OrderKind;
  createdAt: string;
}

export interface LicenseItem {
  id: string;
  organizationId: string;
  orderId: string;
  productId: string;
  productName: string;
  name: string;
  version: string;
  deployment: Deployment;
  model: LicenseModel;
  quota: number;
  /** e.g. "1d", "2h" */
  refreshInterval: string;
  validFrom: string;
  validTo: string;
  modules: string[];
  takesPerPeriod: number | null;
  takePeriodDays: number | null;
  deviceGracePct: number;
  createdAt: string;
}

export interface ActivationCode {
  id: string;
  organizationId: string;
  licenseItemId: string;
  /** the license key; shown to vendors, and to nobody else after creation */
  code?: string;
  prefix: string;
  maxActivations: number;
  createdAt: string;
}

export interface Project {
  id: string;
  organizationId: string;
  name: string;
  key: string;
  licenseItemIds: string[];
  /** effective license usage order (item ids) */
  usageOrder: string[];
  /** true when an admin set the order; false = default (expires first, then most quota left) */
  customOrder: boolean;
  createdAt: string;
}

export interface Activation {
  id: string;
  licenseItemId: string;
  activationCodeId: string;
  fingerprint: string;
  hostname: string | null;
  email: string | null;
  version: string | null;
  createdAt: string;
  lastSeenAt: string;
  deactivatedAt: string | null;
}

/** A user's API token for scripts (Authorization: Bearer); `token` only in the creation answer. */
export interface ApiToken {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  token?: string;
}
