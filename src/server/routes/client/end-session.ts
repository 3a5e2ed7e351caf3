import { Type } from 'typebox';
import { endSession } from '../../../services/client/end-session.ts';
import { clientKeyOf, licenseAuth } from '../../plugins/license-auth.ts';
import type { RouteModule } from '../../types.ts';
import { IdParams, LicenseSecurity } from './schemas.ts';

const route: RouteModule = (app, deps) => {
  app.post(
    '/client/sessions/:id/end',
    {
      onRequest: licenseAuth(deps),
      schema: {
        tags: ['client'],
        summary: 'Close the session; its seat is free at once',
        security: LicenseSecurity,
        params: IdParams,
        response: {
          200: Type.Object({
            session: Type.Object({
              id: Type.String(),
              endedAt: Type.String(),
              endReason: Type.Union([
                Type.Literal('closed'),
                Type.Literal('expired'),
                Type.Literal('revoked'),
              ]),
            }),
          }),
        },
      },
    },
    async (request) => {
      const s = await endSession(deps.db, clientKeyOf(request), request.params.id, deps.clock.now());
      return { session: { id: s.id, endedAt: new Date(s.endedAt).toISOString(), endReason: s.endReason } };
    },
  );
};
export default route;
