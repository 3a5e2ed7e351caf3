import { Type } from 'typebox';
import { MAX_EVENT_COUNT } from '../../../contract/domain.ts';
import { reportUsage } from '../../../services/client/report-usage.ts';
import { clientKeyOf, licenseAuth } from '../../plugins/license-auth.ts';
import type { RouteModule } from '../../types.ts';
import { Email, Fingerprint, LicenseSecurity, ProductId, ProjectKey } from './schemas.ts';

const route: RouteModule = (app, deps) => {
  app.post(
    '/client/usage',
    {
      onRequest: licenseAuth(deps),
      schema: {
        tags: ['client'],
        summary: 'Report metered usage (idempotent by batchId)',
        security: LicenseSecurity,
        body: Type.Object(
          {
            batchId: Type.String({ minLength: 1, maxLength: 128 }),
            fingerprint: Fingerprint,
            email: Type.Optional(Email),
            project: Type.Optional(ProjectKey),
            productId: Type.Optional(ProductId),
            events: Type.Array(
              Type.Object(
                {
                  kind: Type.Literal('scan'),
                  count: Type.Integer({ minimum: 1, maximum: MAX_EVENT_COUNT }),
                  at: Type.String({ format: 'date-time', maxLength: 40 }),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 1000 },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          202: Type.Object({
            accepted: Type.Integer({
              description: 'events accepted by this request (0 for a retried batch)',
            }),
            duplicate: Type.Boolean(),
            remaining: Type.Integer({ description: 'quota left, never below 0' }),
          }),
        },
      },
    },
    async (request, reply) => {
      const r = await reportUsage(deps.db, clientKeyOf(request), request.body, deps.clock.now());
      return reply.status(202).send(r);
    },
  );
};
export default route;
