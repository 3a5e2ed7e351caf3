/** Time and timer ports: the real ones by default; tests pass a manual pair to move time. */

export interface SdkClock {
  now(): number;
}

export interface SdkTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realClock: SdkClock = { now: () => Date.now() };

export const realTimers: SdkTimers = {
  set(fn, ms) {
    const t = setTimeout(fn, ms);
    // Timers must not keep a Node process alive on their own; browsers have no unref.
    (t as { unref?: () => void }).unref?.();
    return t;
  },
  clear(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
