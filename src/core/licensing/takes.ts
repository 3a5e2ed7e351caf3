/** Takes of a single-user item: a rolling window of take_period_days, takes_per_period allowed in it. */
const DAY_MS = 86_400_000;

/** The take window when a limit is set without one. */
export const DEFAULT_TAKE_PERIOD_DAYS = 30;

export interface TakePolicy {
  takesPerPeriod: number | null;
  takePeriodDays: number | null;
}

/** Start of the rolling window that ends at `now` (takes with at > start count). */
export const takeWindowStart = (p: TakePolicy, now: number): number =>
  now - (p.takePeriodDays ?? DEFAULT_TAKE_PERIOD_DAYS) * DAY_MS;

/** Takes still allowed; null = the item sets no limit. */
export function takesLeft(p: TakePolicy, takesInWindow: number): number | null {
  if (p.takesPerPeriod === null) return null;
  return Math.max(0, p.takesPerPeriod - takesInWindow);
}
