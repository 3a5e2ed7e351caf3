/**
 * Response schemas of the vendor and portal resource routes, for the OpenAPI document and fast
 * serialisation. The assertions at the end keep them identical to the contract's interfaces.
 */
import { type Static, type TSchema, Type } from 'typebox';
import { DEPLOYMENTS, LICENSE_MODELS, ORDER_KINDS, ROLES } from '../../../contract/domain.ts';
import type {
  ActivationListItem,
  AuditEntry,
  CondensedSessionRow,
  ResetStatsAnswer,
  SessionHistoryRow,
  UsageStatisticsRow,
} from '../../../contract/portal.ts';
import type {
  ActivationCode,
  LicenseItem,
  Order,
  Organization,
  Product,
  Project,
  User,
} from '../../../contract/resources.ts';

const Str = Type.String();
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Instant = Type.String({ description: 'ISO 8601' });

export const OrganizationSchema = Type.Object({ id: Str, name: Str, createdAt: Instant });
export const UserSchema = Type.Object({
  id: Str,
  organizationId: Nullable(Str),
  email: Str,
  role: Type.Enum(ROLES),
  timeZone: Str,
  createdAt: Instant,
});
export const ProductSchema = Type.Object({
  id: Str,
  name: Str,
  modules: Type.Array(Str),
  createdAt: Instant,
});
export const OrderSchema = Type.Object({
  id: Str,
  organizationId: Str,
  kind: Type.Enum(ORDER_KINDS),
  createdAt: Instant,
});
export const LicenseItemSchema = Type.Object({
  id: Str,
  organizationId: Str,
  orderId: Str,
  productId: Str,
  productName: Str,
  name: Str,
  version: Str,
  deployment: Type.Enum(DEPLOYMENTS),
  model: Type.Enum(LICENSE_MODELS),
  quota: Type.Number(),
  refreshInterval: Str,
  validFrom: Instant,
  validTo: Instant,
  modules: Type.Array(Str),
  takesPerPeriod: Nullable(Type.Number()),
  takePeriodDays: Nullable(Type.Number()),
  deviceGracePct: Type.Number(),
  createdAt: Instant,
});
export const ActivationCodeSchema = Type.Object({
  id: Str,
  organizationId: Str,
  licenseItemId: Str,
  code: Type.Optional(Type.String({ description: 'the license key; vendors only' })),
  prefix: Str,
  maxActivations: Type.Number(),
  createdAt: Instant,
});
export const ProjectSchema = Type.Object({
  id: Str,
  organizationId: Str,
  name: Str,
  key: Str,
  licenseItemIds: Type.Array(Str),
  usageOrder: Type.Array(Str, { description: 'effective license usage order' }),
  customOrder: Type.Boolean(),
  createdAt: Instant,
});
export const ApiTokenSchema = Type.Object({
  id: Str,
  name: Str,
  createdAt: Instant,
  lastUsedAt: Nullable(Instant),
  revokedAt: Nullable(Instant),
  token: Type.Optional(Type.String({ description: 'shown once, at creation' })),
});

const Count = Nullable(Type.Number());
export const UsageStatisticsRowSchema = Type.Object({
  rowKey: Str,
  licenseItemId: Str,
  licenseItemName: Str,
  product: Str,
  model: Type.Enum(LICENSE_MODELS),
  licenses: Str,
  status: Str,
  expired: Type.Boolean(),
  activations: Nullable(Str),
  activationsUsed: Count,
  activationsAvailable: Count,
  source: Type.Enum(['activation-code', 'project-key', 'none']),
  activationCodeId: Nullable(Str),
  activationCode: Nullable(Str),
  fullAccess: Count,
  limitedAccess: Count,
  declinedAccess: Count,
  takes: Count,
  takeDenied: Count,
  checkouts: Count,
  countingSince: Nullable(Instant),
});
export const ResetStatsSchema = Type.Object({
  scope: Type.Enum(['organization', 'license-item', 'row']),
  organizationId: Str,
  licenseItemId: Nullable(Str),
  activationCodeId: Nullable(Str),
  resetAt: Instant,
});
export const SessionRowSchema = Type.Object({
  id: Str,
  time: Instant,
  program: Str,
  version: Nullable(Str),
  email: Str,
  machine: Str,
  durationSeconds: Type.Number(),
  status: Type.Enum(['active', 'closed', 'expired']),
  endedAt: Nullable(Instant),
  licenseItemId: Str,
});
export const CondensedRowSchema = Type.Object({
  program: Str,
  email: Str,
  durationSeconds: Type.Number(),
  sessions: Type.Number(),
});
export const ActivationListItemSchema = Type.Object({
  id: Str,
  licenseItemId: Str,
  activationCodeId: Str,
  fingerprint: Str,
  hostname: Nullable(Str),
  email: Nullable(Str),
  version: Nullable(Str),
  createdAt: Instant,
  lastSeenAt: Instant,
  deactivatedAt: Nullable(Instant),
  activationCodePrefix: Str,
});
export const AuditEntrySchema = Type.Object({
  id: Str,
  organizationId: Nullable(Str),
  userId: Nullable(Str),
  action: Str,
  target: Nullable(Str),
  details: Type.Unknown(),
  at: Instant,
});

// Compile-time: each schema describes exactly its contract type.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(_: T) => undefined;
same<Same<Static<typeof OrganizationSchema>, Organization>>(true);
same<Same<Static<typeof UserSchema>, User>>(true);
same<Same<Static<typeof ProductSchema>, Product>>(true);
same<Same<Static<typeof OrderSchema>, Order>>(true);
same<Same<Static<typeof LicenseItemSchema>, LicenseItem>>(true);
same<Same<Static<typeof ActivationCodeSchema>, ActivationCode>>(true);
same<Same<Static<typeof ProjectSchema>, Project>>(true);
same<Same<Static<typeof UsageStatisticsRowSchema>, UsageStatisticsRow>>(true);
same<Same<Static<typeof ResetStatsSchema>, ResetStatsAnswer>>(true);
same<Same<Static<typeof SessionRowSchema>, SessionHistoryRow>>(true);
same<Same<Static<typeof CondensedRowSchema>, CondensedSessionRow>>(true);
same<Same<Static<typeof ActivationListItemSchema>, ActivationListItem>>(true);
same<Same<Static<typeof AuditEntrySchema>, AuditEntry>>(true);
