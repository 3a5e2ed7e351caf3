/**
 * License usage statistics (SPEC §4.3): GET /usage-statistics, its CSV export, and Reset Stats.
 * Reset records a baseline and deletes nothing; counters count ledger events received after it.
 */
import { Type } from 'typebox';
import type { LicenseModel } from '../../../contract/domain.ts';
import { LicstatError } from '../../../contract/errors.ts';
import type { ResetStatsAnswer, UsageStatisticsRow } from '../../../contract/portal.ts';
import { isoInZone } from '../../../core/time-buckets.ts';
import {
  countersFor,
  licensesLabel,
  PROJECT_KEY_ROW,
  statusLabel,
  WHOLE,
} from '../../../core/usage-statistics.ts';
import { writeAudit } from '../../../storage/audit-repository.ts';
import { recordBaseline } from '../../../storage/baseline-repository.ts';
import { getLicenseItem } from '../../../storage/catalog-repository.ts';
import type { Executor } from '../../../storage/executor.ts';
import { usageStatisticsFacts } from '../../../storage/usage-statistics-repository.ts';
import { sendCsv } from '../../csv.ts';
import { iso } from '../../present.ts';
import { principalOf, requireRole } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { CsvBody } from '../responses.ts';
import { codePrefixes } from '../vendor/common.ts';
import { ResetStatsSchema, UsageStatisticsRowSchema } from '../vendor/schemas.ts';
import { OrgQuery, organizationOf, TzQuery, zoneOf } from './common.ts';

export const PROJECT_KEY_LABEL = 'Project key';
/** `activationCode` value in a reset body that names an item's project-key row. */
export const PROJECT_KEY_ROW_NAME = 'project-key';

export const USAGE_CSV_COLUMNS = [
  'Product',
  'Licenses',
  'Status',
  'Activations',
  'Activation Code',
  'Full Access',
  'Limited Access',
  'Declined Access',
  'Takes',
  'Take Denied',
  'Checkouts',
] as const;

/** A row's cells in the order of USAGE_CSV_COLUMNS (portal export and `licstat export`). */
export const usageCsvCells = (r: UsageStatisticsRow) => [
  r.product,
  r.licenses,
  r.status,
  r.activations,
  r.activationCode,
  r.fullAccess,
  r.limitedAccess,
  r.declinedAccess,
  r.takes,
  r.takeDenied,
  r.checkouts,
];

export async function usageStatisticsRows(
  db: Executor,
  organizationId: string,
  now: number,
  tz: string,
): Promise<UsageStatisticsRow[]> {
  const facts = await usageStatisticsFacts(db, organizationId);
  const prefixes = await codePrefixes(db, [organizationId]);
  return facts.map((f) => {
    const model = f.item.model as LicenseModel;
    const { status, expired } = statusLabel(f.item.valid_to, now, tz);
    const codeKey = f.code ? f.code.id : f.source === 'project-key' ? 'project-key' : 'none';
    return {
      rowKey: `${f.item.id}:${codeKey}`,
      licenseItemId: f.item.id,
      licenseItemName: f.item.name,
      product: f.productName,
      model,
      licenses: licensesLabel(f.item.quota, model),
      quota: f.item.quota,
      status,
      expired,
      validTo: new Date(f.item.valid_to).toISOString(),
      activations: f.code ? `${f.liveActivations} of ${f.code.max_activations}` : null,
      activationsUsed: f.code ? f.liveActivations : null,
      activationsAvailable: f.code ? f.code.max_activations : null,
      source: f.source,
      activationCodeId: f.code?.id ?? null,
      activationCode: f.code
        ? (prefixes.get(f.code.code) ?? f.code.prefix)
        : f.source === 'project-key'
          ? PROJECT_KEY_LABEL
          : null,
      ...countersFor(model, f.source === 'none' ? new Map() : f.sums),
      countingSince: f.baseline === null ? null : isoInZone(f.baseline, tz),
    };
  });
}

const Query = Type.Object({ organizationId: OrgQuery, tz: TzQuery }, { additionalProperties: false });
const ResetBody = Type.Object(
  {
    organizationId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    licenseItemId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    activationCode: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: `one row: the activation code's id or its displayed prefix, or "${PROJECT_KEY_ROW_NAME}" (with licenseItemId) for the item's project-key row`,
      }),
    ),
  },
  { additionalProperties: false },
);

const usageStatistics: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['portal'];
  const admins = requireRole('admin', 'vendor');

  app.get(
    '/usage-statistics',
    {
      schema: {
        response: {
          200: Type.Object({
            organizationId: Type.String(),
            timeZone: Type.String(),
            rows: Type.Array(UsageStatisticsRowSchema),
          }),
        },
        tags,
        summary: 'License usage statistics, one row per item and activation code',
        querystring: Query,
      },
      preHandler: admins,
    },
    async (request) => {
      const p = principalOf(request);
      const organizationId = await organizationOf(db, p, request.query.organizationId);
      const tz = zoneOf(p, request.query.tz);
      return {
        organizationId,
        timeZone: tz,
        rows: await usageStatisticsRows(db, organizationId, deps.clock.now(), tz),
      };
    },
  );

  app.get(
    '/usage-statistics.csv',
    {
      schema: {
        tags,
        summary: 'The usage statistics table as CSV',
        querystring: Query,
        response: CsvBody,
      },
      preHandler: admins,
    },
    async (request, reply) => {
      const p = principalOf(request);
      const organizationId = await organizationOf(db, p, request.query.organizationId);
      const tz = zoneOf(p, request.query.tz);
      const rows = await usageStatisticsRows(db, organizationId, deps.clock.now(), tz);
      return sendCsv(reply, {
        filename: 'usage-statistics.csv',
        header: USAGE_CSV_COLUMNS,
        rows: rows.map(usageCsvCells),
      });
    },
  );

  app.post(
    '/usage-statistics/reset',
    {
      schema: {
        response: { 200: ResetStatsSchema },
        tags,
        summary: 'Reset Stats: for the organization, one license item, or one row',
        body: ResetBody,
      },
      preHandler: admins,
    },
    async (request): Promise<ResetStatsAnswer> => {
      const p = principalOf(request);
      const b = request.body;
      let organizationId: string;
      let licenseItemId: string | null = null;
      let activationCodeId: string = WHOLE;
      if (b.licenseItemId) {
        const item = await getLicenseItem(
          db,
          p.role === 'vendor' ? { organizationId: null } : { organizationId: p.organizationId },
          b.licenseItemId,
        );
        if (!item) throw new LicstatError('NOT_FOUND', `no license item ${b.licenseItemId}`);
        organizationId = item.organization_id;
        licenseItemId = item.id;
      } else {
        organizationId = await organizationOf(db, p, b.organizationId);
      }
      if (b.activationCode) {
        if (b.activationCode === PROJECT_KEY_ROW_NAME) {
          if (!licenseItemId)
            throw new LicstatError('VALIDATION_FAILED', 'the project-key row needs licenseItemId');
          activationCodeId = PROJECT_KEY_ROW;
        } else {
          const code = await findCode(db, organizationId, b.activationCode);
          if (!code || (licenseItemId && code.license_item_id !== licenseItemId))
            throw new LicstatError('NOT_FOUND', `no activation code ${b.activationCode}`);
          licenseItemId = code.license_item_id;
          activationCodeId = code.id;
        }
      }
      const now = deps.clock.now();
      await recordBaseline(db, { organizationId, licenseItemId, activationCodeId, userId: p.userId }, now);
      const scope = activationCodeId !== WHOLE ? 'row' : licenseItemId ? 'license-item' : 'organization';
      await writeAudit(
        db,
        {
          organizationId,
          userId: p.userId,
          action: 'stats.reset',
          target: licenseItemId,
          details: { scope, activationCodeId: activationCodeId || null },
        },
        now,
      );
      return {
        scope,
        organizationId,
        licenseItemId,
        activationCodeId: activationCodeId === WHOLE ? null : activationCodeId,
        resetAt: iso(now),
      };
    },
  );
};

/** An organization's activation code by id or by its displayed prefix. */
async function findCode(db: Executor, organizationId: string, idOrPrefix: string) {
  const byId = await db
    .selectFrom('activation_codes')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', idOrPrefix)
    .executeTakeFirst();
  if (byId) return byId;
  const prefixes = await codePrefixes(db, [organizationId]);
  const code = [...prefixes].find(([, prefix]) => prefix === idOrPrefix)?.[0];
  if (!code) return undefined;
  return db.selectFrom('activation_codes').selectAll().where('code', '=', code).executeTakeFirst();
}

export default usageStatistics;
