import { sql } from 'kysely';
import { Type } from 'typebox';
import { LicstatError } from '../../contract/errors.ts';
import type { RouteModule } from '../types.ts';

const health: RouteModule = (app, deps) => {
  app.get(
    '/health',
    {
      schema: {
        summary: 'Liveness: the process answers',
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({
      status: 'ok' as const,
    }),
  );
  // Readiness also proves the database answers.
  app.get(
    '/ready',
    {
      schema: {
        summary: 'Ready: the server accepts requests and its database answers (503 otherwise)',
        response: { 200: Type.Object({ status: Type.Literal('ready') }) },
      },
    },
    async () => {
      try {
        await sql`select 1`.execute(deps.db.kysely);
      } catch {
        throw new LicstatError('UNAVAILABLE', 'database unavailable');
      }
      return { status: 'ready' as const };
    },
  );
};
export default health;
