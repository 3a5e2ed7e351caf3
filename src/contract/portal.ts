/**
 * Portal API responses for the admin pages (SPEC §4.3–4.5): license usage statistics, session
 * history, activations, audit log. Instants are ISO 8601 strings (with the viewer's zone offset
 * where the spec asks for it).
 */
import type { LicenseModel, SessionEndReason } from './domain.ts';
import type { Activation, User } from './resources.ts';

export interface AuthAnswer {
  user: User;
  /** send as X-CSRF-Token on cookie-authenticated writes */
  csrfToken: string | null;
}

/** Which usage a §4.3 row counts: one activation code's, or the item's usage through project keys. */
export type UsageRowSource = 'activation-code' | 'project-key' | 'none';

export interface UsageStatisticsRow {
  /** `<itemId>:<activationCodeId>`, `<itemId>:project-key`, or `<itemId>:none` (item without codes) */
  rowKey: string;
  licenseItemId: string;
  licenseItemName: string;
  /** the Product column: the product's name */
  product: string;
  model: LicenseModel;
  /** e.g. `5 MUL` (SUL, MUL, HWK, DEV, SCAN) */
  licenses: string;
  /** the item's quota, the number in `licenses` */
  quota: number;
  /** `Expires 2027-01-01` or `Expired 2026-01-01` (date in the viewer's zone) */
  status: string;
  expired: boolean;
  /** the end of the item's validity (ISO instant), the date in `status` */
  validTo: string;
  /** `used of available` for an activation code row; null for project-key rows */
  activations: string | null;
  activationsUsed: number | null;
  activationsAvailable: number | null;
  source: UsageRowSource;
  activationCodeId: string | null;
  /** the code's prefix, or `Project key` for the project-key row; null when the item has no code */
  activationCode: string | null;
  /** counters since the latest applicable Reset Stats; null for hardware-key rows (no usage) */
  fullAccess: number | null;
  limitedAccess: number | null;
  declinedAccess: number | null;
  /** single-user only (0 for other models) */
  takes: number | null;
  takeDenied: number | null;
  /** multi-user only (0 for other models) */
  checkouts: number | null;
  /** the baseline these counters start from; null = all history */
  countingSince: string | null;
}

export interface UsageStatistics {
  organizationId: string;
  timeZone: string;
  rows: UsageStatisticsRow[];
}

export interface ResetStatsAnswer {
  scope: 'organization' | 'license-item' | 'row';
  organizationId: string;
  licenseItemId: string | null;
  activationCodeId: string | null;
  resetAt: string;
}

export type SessionStatus = 'active' | SessionEndReason;

export interface SessionHistoryRow {
  id: string;
  /** start, in the viewer's zone */
  time: string;
  program: string;
  version: string | null;
  email: string;
  /** the machine's host name when known, else its fingerprint */
  machine: string;
  /** whole seconds; for an active session, until now; an expired lease ends at its expiry */
  durationSeconds: number;
  status: SessionStatus;
  /** end instant in the viewer's zone; null while active */
  endedAt: string | null;
  licenseItemId: string;
}

/**
 * What SPEC §4.4 leaves out of the window: users whose activation of an item was deactivated
 * within it (a take deactivates the machine it moves the license from), and their sessions.
 */
export interface SessionHistoryLeftOut {
  users: number;
  sessions: number;
}

export interface SessionHistoryFull {
  view: 'full';
  from: string;
  to: string;
  timeZone: string;
  leftOut: SessionHistoryLeftOut;
  rows: SessionHistoryRow[];
  /** pass as `cursor` for the next page; null on the last page */
  nextCursor: string | null;
}

export interface CondensedSessionRow {
  program: string;
  email: string;
  durationSeconds: number;
  sessions: number;
}

export interface SessionHistoryCondensed {
  view: 'condensed';
  from: string;
  to: string;
  timeZone: string;
  leftOut: SessionHistoryLeftOut;
  rows: CondensedSessionRow[];
}

export interface ActivationListItem extends Activation {
  activationCodePrefix: string;
}

export interface AuditEntry {
  id: string;
  organizationId: string | null;
  userId: string | null;
  /**
   * who, in words: the user's email; `vendor staff` for the vendor's people when an organization's
   * admin reads it; `licstat CLI` for the operator's commands; `a deleted user`
   */
  by: string;
  action: string;
  target: string | null;
  details: unknown;
  at: string;
}
