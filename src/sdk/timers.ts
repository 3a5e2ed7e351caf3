/** Time and timer ports: the real ones by default; tests pass a manual pair to move time. */

export interface SdkClock {
  now(): number;
}

export interface SdkTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export const realClock: SdkClock = { now: () => Date.now() };

/**
 * The longest single setTimeout: longer delays fire after 1 ms (Node warns, browsers do not), and
 * a lease may run a year. Longer waits are chained from steps of this size.
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** A chained wait: `current` is the step now pending. */
interface LongTimer {
  current: ReturnType<typeof setTimeout> | null;
}

export const realTimers: SdkTimers = {
  set(fn, ms) {
    const handle: LongTimer = { current: null };
    const arm = (left: number) => {
      const step = Math.min(Math.max(0, left), MAX_TIMEOUT_MS);
      const t = setTimeout(() => (left > MAX_TIMEOUT_MS ? arm(left - MAX_TIMEOUT_MS) : fn()), step);
      // Timers must not keep a Node process alive on their own; browsers have no unref.
      (t as { unref?: () => void }).unref?.();
      handle.current = t;
    };
    arm(ms);
    return handle;
  },
  clear(handle) {
    const h = handle as LongTimer;
    if (h.current !== null) clearTimeout(h.current);
    h.current = null;
  },
};
