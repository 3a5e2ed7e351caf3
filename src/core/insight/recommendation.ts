/** The seat-need recommendation in words, for the page and the API alike. */

export function recommendationSentence(r: {
  quota: number;
  starts: number;
  targetPct: number;
  recommended: number | null;
  maxTried: number;
  declinesAtRecommended: number | null;
}): string {
  const target = `at most ${r.targetPct}% of starts declined`;
  if (r.starts === 0) return 'No program starts in this period: nothing to recommend.';
  if (r.recommended === null)
    return `Even ${r.maxTried} seats would have declined more than ${r.targetPct}% of the ${r.starts} starts in this period: more than ${r.maxTried} seats are needed.`;
  const outcome = `${r.declinesAtRecommended ?? 0} of the ${r.starts} starts in this period would have been declined`;
  const k = r.recommended;
  const seats = (n: number) => `${n} seat${n === 1 ? '' : 's'}`;
  if (k === r.quota) return `${seats(k)}, as now, meet the target (${target}): ${outcome}.`;
  if (k > r.quota)
    return `Recommended: ${seats(k)} (${k - r.quota} more than now) for ${target}: with them, ${outcome}.`;
  return `${seats(k)} (${r.quota - k} fewer than now) would have met the target (${target}): ${outcome}.`;
}
