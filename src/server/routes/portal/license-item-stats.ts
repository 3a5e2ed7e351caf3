/** GET /license-items/{id}/stats: pies, trend and peak seats of one item (SPEC §4.1, §5). */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import { type ItemStatsResponse, StatsQuerySchema } from '../../../contract/stats.ts';
import { resolvePeriod } from '../../../core/stats/period.ts';
import { getLicenseItem } from '../../../storage/catalog-repository.ts';
import { buildItemStats } from '../../../storage/stats/item-stats.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { plainJson } from '../responses.ts';
import { ItemStatsSchema } from './stats-schemas.ts';

const Params = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

const licenseItemStats: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  app.get(
    '/license-items/:id/stats',
    {
      schema: {
        tags: ['statistics'],
        summary: 'Usage statistics of a license item: pies (All History, period, today) and trend',
        params: Params,
        querystring: StatsQuerySchema,
        response: { 200: ItemStatsSchema },
      },
      serializerCompiler: plainJson,
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request): Promise<ItemStatsResponse> => {
      const p = principalOf(request);
      const now = deps.clock.now();
      const period = resolvePeriod(request.query, { now, savedTimeZone: p.timeZone });
      const item = await getLicenseItem(db, scopeOf(p), request.params.id);
      if (!item) throw new LicstatError('NOT_FOUND', `no license item ${request.params.id}`);
      return buildItemStats(deps.db.analytics, item, period, now);
    },
  );
};
export default licenseItemStats;
