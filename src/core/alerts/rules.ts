/**
 * Alert conditions (pure). Each condition has a key; it fires when it starts to hold and may fire
 * again only after it stopped holding (quota, declines). Expiry keys include the validity end,
 * so they hold once and for good (a changed end is a new key).
 */
import type { AlertSettings } from '../../contract/alerts.ts';

export const quotaKey = (itemId: string, pct: number): string => `quota:${itemId}:${pct}`;
export const declinesKey = (itemId: string): string => `declines:${itemId}`;
export const expiryKey = (itemId: string, days: number, validTo: number): string =>
  `expiry:${itemId}:${days}:${validTo}`;

/** For each threshold: does usage ÷ quota reach it? (a quota of 0 reaches nothing) */
export function quotaConditions(
  s: AlertSettings,
  usage: number,
  quota: number,
): { threshold: number; holds: boolean }[] {
  return [...new Set(s.quotaThresholds)].map((threshold) => ({
    threshold,
    holds: quota > 0 && usage * 100 >= threshold * quota,
  }));
}

export const declinesHold = (s: AlertSettings, declinesLastHour: number): boolean =>
  declinesLastHour > s.declinesPerHour;

/** The expiry warnings due at `now`: days whose window [validTo − days, validTo) contains now. */
export function dueExpiryDays(s: AlertSettings, validTo: number, now: number): number[] {
  return [...new Set(s.expiryDays)].filter((d) => now >= validTo - d * 86_400_000 && now < validTo);
}
