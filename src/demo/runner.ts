/**
 * Plays a fleet plan through a driver (history: domain use cases with past `now`; live: the
 * SDK over HTTP) and tallies what the server answered, so a run can be checked against the
 * ledger afterwards.
 */
import type { SessionMode } from '../contract/domain.ts';
import type { Action, FleetPlan, SimMachine, UsageEventPlan } from './fleet.ts';

export interface StartAnswer {
  sessionId: string;
  mode: SessionMode;
  reason?: string;
}

/** One client conversation per machine; errors are thrown with a string `code`. */
export interface Driver {
  activate(m: SimMachine, now: number): Promise<void>;
  start(m: SimMachine, now: number): Promise<StartAnswer>;
  renew(m: SimMachine, sessionId: string, now: number): Promise<void>;
  end(m: SimMachine, sessionId: string, now: number): Promise<void>;
  /** resolves to true when the license moved from another machine (a `take` in the ledger) */
  take(m: SimMachine, now: number): Promise<boolean>;
  usage(m: SimMachine, events: UsageEventPlan[], now: number): Promise<void>;
}

export interface Tally {
  actions: number;
  activations: number;
  starts: { full: number; limited: number; declined: number };
  renewals: number;
  ends: number;
  /** takes that moved the license (ledger `take`) */
  takes: number;
  /** takes by the machine that already held the license (nothing moved) */
  takesHeld: number;
  takesDenied: number;
  usageBatches: number;
  scans: number;
  /** refusals by error code (e.g. ACTIVATIONS_EXHAUSTED, LEASE_EXPIRED) */
  refusals: Record<string, number>;
}

export const emptyTally = (): Tally => ({
  actions: 0,
  activations: 0,
  starts: { full: 0, limited: 0, declined: 0 },
  renewals: 0,
  ends: 0,
  takes: 0,
  takesHeld: 0,
  takesDenied: 0,
  usageBatches: 0,
  scans: 0,
  refusals: {},
});

const codeOf = (e: unknown): string | undefined => {
  const c = (e as { code?: unknown })?.code;
  return typeof c === 'string' ? c : undefined;
};

export interface RunOptions {
  /** before each action (live mode waits here until the action's time) */
  before?(action: Action): Promise<void>;
  onProgress?(done: number, total: number): void;
  /** checked between actions: Ctrl-C stops after the current one */
  shouldStop?(): boolean;
}

/** Runs actions one at a time in time order; returns the tally and whether it stopped early. */
export async function runPlan(
  plan: FleetPlan,
  driver: Driver,
  opts: RunOptions = {},
): Promise<{ tally: Tally; stopped: boolean }> {
  const tally = emptyTally();
  const sessions = new Map<number, string>();
  const refuse = (e: unknown) => {
    const code = codeOf(e);
    if (!code) throw e; // not a domain refusal: a bug or an outage; stop the run
    tally.refusals[code] = (tally.refusals[code] ?? 0) + 1;
  };
  const total = plan.actions.length;
  for (let i = 0; i < total; i++) {
    // On SQLite every call completes synchronously underneath, so the awaits never leave the
    // microtask queue: yield now and then, or signals (Ctrl-C) and progress redraws starve.
    if (i % 25 === 0) await new Promise((r) => setTimeout(r, 0));
    if (opts.shouldStop?.()) return { tally, stopped: true };
    const a = plan.actions[i]!;
    const m = plan.machines[a.m]!;
    await opts.before?.(a);
    tally.actions++;
    try {
      switch (a.type) {
        case 'activate':
          await driver.activate(m, a.at);
          tally.activations++;
          break;
        case 'start': {
          const r = await driver.start(m, a.at);
          sessions.set(a.s, r.sessionId);
          if (r.mode === 'full') tally.starts.full++;
          else if (r.reason === 'ALL_SEATS_IN_USE') tally.starts.declined++;
          else tally.starts.limited++;
          break;
        }
        case 'renew': {
          const id = sessions.get(a.s);
          if (id) {
            await driver.renew(m, id, a.at);
            tally.renewals++;
          }
          break;
        }
        case 'end': {
          const id = sessions.get(a.s);
          if (id) {
            sessions.delete(a.s);
            await driver.end(m, id, a.at);
            tally.ends++;
          }
          break;
        }
        case 'take':
          try {
            if (await driver.take(m, a.at)) tally.takes++;
            else tally.takesHeld++;
          } catch (e) {
            if (codeOf(e) === 'TAKE_DENIED') tally.takesDenied++;
            else throw e;
          }
          break;
        case 'usage':
          if (a.events.length === 0) break;
          await driver.usage(m, a.events, a.at);
          tally.usageBatches++;
          tally.scans += a.events.reduce((n, e) => n + e.count, 0);
          break;
      }
    } catch (e) {
      if (a.type === 'renew' || a.type === 'end') sessions.delete(a.s);
      refuse(e);
    }
    if (i % 50 === 0 || i === total - 1) opts.onProgress?.(i + 1, total);
  }
  return { tally, stopped: false };
}
