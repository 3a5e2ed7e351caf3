/** Request fields shared by the client routes: bounded strings, and the resource shapes answered. */
import { Type } from 'typebox';
import type { Activation } from '../../../contract/resources.ts';
import type { ActivationRow } from '../../../storage/activation-repository.ts';

export const Fingerprint = Type.String({ minLength: 1, maxLength: 200, description: 'stable machine id' });
export const Email = Type.String({ minLength: 1, maxLength: 320 });
export const Hostname = Type.String({ minLength: 1, maxLength: 255 });
export const Version = Type.String({ minLength: 1, maxLength: 64 });
export const ProjectKey = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'the KEY of the project to attribute usage to',
});
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const LicenseSecurity = [{ license: [] }];

const iso = (ms: number) => new Date(ms).toISOString();
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const ActivationSchema = Type.Object({
  id: Type.String(),
  licenseItemId: Type.String(),
  activationCodeId: Type.String(),
  fingerprint: Type.String(),
  hostname: NullableString,
  email: NullableString,
  version: NullableString,
  createdAt: Type.String(),
  lastSeenAt: Type.String(),
  deactivatedAt: NullableString,
});

export function activationResource(a: ActivationRow): Activation {
  return {
    id: a.id,
    licenseItemId: a.license_item_id,
    activationCodeId: a.activation_code_id,
    fingerprint: a.fingerprint,
    hostname: a.hostname,
    email: a.email,
    version: a.version,
    createdAt: iso(a.created_at),
    lastSeenAt: iso(a.last_seen_at),
    deactivatedAt: a.deactivated_at === null ? null : iso(a.deactivated_at),
  };
}

export const LeaseSchema = Type.Object({
  token: Type.String({
    description: 'base64url(payload).base64url(Ed25519 signature); see GET /client/public-key',
  }),
  expiresAt: Type.String(),
});

export const leaseResource = (l: { token: string; expiresAt: number }) => ({
  token: l.token,
  expiresAt: iso(l.expiresAt),
});
