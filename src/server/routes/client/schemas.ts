/** Request fields shared by the client routes: bounded strings, and the resource shapes answered. */
import { Type } from 'typebox';

export const Fingerprint = Type.String({ minLength: 1, maxLength: 200, description: 'stable machine id' });
export const Email = Type.String({ minLength: 1, maxLength: 320 });
export const Hostname = Type.String({ minLength: 1, maxLength: 255 });
export const Version = Type.String({ minLength: 1, maxLength: 64 });
export const ProjectKey = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'the KEY of the project to attribute usage to',
});
export const ProductId = Type.String({
  minLength: 1,
  maxLength: 100,
  description:
    "the program's product id (optional): a license of another product is refused with 422 WRONG_PRODUCT " +
    "before anything is recorded; a project key chooses only among the project's items of this product",
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

/** The activation as the API shows it: one presenter for client and portal routes. */
export { presentActivation as activationResource } from '../../present.ts';

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
