/**
 * Test helpers: a fresh organization and portal users of each role, with the headers that
 * authenticate them for app.inject — a real login (cookie + CSRF token) or an API token.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/contract/domain.ts';
import { createApiToken } from '../../src/storage/api-token-repository.ts';
import { createOrganization } from '../../src/storage/catalog-repository.ts';
import { createUser, type UserRow } from '../../src/storage/user-repository.ts';
import type { TestApp } from './test-app.ts';

export const TEST_PASSWORD = 'correct horse battery staple';

export const uniq = (): string => randomBytes(5).toString('hex');

export async function newOrg(t: TestApp, name = `Org ${uniq()}`): Promise<string> {
  return (await createOrganization(t.deps.db.kysely, name, t.clock.now())).id;
}

/** A user of `role`; vendors have no organization, others need one (a fresh one when omitted). */
export async function newUser(
  t: TestApp,
  role: Role,
  organizationId?: string | null,
  opts: { timeZone?: string } = {},
): Promise<UserRow> {
  const org = role === 'vendor' ? null : (organizationId ?? (await newOrg(t)));
  return createUser(
    t.deps.db.kysely,
    {
      organizationId: org,
      email: `${role}-${uniq()}@example.test`,
      password: TEST_PASSWORD,
      role,
      ...(opts.timeZone ? { timeZone: opts.timeZone } : {}),
    },
    t.clock.now(),
  );
}

export interface Authed {
  user: UserRow;
  /** headers for app.inject: cookie + X-CSRF-Token, or Authorization: Bearer */
  headers: Record<string, string>;
}

export interface CookieAuthed extends Authed {
  cookie: string;
  csrfToken: string;
}

/** Logs in through POST /auth/login; the headers carry the session cookie and the CSRF token. */
export async function loginUser(t: TestApp, user: UserRow): Promise<CookieAuthed> {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: TEST_PASSWORD },
  });
  if (r.statusCode !== 200) throw new Error(`login failed: ${r.statusCode} ${r.body}`);
  const c = r.cookies.find((x) => x.name === 'licstat_session');
  if (!c) throw new Error('login set no session cookie');
  const csrfToken = (r.json() as { csrfToken: string }).csrfToken;
  const cookie = `licstat_session=${c.value}`;
  return { user, cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}

/** A new user of `role` in `organizationId` (fresh org when omitted), logged in with a cookie. */
export async function loginAs(t: TestApp, role: Role, organizationId?: string | null): Promise<CookieAuthed> {
  return loginUser(t, await newUser(t, role, organizationId));
}

/** A new user of `role` with an API token (Authorization: Bearer). */
export async function bearerAs(t: TestApp, role: Role, organizationId?: string | null): Promise<Authed> {
  const user = await newUser(t, role, organizationId);
  const { token } = await createApiToken(t.deps.db.kysely, user.id, 'test', t.clock.now());
  return { user, headers: { authorization: `Bearer ${token}` } };
}
