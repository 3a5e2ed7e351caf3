/**
 * GET /projects/{id}/stats and /usage-table.csv: the usage attributed to one project, split by its
 * license items. An item's usage is its measure: scans (per-scan), distinct devices (per-device,
 * per item and interval) or program starts (single-/multi-user: full + limited + declined).
 * Hardware-key items have none and get no column. Totals add the items' figures.
 */
import type { LicenseModel, UsageKind } from '../../contract/domain.ts';
import type {
  Pies,
  ProjectStatsResponse,
  ProjectTableRow,
  Trend,
  UsageMeasure,
} from '../../contract/stats.ts';
import { measureOf, startsContribution } from '../../core/stats/figures.ts';
import { foldDistinct, foldSums, type TimedValue } from '../../core/stats/fold.ts';
import { describeBuckets, describePeriod, isoInZone, type ResolvedPeriod } from '../../core/stats/period.ts';
import { type KeyLabel, pieOf, seriesWithTotal } from '../../core/stats/pie.ts';
import { isoFormatter, periodBuckets } from '../../core/stats/zoned.ts';
import type { Bucket } from '../../core/time-buckets.ts';
import type { LicenseItemRow, ProjectRow } from '../catalog-repository.ts';
import type { Executor } from '../executor.ts';
import { MAX_SQL_BUCKETS } from './bucket-index.ts';
import { countDevices, type DeviceCounts } from './count-devices.ts';
import type { SumRow } from './filter.ts';
import { getProjectItems } from './getProjectItems.ts';
import { type ReadTarget, readDevices, readSums } from './read-usage.ts';

interface ProjectItems {
  all: LicenseItemRow[];
  measures: Map<string, UsageMeasure>;
  /** items with usage, in id order: the slice, series and column keys */
  keys: KeyLabel[];
  summed: string[];
  devices: string[];
  kinds: UsageKind[];
}

async function loadItems(db: Executor, project: ProjectRow): Promise<ProjectItems> {
  const all = await getProjectItems(db, { organizationId: project.organization_id, projectId: project.id });
  const measures = new Map(all.map((i) => [i.id, measureOf(i.model as LicenseModel)]));
  const withUsage = all.filter((i) => measures.get(i.id) !== 'none');
  const summed = withUsage.filter((i) => measures.get(i.id) !== 'devices').map((i) => i.id);
  const devices = withUsage.filter((i) => measures.get(i.id) === 'devices').map((i) => i.id);
  const kinds = new Set<UsageKind>();
  for (const id of summed) {
    if (measures.get(id) === 'scans') kinds.add('scan');
    else kinds.add('full_access').add('limited_access');
  }
  return {
    all,
    measures,
    keys: withUsage.map((i) => ({ key: i.id, label: i.name })),
    summed,
    devices,
    kinds: [...kinds],
  };
}

/** A summed row's contribution to its item's measure (scan counts, or program starts). */
function contribution(items: ProjectItems, r: SumRow): number {
  const m = items.measures.get(r.itemId);
  if (m === 'scans') return r.kind === 'scan' ? r.value : 0;
  if (m === 'starts') return startsContribution(r.kind) * r.value;
  return 0;
}

function readers(db: Executor, project: ProjectRow, items: ProjectItems) {
  const base = { organizationId: project.organization_id, projectId: project.id };
  return {
    sums: (target: ReadTarget) =>
      readSums(db, { ...base, itemIds: items.summed, kinds: items.kinds }, target),
    devices: (target: ReadTarget) =>
      countDevices(db, { ...base, itemIds: items.devices }, target, 'item', { total: false }),
    deviceRows: (target: ReadTarget) => readDevices(db, { ...base, itemIds: items.devices }, target),
  };
}

/** Per item and bucket: sums folded for summed items, distinct devices per bucket for device items. */
function foldPerItem(
  items: ProjectItems,
  buckets: readonly Bucket[],
  sums: readonly SumRow[],
  devices: DeviceCounts,
) {
  const timed: TimedValue[] = sums.map((r) => ({ key: r.itemId, t: r.t!, value: contribution(items, r) }));
  const out = foldSums(buckets, timed, items.summed);
  for (const id of items.devices)
    out.set(id, devices.perKey.get(id) ?? new Array<number>(buckets.length).fill(0));
  return out;
}

/** Whole-window figure per item (distinct devices over the window are counted apart: not a sum). */
function windowTotals(
  items: ProjectItems,
  sums: readonly SumRow[],
  devices: DeviceCounts,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of sums) out.set(r.itemId, (out.get(r.itemId) ?? 0) + contribution(items, r));
  for (const [k, v] of devices.perKey) out.set(k, v[0]!);
  return out;
}

const sumValues = (m: ReadonlyMap<string, number>, keys: readonly KeyLabel[]): number =>
  keys.reduce((a, k) => a + (m.get(k.key) ?? 0), 0);

/** 2-hour rows, newest first, made as they are read; an interval without usage shows 0 for every item. */
function* tableRows(
  items: ProjectItems,
  buckets: readonly Bucket[],
  perItem: Map<string, number[]>,
  tz: string,
): Generator<ProjectTableRow> {
  const iso = isoFormatter(tz);
  const columns = items.keys.map(({ key }) => [key, perItem.get(key)] as const);
  for (let i = buckets.length - 1; i >= 0; i--) {
    const values: Record<string, number> = {};
    let total = 0;
    for (const [key, series] of columns) {
      const v = series?.[i] ?? 0;
      values[key] = v;
      total += v;
    }
    yield { start: iso(buckets[i]!.start), end: iso(buckets[i]!.end), values, total };
  }
}

export interface TablePage {
  /** rows skipped, from the newest */
  offset: number;
  /** undefined: every row */
  limit?: number | undefined;
}

/** True when every bucket start of `coarse` is also one of `fine`'s: rows read for `fine` fold into `coarse`. */
function nests(coarse: readonly Bucket[], fine: readonly Bucket[]): boolean {
  if (coarse === fine) return true;
  const starts = new Set(fine.map((b) => b.start));
  return coarse.every((b) => starts.has(b.start));
}

export async function buildProjectStats(
  db: Executor,
  project: ProjectRow,
  p: ResolvedPeriod,
  page: TablePage = { offset: 0 },
): Promise<ProjectStatsResponse> {
  const items = await loadItems(db, project);
  const buckets = periodBuckets(p.from, p.to, p.granularity, p.tz);
  const twoHour = p.granularity === '2h' ? buckets : periodBuckets(p.from, p.to, '2h', p.tz);
  // The table's rows, newest first, are the 2-hour buckets from the end: a page is a slice of them.
  const total = twoHour.length;
  const offset = Math.min(page.offset, total);
  const limit = Math.min(page.limit ?? total, total - offset);
  const pageBuckets = limit === total ? twoHour : twoHour.slice(total - offset - limit, total - offset);
  // The whole table nested with the trend: one timed read of sums serves both. Otherwise the
  // trend is read in its own buckets (a year of weeks is mostly whole days), the table in its page's.
  const shared = pageBuckets === twoHour && nests(buckets, twoHour);
  const read = readers(db, project, items);
  const periodWindow = { window: { from: p.from, to: p.to } };
  const todayWindow = { window: { from: p.today.start, to: p.today.end } };
  const allWindow = { window: { from: null, to: null } };
  // Too many table rows to count per bucket in SQL: the table's device rows are read per unit
  // anyway, and the trend and period counts come from the same rows (sets per bucket).
  const fromRows = shared && twoHour.length > MAX_SQL_BUCKETS;
  // Every read is issued at once: on PostgreSQL's pool and SQLite's read workers they run side by
  // side. The costliest (distinct devices per trend bucket and over the period) go first, so they
  // do not end up last in a worker's queue.
  const [[trendCounted, periodCounted, pageCounted, tableRowsRead, todayDevices, allDevices], sums] =
    await Promise.all([
      Promise.all([
        fromRows ? null : read.devices({ buckets }),
        fromRows ? null : read.devices(periodWindow),
        fromRows || pageBuckets === buckets ? null : read.devices({ buckets: pageBuckets }),
        fromRows ? read.deviceRows({ buckets: twoHour }) : null,
        read.devices(todayWindow),
        read.devices(allWindow),
      ]),
      Promise.all([
        read.sums({ buckets: shared ? twoHour : buckets }),
        shared ? null : read.sums({ buckets: pageBuckets }),
        read.sums(todayWindow),
        read.sums(allWindow),
      ]),
    ]);
  const [periodSums, pageSums, todaySums, allSums] = sums;
  const countsOf = (b: readonly Bucket[]): DeviceCounts =>
    foldDistinct(
      b,
      tableRowsRead!.map((r) => ({ key: r.itemId, t: r.t!, fingerprint: r.fingerprint })),
    );
  const trendDevices = fromRows ? countsOf(buckets) : trendCounted!;
  const pageDevices = fromRows ? countsOf(pageBuckets) : pageCounted;
  const periodDevices = fromRows ? countsOf([{ start: p.from, end: p.to }]) : periodCounted!;
  const trendFold = foldPerItem(items, buckets, periodSums, trendDevices);
  const tableFold =
    pageBuckets === buckets
      ? trendFold
      : foldPerItem(items, pageBuckets, pageSums ?? periodSums, pageDevices ?? trendDevices);
  const periodTotals = windowTotals(items, periodSums, periodDevices);
  const todayTotals = windowTotals(items, todaySums, todayDevices);
  const allTotals = windowTotals(items, allSums, allDevices);
  const window = (a: number, b: number) => ({ start: isoInZone(a, p.tz), end: isoInZone(b, p.tz) });
  const pies: Pies = {
    allHistory: pieOf(items.keys, allTotals, sumValues(allTotals, items.keys), null),
    period: pieOf(items.keys, periodTotals, sumValues(periodTotals, items.keys), window(p.from, p.to)),
    today: pieOf(
      items.keys,
      todayTotals,
      sumValues(todayTotals, items.keys),
      window(p.today.start, p.today.end),
    ),
  };
  const trend: Trend = {
    granularity: p.granularity,
    intervals: describeBuckets(buckets, p.tz),
    series: seriesWithTotal(items.keys, trendFold, buckets.length),
    seatCount: null,
  };
  return {
    project: {
      id: project.id,
      name: project.name,
      items: items.all.map((i) => ({
        id: i.id,
        name: i.name,
        model: i.model as LicenseModel,
        measure: items.measures.get(i.id)!,
      })),
    },
    period: describePeriod(p),
    pies,
    trend,
    table: [...tableRows(items, pageBuckets, tableFold, p.tz)],
    tablePage: { offset, limit, total },
  };
}

/** The 2-hour table alone, for the CSV export: item ids (columns) and rows newest first. */
export async function buildProjectTable(
  db: Executor,
  project: ProjectRow,
  p: ResolvedPeriod,
): Promise<{ itemIds: string[]; rows: Iterable<ProjectTableRow> }> {
  const items = await loadItems(db, project);
  const twoHour = periodBuckets(p.from, p.to, '2h', p.tz);
  const read = readers(db, project, items);
  const target = { buckets: twoHour };
  const [sums, devices] = await Promise.all([read.sums(target), read.devices(target)]);
  const fold = foldPerItem(items, twoHour, sums, devices);
  return { itemIds: items.keys.map((k) => k.key), rows: tableRows(items, twoHour, fold, p.tz) };
}
