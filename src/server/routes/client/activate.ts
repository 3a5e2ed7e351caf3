import { Type } from 'typebox';
import { activate } from '../../../services/client/activate.ts';
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
  Version,
} from './schemas.ts';

const route: RouteModule = (app, deps) => {
  app.post(
    '/client/activations',
    {
      onRequest: licenseAuth(deps),
      schema: {
        tags: ['client'],
        summary: 'Activate this machine (201 new, 200 already active)',
        security: LicenseSecurity,
        body: Type.Object(
          {
            fingerprint: Fingerprint,
            hostname: Type.Optional(Hostname),
            email: Type.Optional(Email),
            version: Type.Optional(Version),
            productId: Type.Optional(ProductId),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ activation: ActivationSchema }),
          201: Type.Object({ activation: ActivationSchema }),
        },
      },
    },
    async (request, reply) => {
      const r = await activate(deps.db, clientKeyOf(request), request.body, deps.clock.now());
      return reply.status(r.created ? 201 : 200).send({ activation: activationResource(r.activation) });
    },
  );
};
export default route;
