/** Portal users: vendor staff (no organization), customer admins and members. */
import type { Selectable } from 'kysely';
import type { Config } from '../config.ts';
import type { Role } from '../contract/domain.ts';
import { newId } from '../core/ids.ts';
import { hashPassword } from '../core/passwords.ts';
import type { Scope } from './catalog-repository.ts';
import type { Db } from './db.ts';
import type { Executor } from './executor.ts';
import type { UsersTable } from './schema.ts';
import { isUniqueViolation } from './unique-violation.ts';

export type UserRow = Selectable<UsersTable>;

export interface NewUser {
  organizationId: string | null;
  email: string;
  password: string;
  role: Role;
  timeZone?: string;
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export async function createUser(db: Executor, u: NewUser, now: number): Promise<UserRow> {
  // failed_logins and locked_until are no longer read (login lockout: login_failures, migration
  // 011): they keep their column defaults (0, NULL)
  return db
    .insertInto('users')
    .values({
      id: newId('usr'),
      organization_id: u.organizationId,
      email: normalizeEmail(u.email),
      password_hash: await hashPassword(u.password),
      role: u.role,
      time_zone: u.timeZone ?? 'UTC',
      disabled: 0,
      created_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
}

export async function emailTaken(db: Executor, email: string): Promise<boolean> {
  return (await findUserByEmail(db, email)) !== undefined;
}

export async function getUserById(db: Executor, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A user visible in the scope (vendors see all; admins only their organization's). */
export async function getUser(db: Executor, scope: Scope, id: string): Promise<UserRow | undefined> {
  let q = db.selectFrom('users').selectAll().where('id', '=', id);
  if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
  return q.executeTakeFirst();
}

export async function listUsers(
  db: Executor,
  scope: Scope,
  filter: { organizationId?: string } = {},
): Promise<UserRow[]> {
  let q = db.selectFrom('users').selectAll().orderBy('email');
  if (scope.organizationId !== null) q = q.where('organization_id', '=', scope.organizationId);
  if (filter.organizationId) q = q.where('organization_id', '=', filter.organizationId);
  return q.execute();
}

export async function updateUser(
  db: Executor,
  id: string,
  patch: Partial<Pick<UserRow, 'time_zone' | 'role' | 'disabled' | 'password_hash'>>,
): Promise<void> {
  if (Object.keys(patch).length === 0) return;
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

/**
 * A new password (operator recovery). The caller hashes it first (hashPassword, outside its
 * transaction), ends the user's portal sessions and forgets their failed logins
 * (login-failure-repository.ts: the lockout lives there, not on the users row).
 */
export async function setUserPasswordHash(db: Executor, id: string, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
}

export async function deleteUser(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

/** What LICSTAT_ADMIN_EMAIL/PASSWORD did at start, for `licstat serve` to tell the operator. */
export type BootstrapOutcome =
  /** the variables named a new vendor user on a database without users: created */
  | { kind: 'created'; email: string }
  /** the variables are set, but the database has users: nothing done (`existing`: that email is one) */
  | { kind: 'ignored'; email: string; existing: boolean }
  /** no variables, and no user to log in with */
  | { kind: 'no-users' }
  /** no variables, and users exist */
  | { kind: 'none' };

/**
 * On an empty user table, create the vendor user named by LICSTAT_ADMIN_EMAIL/PASSWORD (loadConfig
 * has checked them: both or neither, an email and password POST /users would accept).
 */
export async function ensureBootstrapVendor(db: Db, config: Config, now: number): Promise<BootstrapOutcome> {
  const any = await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (!config.adminEmail || !config.adminPassword) return { kind: any ? 'none' : 'no-users' };
  const email = normalizeEmail(config.adminEmail);
  const ignored = async (): Promise<BootstrapOutcome> => ({
    kind: 'ignored',
    email,
    existing: await emailTaken(db.kysely, email),
  });
  if (any) return ignored();
  try {
    await createUser(
      db.kysely,
      { organizationId: null, email, password: config.adminPassword, role: 'vendor' },
      now,
    );
  } catch (err) {
    // another process starting on the same empty database made it first
    if (isUniqueViolation(err)) return ignored();
    throw err;
  }
  return { kind: 'created', email };
}
