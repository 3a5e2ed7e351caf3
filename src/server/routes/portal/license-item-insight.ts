/** GET /license-items/{id}/insight: seat-need insight of a multi-user item (utilization, true declines, replay). */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import { InsightQuerySchema, type ItemInsightResponse } from '../../../contract/insight.ts';
import { resolvePeriod } from '../../../core/stats/period.ts';
import { getLicenseItem } from '../../../storage/catalog-repository.ts';
import { buildItemInsight } from '../../../storage/insight/item-insight.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { ItemInsightSchema } from './stats-schemas.ts';

const Params = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);

const licenseItemInsight: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  app.get(
    '/license-items/:id/insight',
    {
      schema: {
        tags: ['statistics'],
        summary:
          'Seat-need insight of a multi-user item: utilization histogram, true declines, and declines replayed with other seat counts',
        params: Params,
        querystring: InsightQuerySchema,
        response: { 200: ItemInsightSchema },
      },
      preHandler: requireRole('vendor', 'admin'),
    },
    async (request): Promise<ItemInsightResponse> => {
      const p = principalOf(request);
      const now = deps.clock.now();
      const { from, to, tz } = request.query;
      const period = resolvePeriod({ from, to, tz, granularity: 'day' }, { now, savedTimeZone: p.timeZone });
      const item = await getLicenseItem(db, scopeOf(p), request.params.id);
      if (!item) throw new LicstatError('NOT_FOUND', `no license item ${request.params.id}`);
      return buildItemInsight(deps.db.analytics, item, period, request.query, now);
    },
  );
};
export default licenseItemInsight;
