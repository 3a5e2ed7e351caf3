/** Time source port: the server uses the system clock; tests move a manual one to expire leases. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock stopped at `ms` (replays and tests that decide the instant of each call). */
export const fixedClock = (ms: number): Clock => ({ now: () => ms });

export class ManualClock implements Clock {
  constructor(private t: number = Date.now()) {}
  now(): number {
    return this.t;
  }
  set(ms: number): void {
    this.t = ms;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
