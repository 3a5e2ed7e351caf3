/** Request pieces shared by the admin portal routes (not a route module). */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import { isValidTimeZone } from '../../../core/time-buckets.ts';
import { getOrganization, VENDOR_SCOPE } from '../../../storage/catalog-repository.ts';
import type { Executor } from '../../../storage/executor.ts';
import type { Principal } from '../../principal.ts';

export const OrgQuery = Type.Optional(
  Type.String({ minLength: 1, maxLength: 100, description: 'vendors: the organization to show' }),
);
export const TzQuery = Type.Optional(
  Type.String({ minLength: 1, maxLength: 64, description: "IANA time zone; default: the user's" }),
);

/**
 * The organization a portal request is about: an admin's own (naming another is a 404, exactly as
 * if it did not exist); vendors name one.
 */
export async function organizationOf(
  db: Executor,
  p: Principal,
  requested: string | undefined,
): Promise<string> {
  if (p.role !== 'vendor') {
    if (requested && requested !== p.organizationId)
      throw new LicstatError('NOT_FOUND', `no organization ${requested}`);
    return p.organizationId!;
  }
  if (!requested)
    throw new LicstatError('VALIDATION_FAILED', 'vendors name the organization: ?organizationId=');
  if (!(await getOrganization(db, VENDOR_SCOPE, requested)))
    throw new LicstatError('NOT_FOUND', `no organization ${requested}`);
  return requested;
}

export function zoneOf(p: Principal, tz: string | undefined): string {
  const zone = tz ?? p.timeZone;
  if (!isValidTimeZone(zone)) throw new LicstatError('INVALID_TIME_ZONE', `${zone} is not an IANA time zone`);
  return zone;
}
