/**
 * Session history rules (SPEC §4.4): when a session ended (an expired lease ends it at its
 * expiry), its status and duration, the default window, and the paging cursor. Pure.
 */
import { Temporal } from 'temporal-polyfill';
import type { SessionEndReason } from '../contract/domain.ts';
import type { SessionStatus } from '../contract/portal.ts';

export interface SessionTimes {
  started_at: number;
  lease_expires_at: number;
  ended_at: number | null;
  end_reason: string | null;
}

export const isActive = (s: SessionTimes, now: number): boolean =>
  s.ended_at === null && s.lease_expires_at > now;

/** The instant the session ended, or null while it is active. */
export const effectiveEnd = (s: SessionTimes, now: number): number | null =>
  s.ended_at ?? (s.lease_expires_at <= now ? s.lease_expires_at : null);

export function sessionStatus(s: SessionTimes, now: number): SessionStatus {
  if (s.ended_at !== null) return endReasonOf(s.end_reason);
  return s.lease_expires_at > now ? 'active' : 'expired';
}

/** The stored end reason as the contract names it (rows written before `revoked` existed say closed or expired). */
export const endReasonOf = (stored: string | null): SessionEndReason =>
  stored === 'expired' || stored === 'revoked' ? stored : 'closed';

/** Milliseconds from start to end (or to now while active). */
export const durationMs = (s: SessionTimes, now: number): number =>
  Math.max(0, (effectiveEnd(s, now) ?? now) - s.started_at);

export const wholeSeconds = (ms: number): number => Math.floor(ms / 1000);

/** The default window: the last 3 calendar months in the viewer's zone, up to now. */
export function defaultSessionWindow(now: number, tz: string): { from: number; to: number } {
  const from = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(tz).subtract({ months: 3 });
  return { from: from.epochMilliseconds, to: now };
}

/** Keyset position in the full view: phase a = active (by start), e = ended (by end), then id. */
export interface SessionCursor {
  phase: 'a' | 'e';
  t: number;
  id: string;
}

export const encodeCursor = (c: SessionCursor): string =>
  Buffer.from(JSON.stringify(c)).toString('base64url');

export function decodeCursor(text: string): SessionCursor | null {
  try {
    const v = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<SessionCursor>;
    // t is an instant in ms and id a session id: anything else cannot have come from this server
    // (and 1e300 or "a\u0000" would reach the database's bigint and text columns as input errors)
    if (
      (v.phase === 'a' || v.phase === 'e') &&
      Number.isSafeInteger(v.t) &&
      typeof v.id === 'string' &&
      /^[A-Za-z0-9_-]{1,100}$/.test(v.id)
    )
      return { phase: v.phase, t: v.t as number, id: v.id };
  } catch {
    // fall through
  }
  return null;
}

/** Condensed view order: email ascending, then program (code-point order, identical on every database). */
export const byEmailThenProgram = (
  a: { email: string; program: string },
  b: { email: string; program: string },
) =>
  a.email < b.email ? -1 : a.email > b.email ? 1 : a.program < b.program ? -1 : a.program > b.program ? 1 : 0;
