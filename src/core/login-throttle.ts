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

/**
 * The per-account lockout, played out for emails that have no account: otherwise a locked answer
 * after five wrong passwords tells who has an account (an unknown email would fail forever with
 * 401). Same schedule (`lockDuration`), in memory, per process, bounded.
 */
export class UnknownAccountLockout {
  private readonly accounts = new Map<string, { failures: number; lockedUntil: number }>();

  constructor(
    private readonly lockDuration: (failures: number) => number,
    private readonly maxEmails = 10_000,
  ) {}

  /** Milliseconds the (unknown) email stays locked, or 0. */
  lockedFor(email: string, now: number): number {
    const a = this.accounts.get(email.toLowerCase());
    return a && a.lockedUntil > now ? a.lockedUntil - now : 0;
  }

  fail(email: string, now: number): void {
    const key = email.toLowerCase();
    const failures = (this.accounts.get(key)?.failures ?? 0) + 1;
    const lock = this.lockDuration(failures);
    this.accounts.delete(key); // re-insert: Map order is then least recently failed first
    if (this.accounts.size >= this.maxEmails) {
      const oldest = this.accounts.keys().next().value;
      if (oldest !== undefined) this.accounts.delete(oldest);
    }
    this.accounts.set(key, { failures, lockedUntil: lock > 0 ? now + lock : 0 });
  }
}
