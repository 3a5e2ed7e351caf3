import { Type } from 'typebox';
import { startSession } from '../../../services/client/start-session.ts';
import { clientKeyOf, licenseAuth } from '../../plugins/license-auth.ts';
import type { RouteModule } from '../../types.ts';
import {
  Email,
  Fingerprint,
  LeaseSchema,
  LicenseSecurity,
  leaseResource,
  ProductId,
  ProjectKey,
  Version,
} from './schemas.ts';

const route: RouteModule = (app, deps) => {
  app.post(
    '/client/sessions',
    {
      onRequest: licenseAuth(deps),
      schema: {
        tags: ['client'],
        summary: 'Start a session: full access, or limited (not activated, or all seats in use)',
        security: LicenseSecurity,
        body: Type.Object(
          {
            fingerprint: Fingerprint,
            email: Email,
            version: Type.Optional(Version),
            program: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            project: Type.Optional(ProjectKey),
            productId: Type.Optional(ProductId),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object({
            session: Type.Object({
              id: Type.String(),
              mode: Type.Union([Type.Literal('full'), Type.Literal('limited')]),
              reason: Type.Optional(Type.String()),
              licenseItemId: Type.String(),
              projectId: Type.Union([Type.String(), Type.Null()]),
            }),
            lease: LeaseSchema,
          }),
        },
      },
    },
    async (request, reply) => {
      const r = await startSession(
        deps.db,
        deps.signer,
        clientKeyOf(request),
        request.body,
        deps.clock.now(),
      );
      return reply.status(201).send({
        session: {
          id: r.session.id,
          mode: r.session.mode === 'full' ? ('full' as const) : ('limited' as const),
          ...(r.session.reason ? { reason: r.session.reason } : {}),
          licenseItemId: r.session.license_item_id,
          projectId: r.session.project_id,
        },
        lease: leaseResource(r.lease),
      });
    },
  );
};
export default route;
