/**
 * Webhook retry schedule: after the n-th failed attempt wait 30 s × 2^(n−1), at most an hour;
 * a delivery still failing a day after it was created is given up (status `failed`).
 */
export const GIVE_UP_AFTER_MS = 24 * 3_600_000;
const FIRST_MS = 30_000;
const MAX_MS = 3_600_000;

export function retryDelayMs(failedAttempts: number): number {
  return Math.min(MAX_MS, FIRST_MS * 2 ** Math.max(0, failedAttempts - 1));
}

/** When to try again, or null to give up. */
export function nextAttemptAt(createdAt: number, failedAttempts: number, now: number): number | null {
  const at = now + retryDelayMs(failedAttempts);
  return at - createdAt > GIVE_UP_AFTER_MS ? null : at;
}
