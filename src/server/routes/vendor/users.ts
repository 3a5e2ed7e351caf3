/**
 * /users: vendors create any user; admins create, list and delete their organization's admins
 * and members. PATCH /users/me sets the caller's own time zone (or password).
 */
import { Type } from 'typebox';
import { LOGIN_EMAIL, PASSWORD_LENGTH, ROLES } from '../../../contract/domain.ts';
import { LicstatError } from '../../../contract/errors.ts';
import { hashPassword, verifyPassword } from '../../../core/passwords.ts';
import { isValidTimeZone } from '../../../core/time-buckets.ts';
import { writeAudit } from '../../../storage/audit-repository.ts';
import { deleteUserAuthSessions } from '../../../storage/auth-session-repository.ts';
import { getOrganization, VENDOR_SCOPE } from '../../../storage/catalog-repository.ts';
import { isUniqueViolation } from '../../../storage/unique-violation.ts';
import {
  createUser,
  deleteUser,
  emailTaken,
  getUser,
  getUserById,
  listUsers,
  updateUser,
} from '../../../storage/user-repository.ts';
import { SESSION_COOKIE } from '../../plugins/auth.ts';
import { presentUser } from '../../present.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { badReference, IdParams, notFound } from './common.ts';
import { UserSchema } from './schemas.ts';

const Role = Type.Union(ROLES.map((r) => Type.Literal(r)));
const Email = Type.String({ minLength: 3, maxLength: LOGIN_EMAIL.maxLength, pattern: LOGIN_EMAIL.pattern });
const Password = Type.String({ minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max });
const Zone = Type.String({ minLength: 1, maxLength: 64 });
const Id = Type.String({ minLength: 1, maxLength: 100 });

const CreateBody = Type.Object(
  {
    organizationId: Type.Optional(Id),
    email: Email,
    password: Password,
    role: Role,
    timeZone: Type.Optional(Zone),
  },
  { additionalProperties: false },
);
const MeBody = Type.Object(
  {
    timeZone: Type.Optional(Zone),
    password: Type.Optional(Password),
    currentPassword: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  },
  { additionalProperties: false },
);
const PatchBody = Type.Object(
  { role: Type.Optional(Role), disabled: Type.Optional(Type.Boolean()), timeZone: Type.Optional(Zone) },
  { additionalProperties: false },
);

function checkZone(tz: string | undefined): void {
  if (tz !== undefined && !isValidTimeZone(tz))
    throw new LicstatError('INVALID_TIME_ZONE', `${tz} is not an IANA time zone (e.g. Europe/Berlin)`);
}

const users: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['users'];

  app.post(
    '/users',
    {
      schema: {
        response: { 201: Type.Object({ user: UserSchema }) },
        tags,
        summary: 'Create a portal user',
        body: CreateBody,
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const b = request.body;
      checkZone(b.timeZone);
      let organizationId: string | null;
      if (p.role === 'admin') {
        if (b.role === 'vendor') throw new LicstatError('FORBIDDEN', 'admins create admins and members only');
        if (b.organizationId && b.organizationId !== p.organizationId)
          throw badReference('organization', b.organizationId);
        organizationId = p.organizationId;
      } else if (b.role === 'vendor') {
        if (b.organizationId)
          throw new LicstatError('VALIDATION_FAILED', 'vendor staff belong to no organization');
        organizationId = null;
      } else {
        if (!b.organizationId)
          throw new LicstatError(
            'VALIDATION_FAILED',
            'body.organizationId is required for admins and members',
          );
        if (!(await getOrganization(db, VENDOR_SCOPE, b.organizationId)))
          throw badReference('organization', b.organizationId);
        organizationId = b.organizationId;
      }
      if (await emailTaken(db, b.email)) throw new LicstatError('DUPLICATE', 'a user with this email exists');
      const now = deps.clock.now();
      const user = await createUser(
        db,
        {
          organizationId,
          email: b.email,
          password: b.password,
          role: b.role,
          ...(b.timeZone ? { timeZone: b.timeZone } : {}),
        },
        now,
      ).catch((err: unknown) => {
        if (isUniqueViolation(err)) throw new LicstatError('DUPLICATE', 'a user with this email exists');
        throw err;
      });
      await writeAudit(
        db,
        {
          organizationId,
          userId: p.userId,
          action: 'user.create',
          target: user.id,
          details: { email: user.email, role: user.role },
        },
        now,
      );
      return reply.status(201).send({ user: presentUser(user) });
    },
  );

  app.get(
    '/users',
    {
      schema: {
        summary: "Portal users: all for the vendor, the organization's own for an admin",
        response: { 200: Type.Object({ users: Type.Array(UserSchema) }) },
        tags,
        querystring: Type.Object({ organizationId: Type.Optional(Id) }, { additionalProperties: false }),
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request) => {
      const org = request.query.organizationId;
      const rows = await listUsers(db, scopeOf(principalOf(request)), org ? { organizationId: org } : {});
      return { users: rows.map(presentUser) };
    },
  );

  app.get(
    '/users/me',
    {
      schema: {
        summary: 'Your own user (as GET /auth/me, without the CSRF token)',
        response: { 200: Type.Object({ user: UserSchema }) },
        tags,
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => {
      const me = await getUserById(db, principalOf(request).userId);
      if (!me) throw new LicstatError('UNAUTHENTICATED', 'log in first');
      return { user: presentUser(me) };
    },
  );

  app.patch(
    '/users/me',
    {
      schema: {
        response: { 200: Type.Object({ user: UserSchema }) },
        tags,
        summary: 'Change your own time zone or password',
        body: MeBody,
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request) => {
      const p = principalOf(request);
      const b = request.body;
      checkZone(b.timeZone);
      const me = (await getUserById(db, p.userId))!;
      const patch: { time_zone?: string; password_hash?: string } = {};
      if (b.timeZone) patch.time_zone = b.timeZone;
      if (b.password) {
        if (!b.currentPassword || !(await verifyPassword(b.currentPassword, me.password_hash)))
          throw new LicstatError('INVALID_CREDENTIALS', 'currentPassword is wrong');
        patch.password_hash = await hashPassword(b.password);
      }
      await updateUser(db, me.id, patch);
      if (patch.password_hash) {
        // a changed password must shut out whoever knew the old one: every other portal login ends
        // (API tokens stay: they are separate credentials, revoked on their own)
        const keep = p.via === 'cookie' ? request.cookies[SESSION_COOKIE] : undefined;
        await deleteUserAuthSessions(db, me.id, keep);
        await writeAudit(
          db,
          { organizationId: me.organization_id, userId: me.id, action: 'user.password', target: me.id },
          deps.clock.now(),
        );
      }
      return { user: presentUser({ ...me, ...patch }) };
    },
  );

  app.get(
    '/users/:id',
    {
      schema: {
        summary: 'One portal user',
        response: { 200: Type.Object({ user: UserSchema }) },
        tags,
        params: IdParams,
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request) => {
      const user = await getUser(db, scopeOf(principalOf(request)), request.params.id);
      if (!user) throw notFound('user', request.params.id);
      return { user: presentUser(user) };
    },
  );

  app.patch(
    '/users/:id',
    {
      schema: {
        summary: "Change a user's role, disable or enable them, or set their time zone",
        response: { 200: Type.Object({ user: UserSchema }) },
        tags,
        params: IdParams,
        body: PatchBody,
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request) => {
      const p = principalOf(request);
      const user = await getUser(db, scopeOf(p), request.params.id);
      if (!user) throw notFound('user', request.params.id);
      const b = request.body;
      checkZone(b.timeZone);
      if (b.role !== undefined && (b.role === 'vendor') !== (user.role === 'vendor'))
        throw new LicstatError('VALIDATION_FAILED', 'vendor staff and customer users cannot swap roles');
      // nobody locks themselves out (or leaves their organization without the admin doing this)
      if (user.id === p.userId && (b.disabled === true || (b.role !== undefined && b.role !== user.role)))
        throw new LicstatError(
          'CONFLICT',
          'you cannot disable yourself or change your own role; ask another admin',
        );
      const patch: { role?: string; disabled?: number; time_zone?: string } = {};
      if (b.role !== undefined) patch.role = b.role;
      if (b.disabled !== undefined) patch.disabled = b.disabled ? 1 : 0;
      if (b.timeZone !== undefined) patch.time_zone = b.timeZone;
      await updateUser(db, user.id, patch);
      if (b.disabled) await deleteUserAuthSessions(db, user.id);
      await writeAudit(
        db,
        {
          organizationId: user.organization_id,
          userId: p.userId,
          action: 'user.update',
          target: user.id,
          details: b,
        },
        deps.clock.now(),
      );
      return { user: presentUser({ ...user, ...patch }) };
    },
  );

  app.delete(
    '/users/:id',
    {
      schema: {
        summary: 'Delete a portal user (not yourself); their portal logins and API tokens end',
        tags,
        params: IdParams,
        response: NoContent,
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const user = await getUser(db, scopeOf(p), request.params.id);
      if (!user) throw notFound('user', request.params.id);
      if (user.id === p.userId) throw new LicstatError('CONFLICT', 'you cannot delete yourself');
      await deleteUser(db, user.id);
      await writeAudit(
        db,
        {
          organizationId: user.organization_id,
          userId: p.userId,
          action: 'user.delete',
          target: user.id,
          details: { email: user.email },
        },
        deps.clock.now(),
      );
      return reply.status(204).send(null);
    },
  );
};
export default users;
