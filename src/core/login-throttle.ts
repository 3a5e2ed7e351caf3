/**
 * Failures per client address in a fixed window. For logins: per-user lockout stops guessing one
 * password, this stops spraying one password over many accounts from one address. For license
 * keys (plugins/license-auth.ts): it stops guessing keys. In memory, per process (defence in
 * depth; the per-user lockout in the database is the hard limit for logins).
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();

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

  fail(address: string, now: number): void {
    const f = this.failures.get(address);
    if (!f || now - f.since >= this.windowMs) {
      if (this.failures.size >= this.maxAddresses) this.prune(now);
      this.failures.set(address, { count: 1, since: now });
    } else f.count++;
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
