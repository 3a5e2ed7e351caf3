/**
 * Who changed what: Reset Stats, deactivations, users, license items, projects, API tokens,
 * webhooks and alert rules. Append-only.
 */
import type { Selectable } from 'kysely';
import { monotonicFactory } from 'ulid';
import type { Scope } from './catalog-repository.ts';
import type { Executor } from './executor.ts';
import type { AuditLogTable } from './schema.ts';

export type AuditRow = Selectable<AuditLogTable>;

/** Monotonic ids: entries written in one process sort in the order they were written, even within a millisecond. */
const nextUlid = monotonicFactory();

export interface AuditEntry {
  organizationId: string | null;
  userId: string | null;
  /** dotted verb, e.g. `stats.reset`, `activation.deactivate`, `user.create` */
  action: string;
  target: string | null;
  details?: Record<string, unknown>;
}

export async function writeAudit(db: Executor, e: AuditEntry, now: number): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      id: `aud_${nextUlid()}`,
      organization_id: e.organizationId,
      user_id: e.userId,
      action: e.action,
      target: e.target,
      details: e.details ? JSON.stringify(e.details) : null,
      at: now,
    })
    .execute();
}

/**
 * Audit entries, newest first, with who made each: the user's email and role (null: deleted, or
 * the CLI). `before` is the id of the last row of the previous page (ids sort by time).
 */
export async function listAudit(
  db: Executor,
  scope: Scope,
  opts: { limit: number; before?: string; organizationId?: string },
): Promise<(AuditRow & { user_email: string | null; user_role: string | null })[]> {
  let q = db
    .selectFrom('audit_log')
    .leftJoin('users', 'users.id', 'audit_log.user_id')
    .selectAll('audit_log')
    .select(['users.email as user_email', 'users.role as user_role'])
    .orderBy('audit_log.id', 'desc')
    .limit(opts.limit);
  if (scope.organizationId !== null) q = q.where('audit_log.organization_id', '=', scope.organizationId);
  else if (opts.organizationId) q = q.where('audit_log.organization_id', '=', opts.organizationId);
  if (opts.before) q = q.where('audit_log.id', '<', opts.before);
  return q.execute();
}
