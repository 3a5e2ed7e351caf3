/** /api-tokens: a user's tokens for scripts (Authorization: Bearer). The token is shown once. */
import { Type } from 'typebox';
import type { ApiTokenRow } from '../../../storage/api-token-repository.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../../storage/api-token-repository.ts';
import { iso } from '../../present.ts';
import { principalOf, requireRole } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { IdParams, Name, notFound } from './common.ts';
import { ApiTokenSchema } from './schemas.ts';

const present = (t: ApiTokenRow) => ({
  id: t.id,
  name: t.name,
  createdAt: iso(t.created_at),
  lastUsedAt: t.last_used_at === null ? null : iso(t.last_used_at),
  revokedAt: t.revoked_at === null ? null : iso(t.revoked_at),
});

const apiTokens: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['users'];
  const anyone = requireRole('vendor', 'admin', 'member');

  app.post(
    '/api-tokens',
    {
      schema: {
        response: { 201: Type.Object({ apiToken: ApiTokenSchema }) },
        tags,
        summary: 'Create an API token (shown once)',
        body: Type.Object({ name: Name }, { additionalProperties: false }),
      },
      preHandler: anyone,
    },
    async (request, reply) => {
      const p = principalOf(request);
      const { row, token } = await createApiToken(db, p.userId, request.body.name, deps.clock.now());
      return reply.status(201).send({ apiToken: { ...present(row), token } });
    },
  );

  app.get(
    '/api-tokens',
    {
      schema: { response: { 200: Type.Object({ apiTokens: Type.Array(ApiTokenSchema) }) }, tags },
      preHandler: anyone,
    },
    async (request) => ({
      apiTokens: (await listApiTokens(db, principalOf(request).userId)).map(present),
    }),
  );

  app.delete(
    '/api-tokens/:id',
    { schema: { tags, summary: 'Revoke an API token', params: IdParams }, preHandler: anyone },
    async (request, reply) => {
      const ok = await revokeApiToken(db, principalOf(request).userId, request.params.id, deps.clock.now());
      if (!ok) throw notFound('API token', request.params.id);
      return reply.status(204).send();
    },
  );
};
export default apiTokens;
