/** /api-tokens: a user's tokens for scripts (Authorization: Bearer). The token is shown once. */
import { Type } from 'typebox';
import type { ApiTokenRow } from '../../../storage/api-token-repository.ts';
import { createApiToken, listApiTokens, revokeApiToken } from '../../../storage/api-token-repository.ts';
import { type AuditEntry, writeAudit } from '../../../storage/audit-repository.ts';
import { iso } from '../../present.ts';
import { type Principal, principalOf, requireRole } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { NoContent } from '../responses.ts';
import { IdParams, Name, notFound } from './common.ts';
import { ApiTokenSchema } from './schemas.ts';

const present = (t: ApiTokenRow) => ({
  id: t.id,
  name: t.name,
  createdAt: iso(t.created_at),
  lastUsedAt: t.last_used_at === null ? null : iso(t.last_used_at),
  revokedAt: t.revoked_at === null ? null : iso(t.revoked_at),
});

/** Tokens act with their owner's rights: their creation and revocation go into the audit log. */
const tokenAudit = (p: Principal, action: string, t: { id: string; name: string }): AuditEntry => ({
  organizationId: p.organizationId,
  userId: p.userId,
  action,
  target: t.id,
  details: { name: t.name },
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
      const now = deps.clock.now();
      const { row, token } = await deps.db.transaction(async (trx) => {
        const created = await createApiToken(trx, p.userId, request.body.name, now, p.tokenId ?? null);
        await writeAudit(trx, tokenAudit(p, 'api_token.create', created.row), now);
        return created;
      });
      return reply.status(201).send({ apiToken: { ...present(row), token } });
    },
  );

  app.get(
    '/api-tokens',
    {
      schema: {
        summary: "The caller's API tokens (never the secrets)",
        response: { 200: Type.Object({ apiTokens: Type.Array(ApiTokenSchema) }) },
        tags,
      },
      preHandler: anyone,
    },
    async (request) => ({
      apiTokens: (await listApiTokens(db, principalOf(request).userId)).map(present),
    }),
  );

  app.delete(
    '/api-tokens/:id',
    {
      schema: { tags, summary: 'Revoke an API token', params: IdParams, response: NoContent },
      preHandler: anyone,
    },
    async (request, reply) => {
      const p = principalOf(request);
      const now = deps.clock.now();
      await deps.db.transaction(async (trx) => {
        const revoked = await revokeApiToken(trx, p.userId, request.params.id, now);
        if (!revoked) throw notFound('API token', request.params.id);
        await writeAudit(trx, tokenAudit(p, 'api_token.revoke', revoked), now);
      });
      return reply.status(204).send(null);
    },
  );
};
export default apiTokens;
