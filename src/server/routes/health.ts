import { sql } from 'kysely';
import { Type } from 'typebox';
import type { RouteModule } from '../types.ts';

const health: RouteModule = (app, deps) => {
  app.get(
    '/health',
    { schema: { response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({
      status: 'ok' as const,
    }),
  );
  // Readiness also proves the database answers.
  app.get('/ready', async (_req, reply) => {
    try {
      await sql`select 1`.execute(deps.db.kysely);
      return { status: 'ready' };
    } catch {
      return reply.status(503).send({ error: { code: 'INTERNAL', message: 'database unavailable' } });
    }
  });
};
export default health;
