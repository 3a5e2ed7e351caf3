/**
 * GET /live: server-sent events of an organization's activity. Each `snapshot` event carries the
 * active sessions and today's counters (in the viewer's zone), filtered like the request
 * (`licenseItemId` or `projectId`); a new snapshot follows each committed change.
 */
import { Type } from 'typebox';

export const LiveQuerySchema = Type.Object(
  {
    organizationId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    licenseItemId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    projectId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

export interface LiveSession {
  id: string;
  licenseItemId: string;
  projectId: string | null;
  program: string;
  version: string | null;
  email: string;
  machine: string;
  mode: 'full' | 'limited';
  startedAt: string;
  leaseExpiresAt: string;
}

export interface LiveSnapshot {
  at: string;
  /** active = not ended and lease not expired; newest first, at most 200 */
  sessions: LiveSession[];
  /** true when more sessions are active than listed */
  truncated: boolean;
  /** today (from local midnight in `timeZone`): ledger events by kind; `scan` is the sum of counts */
  today: { start: string; timeZone: string; counts: Record<string, number> };
}
