/**
 * GET /license-items/{id}: the item page's header (SPEC §4.1): tags, quota and quota type, usage
 * as a number and a percentage of the quota, validity and status, modules, the projects it is
 * configured to, and its activation codes (prefix only). Members see the item without usage.
 */
import { Type } from 'typebox';
import type { LicenseModel } from '../../../contract/domain.ts';
import { LicstatError } from '../../../contract/errors.ts';
import type { ItemDetailResponse } from '../../../contract/stats.ts';
import { measureOf, percentOfQuota, quotaTypeOf } from '../../../core/stats/figures.ts';
import { resolveTimeZone } from '../../../core/stats/period.ts';
import { itemStatus } from '../../../core/stats/status.ts';
import { getLicenseItem, getProduct, listActivationCodes } from '../../../storage/catalog-repository.ts';
import { getItemProjects } from '../../../storage/stats/getItemProjects.ts';
import { getLiveActivations } from '../../../storage/stats/getLiveActivations.ts';
import { currentUsage } from '../../../storage/stats/item-usage.ts';
import { presentLicenseItem } from '../../present.ts';
import { principalOf, requireRole, scopeOf } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { codePrefixes } from '../vendor/common.ts';
import { ItemDetailSchema } from '../vendor/schemas.ts';

const Params = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
const Query = Type.Object(
  { tz: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) },
  { additionalProperties: false },
);

const licenseItem: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  app.get(
    '/license-items/:id',
    {
      schema: {
        tags: ['statistics'],
        summary: 'A license item with tags, quota, usage, validity, modules, projects and activation codes',
        params: Params,
        querystring: Query,
        response: { 200: Type.Object({ licenseItem: ItemDetailSchema }) },
      },
      preHandler: requireRole('vendor', 'admin', 'member'),
    },
    async (request): Promise<ItemDetailResponse> => {
      const p = principalOf(request);
      const item = await getLicenseItem(db, scopeOf(p), request.params.id);
      if (!item) throw new LicstatError('NOT_FOUND', `no license item ${request.params.id}`);
      const now = deps.clock.now();
      const tz = resolveTimeZone(request.query.tz, p.timeZone);
      const model = item.model as LicenseModel;
      const measure = measureOf(model);
      const org = { organizationId: item.organization_id };
      const withUsage = measure !== 'none' && p.role !== 'member';
      const [product, projects, codes, live, used, prefixes] = await Promise.all([
        getProduct(db, item.product_id),
        getItemProjects(db, { ...org, itemId: item.id }),
        listActivationCodes(db, org, { licenseItemId: item.id }),
        getLiveActivations(db, { ...org, itemId: item.id }),
        withUsage ? currentUsage(db, item, now) : Promise.resolve(null),
        codePrefixes(db, [item.organization_id]),
      ]);
      return {
        licenseItem: {
          ...presentLicenseItem(item, product?.name ?? ''),
          quotaType: quotaTypeOf(model),
          measure,
          status: itemStatus(item.valid_from, item.valid_to, now, tz),
          usage: used === null ? null : { value: used, percentage: percentOfQuota(used, item.quota) },
          projects,
          activationCodes: codes.map((c) => ({
            id: c.id,
            // the organization-wide distinguishing prefix, as the other pages show it
            prefix: prefixes.get(c.code) ?? c.prefix,
            maxActivations: c.max_activations,
            activations: live.get(c.id) ?? 0,
          })),
        },
      };
    },
  );
};
export default licenseItem;
