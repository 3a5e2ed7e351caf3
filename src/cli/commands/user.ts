import type { Command } from 'commander';
import { LOGIN_EMAIL, PASSWORD_LENGTH, ROLES, type Role } from '../../contract/domain.ts';
import { hashPassword } from '../../core/passwords.ts';
import { isValidTimeZone } from '../../core/time-buckets.ts';
import { writeAudit } from '../../storage/audit-repository.ts';
import { deleteUserAuthSessions } from '../../storage/auth-session-repository.ts';
import { listOrganizations, VENDOR_SCOPE } from '../../storage/catalog-repository.ts';
import type { Db } from '../../storage/db.ts';
import { clearLoginFailures } from '../../storage/login-failure-repository.ts';
import {
  createUser,
  emailTaken,
  findUserByEmail,
  listUsers,
  setUserPasswordHash,
  type UserRow,
  updateUser,
} from '../../storage/user-repository.ts';
import { openExistingStorage, organizationIdOf } from '../context.ts';

const DATABASE_OPTION = ['--database <url>', 'database URL instead of DATABASE_URL'] as const;

// the same rules as POST /users: a user the API would refuse must not be made here either
function checkPassword(password: string, flag: string): void {
  if (password.length < PASSWORD_LENGTH.min)
    throw new Error(`${flag} needs at least ${PASSWORD_LENGTH.min} characters`);
  if (password.length > PASSWORD_LENGTH.max)
    throw new Error(`${flag} takes at most ${PASSWORD_LENGTH.max} characters`);
}

function checkEmail(email: string): void {
  if (email.length > LOGIN_EMAIL.maxLength || !new RegExp(LOGIN_EMAIL.pattern).test(email))
    throw new Error(`--email ${email} is not an email address`);
}

/** The user with this email, or a one-line error naming it. */
async function userByEmail(db: Db, email: string): Promise<UserRow> {
  const user = await findUserByEmail(db.kysely, email);
  if (!user) throw new Error(`no user with email ${email} (licstat user list shows them)`);
  return user;
}

/** All of stdin, without the one line end `echo` or a here-string adds. */
async function readStdinPassword(): Promise<string> {
  if (process.stdin.isTTY)
    throw new Error(
      '--password-stdin reads the password from a pipe, e.g. printf %s "$PW" | licstat user set-password --email … --password-stdin',
    );
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

export function registerUser(program: Command): void {
  const user = program.command('user').description('portal users');
  user
    .command('create')
    .description(
      'create a portal user (vendor staff without --org; admin or member of an organization with it)',
    )
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--password <password>', `${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters`)
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'vendor')
    .option('--org <idOrName>', 'organization id or exact name (required for admin and member)')
    .option('--time-zone <zone>', 'IANA time zone for statistics', 'UTC')
    .option(...DATABASE_OPTION)
    .action(
      async (o: {
        email: string;
        password: string;
        role: string;
        org?: string;
        timeZone: string;
        database?: string;
      }) => {
        if (!ROLES.includes(o.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
        checkPassword(o.password, '--password');
        checkEmail(o.email);
        if (!isValidTimeZone(o.timeZone))
          throw new Error(`--time-zone ${o.timeZone} is not an IANA time zone (e.g. Europe/Berlin)`);
        if ((o.role === 'vendor') !== (o.org === undefined)) {
          throw new Error('vendor users have no --org; admin and member users need one');
        }
        // Not on a new database either, though this may be its first user: with a mistyped path
        // the only account would land in a database no server uses, and the command would still
        // say "created". `licstat migrate` (or a first `licstat serve`, which also takes
        // LICSTAT_ADMIN_EMAIL/PASSWORD for the first user) sets a new database up on purpose.
        const db = await openExistingStorage(o.database);
        try {
          const organizationId = o.org ? await organizationIdOf(db, o.org) : null;
          if (await emailTaken(db.kysely, o.email)) throw new Error(`a user with email ${o.email} exists`);
          const now = Date.now();
          const row = await createUser(
            db.kysely,
            {
              organizationId,
              email: o.email,
              password: o.password,
              role: o.role as Role,
              timeZone: o.timeZone,
            },
            now,
          );
          // as POST /users records it; no user made the change (the operator, at the command line)
          await writeAudit(
            db.kysely,
            {
              organizationId: row.organization_id,
              userId: null,
              action: 'user.create',
              target: row.id,
              details: { email: row.email, role: row.role, via: 'cli' },
            },
            now,
          );
          process.stdout.write(`created ${row.role} user ${row.email} (${row.id})\n`);
        } finally {
          await db.close();
        }
      },
    );

  user
    .command('list')
    .description('list portal users: email, role, organization, disabled')
    .option('--org <idOrName>', "only this organization's users (id or exact name)")
    .option('--json', 'one JSON array instead of a table')
    .option(...DATABASE_OPTION)
    .action(async (o: { org?: string; json?: boolean; database?: string }) => {
      const db = await openExistingStorage(o.database);
      try {
        const organizationId = o.org ? await organizationIdOf(db, o.org) : undefined;
        const rows = await listUsers(db.kysely, VENDOR_SCOPE, organizationId ? { organizationId } : {});
        const orgNames = new Map(
          (await listOrganizations(db.kysely, VENDOR_SCOPE)).map((org) => [org.id, org.name]),
        );
        const users = rows.map((u) => ({
          email: u.email,
          role: u.role,
          organizationId: u.organization_id,
          organization: u.organization_id ? (orgNames.get(u.organization_id) ?? null) : null,
          disabled: u.disabled === 1,
        }));
        if (o.json) {
          process.stdout.write(`${JSON.stringify(users, null, 2)}\n`);
          return;
        }
        if (users.length === 0) {
          process.stderr.write(
            o.org
              ? `organization ${o.org} has no users\n`
              : 'no users yet: licstat user create --email … --password … makes the first\n',
          );
          return;
        }
        const table = [
          ['EMAIL', 'ROLE', 'ORGANIZATION', 'DISABLED'],
          ...users.map((u) => [
            u.email,
            u.role,
            u.organizationId ? `${u.organizationId} (${u.organization ?? '?'})` : '— (vendor staff)',
            u.disabled ? 'yes' : 'no',
          ]),
        ];
        const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
        for (const r of table)
          process.stdout.write(
            `${r
              .map((c, i) => c.padEnd(widths[i]!))
              .join('  ')
              .trimEnd()}\n`,
          );
      } finally {
        await db.close();
      }
    });

  user
    .command('set-password')
    .description(
      "set a user's password (recovery); ends their portal sessions and clears their login lockout",
    )
    .requiredOption('--email <email>', 'the user')
    .option(
      '--password <password>',
      `${PASSWORD_LENGTH.min} to ${PASSWORD_LENGTH.max} characters (visible to other local users in ps: prefer --password-stdin)`,
    )
    .option('--password-stdin', 'read the password from standard input (one trailing line end is dropped)')
    .option(...DATABASE_OPTION)
    .action(async (o: { email: string; password?: string; passwordStdin?: boolean; database?: string }) => {
      if ((o.password === undefined) === !o.passwordStdin)
        throw new Error('give the new password with either --password or --password-stdin');
      const password = o.password ?? (await readStdinPassword());
      checkPassword(password, o.password === undefined ? 'the password on stdin' : '--password');
      const db = await openExistingStorage(o.database);
      try {
        const u = await userByEmail(db, o.email);
        const hash = await hashPassword(password);
        // all or nothing: whoever knew the old password is out, and a lockout from it is over
        await db.transaction(async (trx) => {
          await setUserPasswordHash(trx, u.id, hash);
          await deleteUserAuthSessions(trx, u.id);
          await clearLoginFailures(trx, u.email);
          await writeAudit(
            trx,
            {
              organizationId: u.organization_id,
              userId: null,
              action: 'user.password',
              target: u.id,
              details: { email: u.email, via: 'cli' },
            },
            Date.now(),
          );
        });
        process.stdout.write(`set the password of ${u.role} user ${u.email}; their portal sessions ended\n`);
        if (u.disabled)
          process.stderr.write(
            `note: ${u.email} is disabled and cannot log in until: licstat user enable --email ${u.email}\n`,
          );
      } finally {
        await db.close();
      }
    });

  for (const disable of [true, false]) {
    user
      .command(disable ? 'disable' : 'enable')
      .description(
        disable
          ? 'disable a user: no login, no API token; their portal sessions end'
          : 'enable a disabled user again',
      )
      .requiredOption('--email <email>', 'the user')
      .option(...DATABASE_OPTION)
      .action(async (o: { email: string; database?: string }) => {
        const db = await openExistingStorage(o.database);
        try {
          const u = await userByEmail(db, o.email);
          const state = disable ? 'disabled' : 'enabled';
          if ((u.disabled === 1) === disable) {
            process.stdout.write(`${u.email} is already ${state}\n`);
            return;
          }
          await db.transaction(async (trx) => {
            await updateUser(trx, u.id, { disabled: disable ? 1 : 0 });
            if (disable) await deleteUserAuthSessions(trx, u.id);
            // as PATCH /users/:id records it
            await writeAudit(
              trx,
              {
                organizationId: u.organization_id,
                userId: null,
                action: 'user.update',
                target: u.id,
                details: { disabled: disable, via: 'cli' },
              },
              Date.now(),
            );
          });
          process.stdout.write(`${state} ${u.role} user ${u.email}\n`);
          if (disable && u.role === 'vendor') {
            const vendors = await listUsers(db.kysely, VENDOR_SCOPE);
            if (!vendors.some((v) => v.role === 'vendor' && v.disabled === 0))
              process.stderr.write(
                `note: no enabled vendor user is left; licstat user enable --email ${u.email} undoes this\n`,
              );
          }
        } finally {
          await db.close();
        }
      });
  }
}
