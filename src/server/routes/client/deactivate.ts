import { deactivate } from '../../../services/client/deactivate.ts';
import { clientKeyOf, licenseAuth } from '../../plugins/license-auth.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { IdParams, LicenseSecurity } from './schemas.ts';

const route: RouteModule = (app, deps) => {
  app.delete(
    '/client/activations/:id',
    {
      onRequest: licenseAuth(deps),
      schema: {
        tags: ['client'],
        summary: "Free this machine's activation",
        security: LicenseSecurity,
        params: IdParams,
        response: NoContent,
      },
    },
    async (request, reply) => {
      await deactivate(deps.db, clientKeyOf(request), request.params.id, deps.clock.now());
      return reply.status(204).send(null);
    },
  );
};
export default route;
