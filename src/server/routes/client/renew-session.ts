import { Type } from 'typebox';
import { renewSession } from '../../../services/client/renew-session.ts';
import { clientKeyOf, licenseAuth } from '../../plugins/license-auth.ts';
import type { RouteModule } from '../../types.ts';
import { IdParams, LeaseSchema, LicenseSecurity, leaseResource } from './schemas.ts';

const route: RouteModule = (app, deps) => {
  app.post(
    '/client/sessions/:id/renew',
    {
      onRequest: licenseAuth(deps),
      schema: {
        tags: ['client'],
        summary: 'Extend the lease (410 LEASE_EXPIRED once it has run out: start again)',
        security: LicenseSecurity,
        params: IdParams,
        response: { 200: Type.Object({ lease: LeaseSchema }) },
      },
    },
    async (request) => {
      const lease = await renewSession(
        deps.db,
        deps.signer,
        clientKeyOf(request),
        request.params.id,
        deps.clock,
      );
      return { lease: leaseResource(lease) };
    },
  );
};
export default route;
