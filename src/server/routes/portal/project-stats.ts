/** GET /projects/{id}/stats: the project's usage by license item, with the 2-hour table (SPEC §4.2). */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import { ProjectStatsQuerySchema, type ProjectStatsResponse } from '../../../contract/stats.ts';
import { resolvePeriod } from '../../../core/stats/period.ts';
import { getProject } from '../../../storage/catalog-repository.ts';
import { buildProjectStats } from '../../../storage/stats/project-stats.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { plainJson } from '../responses.ts';
import { ProjectStatsSchema } from './stats-schemas.ts';

const Params = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

const projectStats: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  app.get(
    '/projects/:id/stats',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Usage statistics of a project: pies and trend by license item, 2-hour table',
        description:
          'The 2-hour table holds every row of the period unless `tableLimit` asks for a page; `tablePage` says which rows were returned.',
        params: Params,
        querystring: ProjectStatsQuerySchema,
        response: { 200: ProjectStatsSchema },
      },
      serializerCompiler: plainJson,
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request): Promise<ProjectStatsResponse> => {
      const p = principalOf(request);
      const period = resolvePeriod(request.query, { now: deps.clock.now(), savedTimeZone: p.timeZone });
      const project = await getProject(db, scopeOf(p), request.params.id);
      if (!project) throw new LicstatError('NOT_FOUND', `no project ${request.params.id}`);
      const { tableOffset, tableLimit } = request.query;
      return buildProjectStats(deps.db.analytics, project, period, {
        offset: tableOffset ?? 0,
        limit: tableLimit,
      });
    },
  );
};
export default projectStats;
