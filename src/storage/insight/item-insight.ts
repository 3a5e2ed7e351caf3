/**
 * GET /license-items/{id}/insight: utilization histogram, true declines and the seat-need replay
 * of a multi-user item over a period. Two queries: the seat intervals overlapping the observed
 * period, and the attempted starts from the period start to its end plus the grace (a decline
 * near the end may be followed by a retry just after it).
 */
import type { InsightQuery, ItemInsight, ItemInsightResponse } from '../../contract/insight.ts';
import { recommendationSentence } from '../../core/insight/recommendation.ts';
import { type Arrival, median, seatNeed } from '../../core/insight/replay.ts';
import { countTrueDeclines } from '../../core/insight/true-declines.ts';
import { utilization } from '../../core/insight/utilization.ts';
import { isoInZone, type ResolvedPeriod } from '../../core/stats/period.ts';
import type { LicenseItemRow } from '../catalog-repository.ts';
import type { Executor } from '../executor.ts';
import { getSeatIntervals } from '../stats/getSeatIntervals.ts';
import { getSeatStarts } from './getSeatStarts.ts';

export const DEFAULT_GRACE_MINUTES = 10;
export const DEFAULT_TARGET_PCT = 1;

export async function buildItemInsight(
  db: Executor,
  item: LicenseItemRow,
  p: ResolvedPeriod,
  q: Pick<InsightQuery, 'graceMinutes' | 'targetPct'>,
  now: number,
): Promise<ItemInsightResponse> {
  const graceMinutes = q.graceMinutes ?? DEFAULT_GRACE_MINUTES;
  const targetPct = q.targetPct ?? DEFAULT_TARGET_PCT;
  const base = {
    licenseItem: { id: item.id, name: item.name, model: item.model, quota: item.quota },
    period: { from: isoInZone(p.from, p.tz), to: isoInZone(p.to, p.tz), timeZone: p.tz },
    graceMinutes,
    targetPct,
  };
  if (item.model !== 'multi-user') return { ...base, applicable: false, insight: null };
  return { ...base, applicable: true, insight: await insightOf(db, item, p, graceMinutes, targetPct, now) };
}

async function insightOf(
  db: Executor,
  item: LicenseItemRow,
  p: ResolvedPeriod,
  graceMinutes: number,
  targetPct: number,
  now: number,
): Promise<ItemInsight> {
  const org = item.organization_id;
  const from = p.from;
  const end = Math.max(from, Math.min(p.to, now));
  const graceMs = graceMinutes * 60_000;
  const intervals = await getSeatIntervals(db, { organizationId: org, itemId: item.id, from, to: end, now });
  const starts = await getSeatStarts(db, {
    organizationId: org,
    itemId: item.id,
    from,
    to: end + graceMs,
    now,
  });
  const inPeriod = starts.filter((s) => s.at < end);
  const full = inPeriod.filter((s) => !s.declined);
  const declined = inPeriod.filter((s) => s.declined);

  const heldMs = full.map((s) => s.releasedAt! - s.at);
  const declinedHoldMs = median(heldMs) ?? item.refresh_interval_s * 1000;
  const arrivals: Arrival[] = inPeriod.map((s) => ({
    at: s.at,
    heldMs: s.declined ? null : s.releasedAt! - s.at,
  }));
  // seats held at the period start: sessions that started before it and had not released yet
  const occupants = intervals.filter((i) => i.start < from && i.end > from).map((i) => i.end);
  const need = seatNeed({ occupants, arrivals, declinedHoldMs }, item.quota, targetPct);
  const at = need.rows.find((r) => r.seats === need.recommended);

  return {
    observed: { from: isoInZone(from, p.tz), to: isoInZone(end, p.tz), ms: end - from },
    utilization: utilization(intervals, { from, to: end }, item.quota),
    starts: {
      total: inPeriod.length,
      full: full.length,
      declined: declined.length,
      trueDeclines: countTrueDeclines(
        declined,
        starts.filter((s) => !s.declined),
        graceMs,
      ),
    },
    replay: {
      rows: need.rows,
      declinedHoldMs,
      recommendedSeats: need.recommended,
      sentence: recommendationSentence({
        quota: item.quota,
        starts: inPeriod.length,
        targetPct,
        recommended: need.recommended,
        maxTried: item.quota + 5,
        declinesAtRecommended: at?.declines ?? null,
      }),
    },
  };
}
