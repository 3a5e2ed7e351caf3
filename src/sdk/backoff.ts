/** Retry and renewal schedules. Pure functions of an injectable random source, so tests pin them. */

export interface BackoffOptions {
  /** first delay, ms */
  baseMs: number;
  /** ceiling, ms */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 5 * 60_000 };

/**
 * Exponential backoff with "equal jitter": attempt 0 waits base/2..base, attempt n waits
 * half of min(max, base·2ⁿ) plus a random half of it, so a fleet that lost the server at the
 * same moment does not come back in lockstep, and no delay is ever below half its step.
 */
export function backoffDelay(
  attempt: number,
  opts: BackoffOptions = DEFAULT_BACKOFF,
  random = Math.random,
): number {
  const step = Math.min(opts.maxMs, opts.baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(step / 2 + random() * (step / 2));
}

/**
 * When to renew a lease: at 50–80 % of its life (jittered), measured from now. Renewing well
 * before expiry leaves the rest of the life for retries through a short outage.
 */
export function renewalDelay(
  issuedAtMs: number,
  expiresAtMs: number,
  nowMs: number,
  random = Math.random,
): number {
  const life = Math.max(0, expiresAtMs - issuedAtMs);
  const at = issuedAtMs + life * (0.5 + 0.3 * random());
  return Math.max(0, Math.round(at - nowMs));
}
