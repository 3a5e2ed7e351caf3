import { Type } from 'typebox';
import { take } from '../../../services/client/take.ts';
import { clientKeyOf, licenseAuth } from '../../plugins/license-auth.ts';
import type { RouteModule } from '../../types.ts';
import {
  ActivationSchema,
  activationResource,
  Email,
  Fingerprint,
  Hostname,
  LicenseSecurity,
  ProductId,
  ProjectKey,
  Version,
} from './schemas.ts';

const route: RouteModule = (app, deps) => {
  app.post(
    '/client/takes',
    {
      onRequest: licenseAuth(deps),
      schema: {
        tags: ['client'],
        summary:
          'Move a single-user license to this machine (409 TAKE_DENIED when the period’s takes are used up)',
        security: LicenseSecurity,
        body: Type.Object(
          {
            fingerprint: Fingerprint,
            email: Email,
            hostname: Type.Optional(Hostname),
            version: Type.Optional(Version),
            project: Type.Optional(ProjectKey),
            productId: Type.Optional(ProductId),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            activation: ActivationSchema,
            moved: Type.Boolean(),
            takesLeft: Type.Union([Type.Integer(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const r = await take(deps.db, clientKeyOf(request), request.body, deps.clock.now());
      return { activation: activationResource(r.activation), moved: r.moved, takesLeft: r.takesLeft };
    },
  );
};
export default route;
