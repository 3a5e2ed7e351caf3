/**
 * Runs history plans fast. Each plan is a lane: a set of pools that share license items, played
 * in time order on its own connection. Lanes touch disjoint items, so on PostgreSQL they run in
 * parallel; SQLite has one connection, so they run one after another. Commits need not wait for
 * the disk while history is written (a crash mid-run loses only simulated data); the setting is
 * restored on each connection afterwards.
 */
import { sql } from 'kysely';
import type { LeaseSigner } from '../core/lease-signer.ts';
import type { Db } from '../storage/db.ts';
import type { FleetPlan, PoolSpec } from './fleet.ts';
import { historyDriver } from './history-driver.ts';
import { emptyTally, type RunOptions, runPlan, type Tally } from './runner.ts';

/** Pools that use the same license key (or name the same `lane`) must share a lane. */
export function laneOf(pool: PoolSpec): string {
  return pool.lane ?? pool.licenseKey;
}

export function groupLanes(pools: readonly PoolSpec[]): PoolSpec[][] {
  const lanes = new Map<string, PoolSpec[]>();
  for (const p of pools) lanes.set(laneOf(p), [...(lanes.get(laneOf(p)) ?? []), p]);
  return [...lanes.values()];
}

export function mergeTallies(tallies: readonly Tally[]): Tally {
  const t = emptyTally();
  for (const x of tallies) {
    t.actions += x.actions;
    t.activations += x.activations;
    t.starts.full += x.starts.full;
    t.starts.limited += x.starts.limited;
    t.starts.declined += x.starts.declined;
    t.renewals += x.renewals;
    t.ends += x.ends;
    t.takes += x.takes;
    t.takesHeld += x.takesHeld;
    t.takesDenied += x.takesDenied;
    t.usageBatches += x.usageBatches;
    t.scans += x.scans;
    for (const [code, n] of Object.entries(x.refusals)) t.refusals[code] = (t.refusals[code] ?? 0) + n;
  }
  return t;
}

export async function runHistory(
  db: Db,
  signer: LeaseSigner,
  plans: readonly FleetPlan[],
  hooks: Pick<RunOptions, 'onProgress' | 'shouldStop'> = {},
): Promise<{ tally: Tally; stopped: boolean }> {
  const sqlite = db.dialect.name === 'sqlite';
  const fast = sqlite ? sql`PRAGMA synchronous = OFF` : sql`SET synchronous_commit = off`;
  const safe = sqlite ? sql`PRAGMA synchronous = FULL` : sql`RESET synchronous_commit`;
  const total = plans.reduce((n, p) => n + p.actions.length, 0);
  const done = plans.map(() => 0);

  const lane = (plan: FleetPlan, i: number) =>
    db.kysely.connection().execute(async (conn) => {
      await fast.execute(conn);
      try {
        const oneConnection: Db = {
          kysely: conn,
          reader: conn,
          analytics: conn,
          dialect: db.dialect,
          transaction: (fn) => conn.transaction().execute(fn),
          close: async () => {},
        };
        return await runPlan(plan, historyDriver(oneConnection, signer), {
          onProgress: (d) => {
            done[i] = d;
            hooks.onProgress?.(
              done.reduce((a, b) => a + b, 0),
              total,
            );
          },
          ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
        });
      } finally {
        await safe.execute(conn);
      }
    });

  let results: { tally: Tally; stopped: boolean }[];
  if (sqlite) {
    results = [];
    for (const [i, p] of plans.entries()) results.push(await lane(p, i));
  } else {
    // a few lanes at a time: leave pool connections for a server running alongside
    results = [];
    const queue = [...plans.entries()];
    const workers = Array.from({ length: Math.min(4, plans.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) results.push(await lane(next[1], next[0]));
    });
    await Promise.all(workers);
  }
  return { tally: mergeTallies(results.map((r) => r.tally)), stopped: results.some((r) => r.stopped) };
}
