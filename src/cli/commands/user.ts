import type { Command } from 'commander';
import { LOGIN_EMAIL, ROLES, type Role } from '../../contract/domain.ts';
import { isValidTimeZone } from '../../core/time-buckets.ts';
import { getOrganization, VENDOR_SCOPE } from '../../storage/catalog-repository.ts';
import { createUser, emailTaken } from '../../storage/user-repository.ts';
import { openStorage } from '../context.ts';

export function registerUser(program: Command): void {
  const user = program.command('user').description('portal users');
  user
    .command('create')
    .description(
      'create a portal user (vendor staff without --org; admin or member of an organization with it)',
    )
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--password <password>', 'at least 8 characters')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'vendor')
    .option('--org <organizationId>', 'organization id (required for admin and member)')
    .option('--time-zone <zone>', 'IANA time zone for statistics', 'UTC')
    .option('--database <url>', 'database URL instead of DATABASE_URL')
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
        if (o.password.length < 8) throw new Error('--password needs at least 8 characters');
        // the same rules as POST /users: a user the API would refuse must not be made here either
        if (o.email.length > LOGIN_EMAIL.maxLength || !new RegExp(LOGIN_EMAIL.pattern).test(o.email))
          throw new Error(`--email ${o.email} is not an email address`);
        if (!isValidTimeZone(o.timeZone))
          throw new Error(`--time-zone ${o.timeZone} is not an IANA time zone (e.g. Europe/Berlin)`);
        if ((o.role === 'vendor') !== (o.org === undefined)) {
          throw new Error('vendor users have no --org; admin and member users need one');
        }
        const db = await openStorage(o.database);
        try {
          if (o.org && !(await getOrganization(db.kysely, VENDOR_SCOPE, o.org))) {
            throw new Error(`no organization ${o.org}`);
          }
          if (await emailTaken(db.kysely, o.email)) throw new Error(`a user with email ${o.email} exists`);
          const row = await createUser(
            db.kysely,
            {
              organizationId: o.org ?? null,
              email: o.email,
              password: o.password,
              role: o.role as Role,
              timeZone: o.timeZone,
            },
            Date.now(),
          );
          process.stdout.write(`created ${row.role} user ${row.email} (${row.id})\n`);
        } finally {
          await db.close();
        }
      },
    );
}
