import type { RouteModule } from '../../types.ts';
import activations from './activations.ts';
import alerts from './alerts.ts';
import auditLog from './audit-log.ts';
import auth from './auth.ts';
import licenseItem from './license-item.ts';
import licenseItemInsight from './license-item-insight.ts';
import licenseItemStats from './license-item-stats.ts';
import live from './live.ts';
import projectStats from './project-stats.ts';
import projectUsageTableCsv from './project-usage-table-csv.ts';
import sessions from './sessions.ts';
import usageStatistics from './usage-statistics.ts';
import webhooks from './webhooks.ts';

/** Portal API: customer admins and members (session cookie or bearer token). */
const routes: RouteModule[] = [
  auth,
  licenseItem,
  licenseItemStats,
  licenseItemInsight,
  projectStats,
  projectUsageTableCsv,
  usageStatistics,
  sessions,
  activations,
  auditLog,
  webhooks,
  alerts,
  live,
];
export default routes;
