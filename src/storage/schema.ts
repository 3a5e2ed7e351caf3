/**
 * Kysely table types. Instants are epoch milliseconds (bigint columns, parsed to number on
 * PostgreSQL) so bucket arithmetic and comparisons are identical on both dialects.
 * Booleans are 0/1 integers for the same reason. JSON columns hold JSON text.
 */
import type { Generated } from 'kysely';

export interface OrganizationsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  organization_id: string | null;
  email: string;
  password_hash: string;
  role: string;
  time_zone: string;
  failed_logins: Generated<number>;
  locked_until: number | null;
  disabled: Generated<number>;
  created_at: number;
}

export interface AuthSessionsTable {
  /** sha256 of the cookie value */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** sha256 of the token */
  token_hash: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  /** the token it was made with (POST /api-tokens authenticated by a token); null: a login or the CLI */
  parent_token_id: string | null;
}

export interface ProductsTable {
  id: string;
  name: string;
  modules: string; // JSON string[]
  created_at: number;
}

export interface OrdersTable {
  id: string;
  organization_id: string;
  kind: string;
  created_at: number;
}

export interface LicenseItemsTable {
  id: string;
  organization_id: string;
  order_id: string;
  product_id: string;
  name: string;
  version: string;
  deployment: string;
  model: string;
  quota: number;
  refresh_interval_s: number;
  valid_from: number;
  valid_to: number;
  modules: string; // JSON string[]
  takes_per_period: number | null;
  take_period_days: number | null;
  device_grace_pct: Generated<number>;
  created_at: number;
}

export interface ActivationCodesTable {
  id: string;
  organization_id: string;
  license_item_id: string;
  code: string;
  prefix: string;
  max_activations: number;
  created_at: number;
}

export interface ProjectsTable {
  id: string;
  organization_id: string;
  name: string;
  key: string;
  /** JSON string[] of item ids set by an admin; null = default order */
  usage_order: string | null;
  created_at: number;
}

export interface ProjectItemsTable {
  project_id: string;
  license_item_id: string;
  organization_id: string;
}

export interface ActivationsTable {
  id: string;
  organization_id: string;
  license_item_id: string;
  activation_code_id: string;
  fingerprint: string;
  hostname: string | null;
  email: string | null;
  version: string | null;
  created_at: number;
  last_seen_at: number;
  deactivated_at: number | null;
  /** 'client' | 'admin' | 'take' */
  deactivated_by: string | null;
}

export interface SessionsTable {
  id: string;
  organization_id: string;
  license_item_id: string;
  activation_code_id: string | null;
  project_id: string | null;
  activation_id: string | null;
  fingerprint: string;
  email: string;
  program: string;
  version: string | null;
  mode: string;
  reason: string | null;
  holds_seat: number;
  started_at: number;
  renewed_at: number;
  lease_expires_at: number;
  ended_at: number | null;
  /** 'closed' | 'expired' (expired is written lazily; readers derive it from lease_expires_at) */
  end_reason: string | null;
}

export interface UsageEventsTable {
  id: Generated<number>;
  organization_id: string;
  license_item_id: string;
  /** null = unassigned */
  project_id: string | null;
  activation_code_id: string | null;
  activation_id: string | null;
  session_id: string | null;
  kind: string;
  count: number;
  at: number;
  received_at: number;
  email: string | null;
  fingerprint: string | null;
  batch_id: string | null;
}

export interface UsageBatchesTable {
  /** sha256(license key + batchId) */
  id: string;
  organization_id: string;
  batch_id: string;
  /** sha256 of the request body, to tell a retry from a different batch reusing the id */
  body_hash: string;
  response: string;
  received_at: number;
}

/** Additive rollup of the ledger in UTC quarter hours (every modern zone offset is a multiple of 15 min). */
export interface UsageRollupsTable {
  organization_id: string;
  license_item_id: string;
  /** '' = unassigned (primary keys cannot hold null) */
  project_id: string;
  kind: string;
  bucket: number;
  value: number;
}

/** Distinct devices per quarter hour, so distinct counts over any aligned window stay exact. */
export interface DevicePresenceTable {
  organization_id: string;
  license_item_id: string;
  project_id: string;
  fingerprint: string;
  bucket: number;
}

export interface StatsBaselinesTable {
  id: string;
  organization_id: string;
  license_item_id: string | null;
  /** '' when the baseline covers a whole item or organization; '-' for the project-key row */
  activation_code_id: string | null;
  reset_at: number;
  user_id: string | null;
}

export interface AuditLogTable {
  id: string;
  organization_id: string | null;
  user_id: string | null;
  action: string;
  target: string | null;
  details: string | null;
  at: number;
}

export interface ServerKeysTable {
  id: string;
  public_key: string;
  private_key: string;
  created_at: number;
}

export interface CountersTable {
  name: string;
  value: number;
}

export interface AlertSettingsTable {
  organization_id: string;
  settings: string; // JSON AlertSettings
  updated_at: number;
}

/** One row per alert condition (e.g. `quota:LI-00042:90`): active while it holds; episode counts crossings. */
export interface AlertStateTable {
  organization_id: string;
  alert_key: string;
  active: number;
  episode: number;
  changed_at: number;
}

export interface AlertLogTable {
  id: string;
  organization_id: string;
  alert_key: string;
  episode: number;
  type: string;
  license_item_id: string | null;
  details: string; // JSON
  fired_at: number;
}

export interface WebhooksTable {
  id: string;
  organization_id: string;
  url: string;
  secret: string;
  created_at: number;
  deleted_at: number | null;
}

/** Durable outbox: one row per (webhook, event), claimed by a worker with claimed_until. */
export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  organization_id: string;
  event_id: string;
  event_type: string;
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_until: number | null;
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  at: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface LoginFailuresTable {
  email: string;
  address: string;
  failures: number;
  locked_until: number | null;
  updated_at: number;
  last_success_at: number | null;
  window_start: number | null;
  window_failures: Generated<number>;
}

export interface MailOutboxTable {
  id: string;
  organization_id: string;
  event_id: string;
  recipients: string;
  subject: string;
  body: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  claimed_until: number | null;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface Database {
  organizations: OrganizationsTable;
  users: UsersTable;
  auth_sessions: AuthSessionsTable;
  api_tokens: ApiTokensTable;
  products: ProductsTable;
  orders: OrdersTable;
  license_items: LicenseItemsTable;
  activation_codes: ActivationCodesTable;
  projects: ProjectsTable;
  project_items: ProjectItemsTable;
  activations: ActivationsTable;
  sessions: SessionsTable;
  usage_events: UsageEventsTable;
  usage_batches: UsageBatchesTable;
  usage_rollups: UsageRollupsTable;
  /** the same sums per UTC hour, 6 hours and day (migration 006) */
  usage_rollups_hour: UsageRollupsTable;
  usage_rollups_6h: UsageRollupsTable;
  usage_rollups_day: UsageRollupsTable;
  /** one row per (item, kind, project) over all history, bucket 0 */
  usage_rollups_all: UsageRollupsTable;
  device_presence: DevicePresenceTable;
  /** distinct devices per UTC hour, 6 hours and day */
  device_presence_hour: DevicePresenceTable;
  device_presence_6h: DevicePresenceTable;
  device_presence_day: DevicePresenceTable;
  device_presence_all: DevicePresenceTable;
  stats_baselines: StatsBaselinesTable;
  audit_log: AuditLogTable;
  server_keys: ServerKeysTable;
  counters: CountersTable;
  alert_settings: AlertSettingsTable;
  alert_state: AlertStateTable;
  alert_log: AlertLogTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  mail_outbox: MailOutboxTable;
  login_failures: LoginFailuresTable;
  webhook_attempts: WebhookAttemptsTable;
}
