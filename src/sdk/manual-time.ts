/** A manual clock and timer queue for tests of code that embeds the SDK: time moves only when told. */
import type { SdkClock, SdkTimers } from './timers.ts';

export class ManualTime implements SdkClock, SdkTimers {
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  constructor(private t: number = Date.now()) {}

  now(): number {
    return this.t;
  }
  set(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { at: this.t + Math.max(0, ms), fn });
    return id;
  }
  clear(handle: unknown): void {
    this.due.delete(handle as number);
  }
  get pendingTimers(): number {
    return this.due.size;
  }

  /**
   * Moves time forward, firing due timers in order; awaits `settle` after each so async work a
   * timer started (a renewal request) finishes before time moves on.
   */
  async advance(
    ms: number,
    settle: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0)),
  ): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined;
      for (const e of this.due) if (e[1].at <= end && (!next || e[1].at < next[1].at)) next = e;
      if (!next) break;
      this.due.delete(next[0]);
      this.t = Math.max(this.t, next[1].at);
      next[1].fn();
      await settle();
    }
    this.t = end;
  }
}
