/** Validity periods are half-open: [validFrom, validTo). */
export interface Validity {
  validFrom: number;
  validTo: number;
}

export const isValidAt = (v: Validity, at: number): boolean => at >= v.validFrom && at < v.validTo;

/** Clients may run a little ahead of the server; events up to this far in the future are accepted. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Why a reported event time is refused, or null when it is accepted: it must lie inside the
 * item's validity (late reports after being offline are fine) and not beyond now + clock skew.
 */
export function eventTimeProblem(v: Validity, at: number, now: number): string | null {
  if (at > now + MAX_CLOCK_SKEW_MS) return 'is more than 5 minutes in the future';
  if (!isValidAt(v, at)) return 'is outside the license validity period';
  return null;
}
