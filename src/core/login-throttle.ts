/**
 * Failures per client address (core/client-address.ts: an IPv4 address or an IPv6 /64) in a fixed
 * window. For logins: the lockout per (email, address) stops guessing one password, this stops
 * spraying one password over many accounts from one address. For license keys
 * (plugins/license-auth.ts): it stops guessing keys, counting each distinct key once. In memory,
 * per process (defence in depth; the lockout in the database is the hard limit for logins).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number; seen?: Set<string> }>();

  constructor(
    private readonly maxFailures = 100,
    private readonly windowMs = 15 * 60 * 1000,
    private readonly maxAddresses = 10_000,
  ) {}

  /** Milliseconds until the address may try again, or 0. */
  blockedFor(address: string, now: number): number {
    const f = this.failures.get(address);
    if (!f || now - f.since >= this.windowMs) return 0;
    return f.count >= this.maxFailures ? f.since + this.windowMs - now : 0;
  }

  /** One failure; with `what` (e.g. a key's hash), the same `what` again in the window counts once. */
  fail(address: string, now: number, what?: string): void {
    const f = this.failures.get(address);
    if (!f || now - f.since >= this.windowMs) {
      if (this.failures.size >= this.maxAddresses) this.prune(now);
      this.failures.set(address, { count: 1, since: now, ...(what ? { seen: new Set([what]) } : {}) });
      return;
    }
    if (what !== undefined) {
      f.seen ??= new Set();
      if (f.seen.has(what)) return;
      // blocked from maxFailures on: no need to remember more
      if (f.seen.size < this.maxFailures) f.seen.add(what);
    }
    f.count++;
  }

  private prune(now: number): void {
    for (const [k, f] of this.failures) if (now - f.since >= this.windowMs) this.failures.delete(k);
    // still full: forget the oldest entries (Map keeps insertion order)
    for (const k of this.failures.keys()) {
      if (this.failures.size < this.maxAddresses) break;
      this.failures.delete(k);
    }
  }
}
