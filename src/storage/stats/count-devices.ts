/**
 * Distinct devices (`device_seen`) per key, over a window or per bucket, counted by the database:
 * the presence levels and the ledger edges of the read plan are united in one query and counted
 * with COUNT(DISTINCT fingerprint), so a device seen at two levels or twice counts once, and only
 * one row per (key, bucket) reaches JavaScript. Many buckets (a year of 2-hour rows) are counted
 * from per-unit rows in JavaScript instead, as the CASE would grow too large.
 */
import { sql } from 'kysely';
import { foldDistinct } from '../../core/stats/fold.ts';
import { bucketsReadPlan, readPlan } from '../../core/stats/read-plan.ts';
import type { Executor } from '../executor.ts';
import { PRESENCE_ALL, PRESENCE_LEVELS, unitsOf } from '../rollup-levels.ts';
import { flushRollups } from '../rollup-writer.ts';
import { bucketIndexSql, MAX_SQL_BUCKETS } from './bucket-index.ts';
import type { UsageFilter } from './filter.ts';
import { rangeCondition } from './ranges.ts';
import { isAllHistory, type ReadTarget, readDevices } from './read-usage.ts';

/** `item`: per license item; `project`: per project id ('' = unassigned) of one item. */
export type DeviceKey = 'item' | 'project';

export interface DeviceCounts {
  /** per key: one count per bucket (per-bucket targets) or a single count (windows) */
  perKey: Map<string, number[]>;
  /** over all keys: a device under two keys counts once (zeros when not asked for) */
  total: number[];
}

const UNITS = unitsOf(PRESENCE_LEVELS);
const ALL = { from: null, to: null };

export async function countDevices(
  db: Executor,
  f: Omit<UsageFilter, 'kinds'>,
  target: ReadTarget,
  key: DeviceKey,
  opts: { total?: boolean } = {},
): Promise<DeviceCounts> {
  await flushRollups(db); // writes a group commit queued on this transaction (rollup-writer.ts)
  const n = 'buckets' in target ? target.buckets.length : 1;
  const empty = (): DeviceCounts => ({ perKey: new Map(), total: new Array<number>(n).fill(0) });
  if (f.itemIds.length === 0 || n === 0) return empty();
  if ('buckets' in target && n > MAX_SQL_BUCKETS) {
    const rows = await readDevices(db, f, target);
    const keyed = rows.map((r) => ({
      key: keyOf(key, r.itemId, r.projectId ?? ''),
      t: r.t!,
      fingerprint: r.fingerprint,
    }));
    return foldDistinct(target.buckets, keyed);
  }
  const buckets = 'buckets' in target ? target.buckets : null;
  const all = isAllHistory(target);
  const plan =
    'buckets' in target
      ? bucketsReadPlan(target.buckets, UNITS)
      : all
        ? { levels: [], raw: [] }
        : readPlan(target.window, UNITS);
  const levels = all
    ? [{ level: PRESENCE_ALL, ranges: [ALL] }]
    : PRESENCE_LEVELS.map((level, i) => ({ level, ranges: plan.levels[i]! }));
  const parts = [];
  for (const { level, ranges } of levels) {
    if (ranges.length === 0) continue;
    const cond = rangeCondition('bucket', ranges, level.unit);
    parts.push(
      db
        .selectFrom(level.table as 'device_presence')
        .select(['license_item_id', 'project_id', 'fingerprint'])
        .select(
          buckets
            ? bucketIndexSql('bucket', buckets, ranges).as('bucket_index')
            : sql<null>`null`.as('bucket_index'),
        )
        .where('organization_id', '=', f.organizationId)
        .where('license_item_id', 'in', [...f.itemIds])
        .$if(f.projectId !== undefined, (q) => q.where('project_id', '=', f.projectId!))
        .where(cond.where),
    );
  }
  if (plan.raw.length > 0) {
    const cond = rangeCondition('at', plan.raw, null);
    parts.push(
      db
        .selectFrom('usage_events')
        .select([
          'license_item_id',
          sql<string>`coalesce(project_id, '')`.as('project_id'),
          sql<string>`fingerprint`.as('fingerprint'),
        ])
        .select(
          buckets
            ? bucketIndexSql('at', buckets, plan.raw).as('bucket_index')
            : sql<null>`null`.as('bucket_index'),
        )
        .where('organization_id', '=', f.organizationId)
        .where('license_item_id', 'in', [...f.itemIds])
        .where('kind', '=', 'device_seen')
        .where('fingerprint', 'is not', null)
        .$if(f.projectId !== undefined, (q) => q.where('project_id', '=', f.projectId!))
        .where(cond.where),
    );
  }
  if (parts.length === 0) return empty();
  const union = parts.reduce((a, b) => a.unionAll(b as never));
  const column = key === 'item' ? 'license_item_id' : 'project_id';
  // The all-history level holds one row per (item, project, device): with the other of the two
  // fixed, its rows per key are distinct devices already, and counting them needs no DISTINCT
  // (which costs SQLite a temporary B-tree over every device).
  const rowsAreDevices = all && (key === 'item' ? f.projectId !== undefined : f.itemIds.length === 1);
  const grouped = (by: 'key' | 'all') =>
    db
      .selectFrom(union.as('u'))
      .select((eb) => [
        by === 'key' ? eb.ref(`u.${column}`).as('k') : sql<string>`''`.as('k'),
        'u.bucket_index',
        by === 'key' && rowsAreDevices
          ? eb.fn.countAll<number | string>().as('n')
          : eb.fn.count<number | string>('u.fingerprint').distinct().as('n'),
      ])
      .where('u.bucket_index', buckets ? 'is not' : 'is', null)
      .$if(by === 'key', (q) => q.groupBy(`u.${column}`))
      .groupBy('u.bucket_index')
      .execute();
  const [perKeyRows, totalRows] = await Promise.all([
    grouped('key'),
    opts.total === false ? [] : grouped('all'),
  ]);
  const out = empty();
  for (const r of perKeyRows) {
    let s = out.perKey.get(r.k);
    if (!s) {
      s = new Array<number>(n).fill(0);
      out.perKey.set(r.k, s);
    }
    s[buckets ? Number(r.bucket_index) : 0] = Number(r.n);
  }
  for (const r of totalRows) out.total[buckets ? Number(r.bucket_index) : 0] = Number(r.n);
  return out;
}

const keyOf = (key: DeviceKey, itemId: string, projectId: string): string =>
  key === 'item' ? itemId : projectId;
