/** Domain vocabulary shared by server, SDK and web. */

export const LICENSE_MODELS = [
  'single-user',
  'multi-user',
  'hardware-key',
  'per-device',
  'per-scan',
] as const;
export type LicenseModel = (typeof LICENSE_MODELS)[number];

export const USAGE_KINDS = [
  'full_access',
  'limited_access',
  'declined',
  'take',
  'take_denied',
  'checkout',
  'scan',
  'device_seen',
] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

export const ROLES = ['vendor', 'admin', 'member'] as const;
export type Role = (typeof ROLES)[number];

export const ORDER_KINDS = ['full', 'trial'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

export const DEPLOYMENTS = ['computer', 'device'] as const;
export type Deployment = (typeof DEPLOYMENTS)[number];

export type SessionMode = 'full' | 'limited';
/**
 * How a session ended: `closed` by the client, `expired` (its lease was not renewed), or `revoked`:
 * the machine's activation was deactivated or its license taken, which ends the full access it gave.
 */
export type SessionEndReason = 'closed' | 'expired' | 'revoked';

export type QuotaType = 'licenses' | 'seats' | 'dongles' | 'devices' | 'scans';

/** A portal login email as the API accepts it (POST /users; `licstat user create` checks the same). */
export const LOGIN_EMAIL = { pattern: '^[^\\s@]+@[^\\s@]+$', maxLength: 254 } as const;

/** Password length as POST /users accepts it; the CLI and LICSTAT_ADMIN_PASSWORD hold to it too. */
export const PASSWORD_LENGTH = { min: 8, max: 1024 } as const;

/** The most scans one usage event may carry (the client API refuses more; the SDK checks first). */
export const MAX_EVENT_COUNT = 1_000_000_000;

export const GRANULARITIES = ['2h', 'day', 'week'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The project key used in stats and pies for usage that no project claims. */
export const UNASSIGNED = 'unassigned';
export const REMAINING = 'remaining';

/** Rows per page of a project's 2-hour table in the portal (the bench measures that request). */
export const TABLE_PAGE_ROWS = 48;
