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
  const row: UserRow = {
    id: newId('usr'),
    organization_id: u.organizationId,
    email: normalizeEmail(u.email),
    password_hash: await hashPassword(u.password),
    role: u.role,
    time_zone: u.timeZone ?? 'UTC',
    failed_logins: 0,
    locked_until: null,
    disabled: 0,
    created_at: now,
  };
  await db.insertInto('users').values(row).execute();
  return row;
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

export async function deleteUser(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

export async function recordLoginFailure(
  db: Executor,
  id: string,
  failures: number,
  lockedUntil: number | null,
): Promise<void> {
  await db
    .updateTable('users')
    .set({ failed_logins: failures, locked_until: lockedUntil })
    .where('id', '=', id)
    .execute();
}

export async function recordLoginSuccess(db: Executor, id: string): Promise<void> {
  await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
}

/**
 * On an empty user table, create the vendor user named by LICSTAT_ADMIN_EMAIL/PASSWORD.
 * Returns the created user, or null when there was nothing to do.
 */
export async function ensureBootstrapVendor(db: Db, config: Config, now: number): Promise<UserRow | null> {
  if (!config.adminEmail || !config.adminPassword) return null;
  const any = await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (any) return null;
  return createUser(
    db.kysely,
    { organizationId: null, email: config.adminEmail, password: config.adminPassword, role: 'vendor' },
    now,
  );
}
