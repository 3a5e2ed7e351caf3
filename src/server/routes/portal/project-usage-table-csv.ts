/**
 * GET /projects/{id}/usage-table.csv: the project's 2-hour usage table (SPEC §4.2, §6), newest
 * first; columns `Interval start`, `Interval end`, one per license item id, `Total`. Memory
 * follows the number of intervals in the period, not the number of events.
 */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import { StatsQuerySchema } from '../../../contract/stats.ts';
import { resolvePeriod } from '../../../core/stats/period.ts';
import { getProject } from '../../../storage/catalog-repository.ts';
import { buildProjectTable } from '../../../storage/stats/project-stats.ts';
import { sendCsv } from '../../csv.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { CsvBody } from '../responses.ts';

const Params = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

const projectUsageTableCsv: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  app.get(
    '/projects/:id/usage-table.csv',
    {
      schema: {
        tags: ['statistics'],
        summary: "The project's 2-hour usage table as CSV",
        params: Params,
        querystring: StatsQuerySchema,
        produces: ['text/csv'],
        response: CsvBody,
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request, reply) => {
      const p = principalOf(request);
      const period = resolvePeriod(request.query, { now: deps.clock.now(), savedTimeZone: p.timeZone });
      const project = await getProject(db, scopeOf(p), request.params.id);
      if (!project) throw new LicstatError('NOT_FOUND', `no project ${request.params.id}`);
      const table = await buildProjectTable(deps.db.analytics, project, period);
      return sendCsv(reply, {
        filename: `project-${project.id}-usage.csv`,
        header: ['Interval start', 'Interval end', ...table.itemIds, 'Total'],
        rows: (function* () {
          for (const r of table.rows)
            yield [r.start, r.end, ...table.itemIds.map((id) => r.values[id] ?? 0), r.total];
        })(),
      });
    },
  );
};
export default projectUsageTableCsv;
