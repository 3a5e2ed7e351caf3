/**
 * `licstat simulate`: a fleet on given license keys, in one of two modes.
 * - history: months of past activity through the client use cases with explicit past `now`
 *   values, straight into the database (fast; same code path as the client routes minus HTTP);
 * - live: real LicstatClient instances over HTTP against a running server, with the plan's
 *   time compressed by `speed` (a working day in minutes), so leases, batching and retries run
 *   for real.
 */
import type { LeaseSigner } from '../core/lease-signer.ts';
import type { Db } from '../storage/db.ts';
import { type Action, type FleetPlan, type PoolSpec, planFleet } from './fleet.ts';
import { runHistory } from './history-run.ts';
import { liveDriver } from './live-driver.ts';
import { seededRng } from './random.ts';
import { type RunOptions, runPlan, type Tally } from './runner.ts';

export interface SimulationResult {
  plan: FleetPlan;
  tally: Tally;
  stopped: boolean;
}

type Hooks = Pick<RunOptions, 'onProgress' | 'shouldStop'>;

export async function simulateHistory(
  db: Db,
  signer: LeaseSigner,
  o: { pools: PoolSpec[]; from: number; to: number; seed?: number } & Hooks,
): Promise<SimulationResult> {
  // one lane: the pools of a simulation may reach the same items
  const plan = planFleet(o.pools, o.from, o.to, seededRng(o.seed ?? 1));
  const { tally, stopped } = await runHistory(db, signer, [plan], hooks(o));
  return { plan, tally, stopped };
}

/** Maps a plan made for [start, start + span] onto real time from `start`, `speed` times faster. */
export function compressPlan(plan: FleetPlan, start: number, speed: number): FleetPlan {
  const t = (at: number) => Math.round(start + (at - start) / speed);
  const actions: Action[] = plan.actions.map((a) =>
    a.type === 'usage'
      ? { ...a, at: t(a.at), events: a.events.map((e) => ({ ...e, at: t(e.at) })) }
      : { ...a, at: t(a.at) },
  );
  return { machines: plan.machines, actions };
}

export async function simulateLive(
  serverUrl: string,
  o: { pools: PoolSpec[]; spanMs: number; speed: number; seed?: number; start?: number } & Hooks,
): Promise<SimulationResult> {
  const start = o.start ?? Date.now();
  const planned = planFleet(o.pools, start, start + o.spanMs, seededRng(o.seed ?? 1));
  // The SDK renews leases on its own timers in live mode.
  const plan = compressPlan(
    { ...planned, actions: planned.actions.filter((a) => a.type !== 'renew') },
    start,
    o.speed,
  );
  const driver = liveDriver(serverUrl);
  try {
    const { tally, stopped } = await runPlan(plan, driver, {
      ...hooks(o),
      async before(a) {
        // wait for the action's time in short slices, so Ctrl-C is honoured promptly
        for (let wait = a.at - Date.now(); wait > 0 && !o.shouldStop?.(); wait = a.at - Date.now()) {
          await new Promise((r) => setTimeout(r, Math.min(wait, 250)));
        }
      },
    });
    return { plan, tally, stopped };
  } finally {
    await driver.close();
  }
}

const hooks = (o: Hooks): Hooks => ({
  ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  ...(o.shouldStop ? { shouldStop: o.shouldStop } : {}),
});
