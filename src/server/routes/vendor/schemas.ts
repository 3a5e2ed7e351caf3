/**
 * Response schemas of the vendor and portal resource routes, for the OpenAPI document and fast
 * serialisation. The assertions at the end keep them identical to the contract's interfaces.
 */
import { type Static, type TSchema, Type } from 'typebox';
import type {
  AlertLogEntry,
  AlertSettings,
  Webhook,
  WebhookDelivery,
  WebhookEvent,
} from '../../../contract/alerts.ts';
import { DEPLOYMENTS, LICENSE_MODELS, ORDER_KINDS, ROLES } from '../../../contract/domain.ts';
import type {
  ActivationListItem,
  AuditEntry,
  CondensedSessionRow,
  ResetStatsAnswer,
  SessionHistoryCondensed,
  SessionHistoryFull,
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
import type { ItemDetail } from '../../../contract/stats.ts';

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
  disabled: Type.Boolean(),
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
  quota: Type.Number(),
  status: Str,
  expired: Type.Boolean(),
  validTo: Str,
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
  status: Type.Enum(['active', 'closed', 'expired', 'revoked']),
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
  by: Str,
  action: Str,
  target: Nullable(Str),
  details: Type.Unknown(),
  at: Instant,
});

const Window = { from: Instant, to: Instant, timeZone: Str };
const LeftOutSchema = Type.Object(
  { users: Type.Integer(), sessions: Type.Integer() },
  { description: 'users whose activation was deactivated within the window, and their sessions: not listed' },
);
export const SessionHistorySchema = Type.Union([
  Type.Object({
    view: Type.Literal('full'),
    ...Window,
    leftOut: LeftOutSchema,
    rows: Type.Array(SessionRowSchema),
    nextCursor: Nullable(Str),
  }),
  Type.Object({
    view: Type.Literal('condensed'),
    ...Window,
    leftOut: LeftOutSchema,
    rows: Type.Array(CondensedRowSchema),
  }),
]);

const AlertTypeSchema = Type.Enum(['quota', 'declines', 'expiry']);
export const AlertDetailsSchema = Type.Object({
  type: AlertTypeSchema,
  licenseItemId: Str,
  licenseItemName: Str,
  threshold: Type.Number(),
  value: Type.Union([Type.Number(), Str]),
  quota: Nullable(Type.Number()),
  message: Str,
});
export const AlertLogEntrySchema = Type.Object({
  id: Str,
  key: Str,
  type: AlertTypeSchema,
  licenseItemId: Nullable(Str),
  firedAt: Instant,
  details: AlertDetailsSchema,
  email: Nullable(
    Type.Object({
      status: Type.Enum(['pending', 'sent', 'failed']),
      recipients: Type.Integer(),
      attempts: Type.Integer(),
      lastError: Nullable(Str),
      sentAt: Nullable(Instant),
    }),
  ),
});
export const AlertRulesSchema = Type.Object({
  enabled: Type.Boolean(),
  settings: Type.Object({
    quotaThresholds: Type.Array(Type.Integer()),
    declinesPerHour: Type.Integer(),
    expiryDays: Type.Array(Type.Integer()),
  }),
});
export const WebhookSchema = Type.Object({ id: Str, url: Str, createdAt: Instant, secretHint: Str });
export const WebhookDeliverySchema = Type.Object({
  id: Str,
  eventId: Str,
  eventType: Str,
  status: Type.Enum(['pending', 'delivered', 'failed']),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Instant),
  lastStatus: Nullable(Type.Integer()),
  lastError: Nullable(Str),
  createdAt: Instant,
  deliveredAt: Nullable(Instant),
  history: Type.Array(
    Type.Object({
      attempt: Type.Integer(),
      at: Instant,
      status: Nullable(Type.Integer()),
      error: Nullable(Str),
      durationMs: Type.Integer(),
    }),
  ),
});
export const WebhookEventSchema = Type.Object({
  id: Str,
  type: Str,
  organizationId: Str,
  createdAt: Instant,
  data: Type.Union([AlertDetailsSchema, Type.Object({ message: Str })]),
});

export const ItemDetailSchema = Type.Object({
  ...LicenseItemSchema.properties,
  quotaType: Type.Enum(['licenses', 'seats', 'dongles', 'devices', 'scans']),
  measure: Type.Enum(['scans', 'devices', 'starts', 'none']),
  status: Type.Object({ state: Type.Enum(['valid', 'expired', 'not-yet-valid']), label: Str }),
  usage: Nullable(Type.Object({ value: Type.Number(), percentage: Nullable(Type.Number()) })),
  projects: Type.Array(Type.Object({ id: Str, name: Str })),
  activationCodes: Type.Array(
    Type.Object({ id: Str, prefix: Str, maxActivations: Type.Integer(), activations: Type.Integer() }),
  ),
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
same<Same<Static<typeof SessionHistorySchema>, SessionHistoryFull | SessionHistoryCondensed>>(true);
same<Same<Static<typeof AlertLogEntrySchema>, AlertLogEntry>>(true);
same<Same<Static<typeof AlertRulesSchema>, { enabled: boolean; settings: AlertSettings }>>(true);
same<Same<Static<typeof WebhookSchema>, Webhook>>(true);
same<Same<Static<typeof WebhookDeliverySchema>, WebhookDelivery>>(true);
same<Same<Static<typeof WebhookEventSchema>, WebhookEvent>>(true);
same<Same<Static<typeof ItemDetailSchema>, ItemDetail>>(true);
