/**
 * The fleet generator: from a few pool descriptions, a realistic timeline of client actions.
 * Pure (a seeded Rng, no I/O), so history and live mode replay the same plan and tests know
 * what was planned.
 *
 * - desktop users work weekdays in office hours of their own time zone (start ≈ 8:45, end
 *   ≈ 17:15 local, jittered; now and then a day off or a weekend hour), running the program
 *   one to three times a day; a multi-user pool with more users than seats sees declines;
 * - single-user pools: some machines are activated, the others run limited or take the license;
 * - device fleets (per-device, per-scan) run every day, go offline for days now and then and
 *   report what they did late, with the original event times.
 */
import { Temporal } from 'temporal-polyfill';
import type { Rng } from './random.ts';

export type PoolKind = 'multi-user' | 'single-user' | 'per-device' | 'per-scan';

export interface PoolSpec {
  name: string;
  kind: PoolKind;
  /** activation code or project key the machines use */
  licenseKey: string;
  /** project key named in requests (activation-code keys whose item serves several projects) */
  project?: string;
  timeZone: string;
  machines: number;
  emailDomain: string;
  /** lease life of the item; renewals are planned at 60 % of it */
  refreshIntervalS: number;
  /** desktop pools: program runs per working day (1–3) */
  sessionsPerDay?: number;
  /** single-user: machines activated on the first day (the rest run limited unless they take) */
  activated?: number;
  /** single-user: take attempts per week across the pool */
  takesPerWeek?: number;
  /** device pools: scans per device per day (per-scan) */
  scansPerDay?: number;
  /** device pools: chance per device per day to go offline for 1–4 days */
  offlineChance?: number;
  /** desktop pools: people work weekends too (default: weekdays, weekends rarely) */
  everyDay?: boolean;
  /**
   * history runs lanes in parallel; pools whose keys reach the same license items (an activation
   * code and a project key of that item) must name the same lane. Default: the license key.
   */
  lane?: string;
  /** share of sessions that crash (never ended; their lease expires) */
  crashChance?: number;
}

export interface SimMachine {
  index: number;
  pool: string;
  kind: PoolKind;
  fingerprint: string;
  hostname: string;
  email: string;
  version: string;
  licenseKey: string;
  project?: string;
  timeZone: string;
}

export interface UsageEventPlan {
  kind: 'scan';
  count: number;
  at: number;
}

export type Action =
  | { at: number; type: 'activate'; m: number }
  | { at: number; type: 'start'; m: number; s: number }
  | { at: number; type: 'renew'; m: number; s: number }
  | { at: number; type: 'end'; m: number; s: number }
  | { at: number; type: 'take'; m: number }
  | { at: number; type: 'usage'; m: number; events: UsageEventPlan[] };

export interface FleetPlan {
  machines: SimMachine[];
  /** chronological */
  actions: Action[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const FIRST_NAMES = [
  'ana',
  'ben',
  'chen',
  'dara',
  'eli',
  'fatima',
  'gus',
  'hana',
  'ivan',
  'jo',
  'kiran',
  'lena',
];
const VERSIONS = ['2026.1.4', '2026.2.0', '2026.2.1', '2026.3.0'];

function localInstant(date: Temporal.PlainDate, hours: number, timeZone: string): number {
  const h = Math.floor(hours);
  const min = Math.floor((hours - h) * 60);
  return date
    .toPlainDateTime({ hour: Math.min(23, h), minute: min })
    .toZonedDateTime(timeZone, { disambiguation: 'later' }).epochMilliseconds;
}

function daysOf(from: number, to: number, timeZone: string): Temporal.PlainDate[] {
  const first = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(timeZone).toPlainDate();
  const last = Temporal.Instant.fromEpochMilliseconds(to).toZonedDateTimeISO(timeZone).toPlainDate();
  const out: Temporal.PlainDate[] = [];
  for (let d = first; Temporal.PlainDate.compare(d, last) <= 0; d = d.add({ days: 1 })) out.push(d);
  return out;
}

/**
 * Plans every pool over [from, to]. `liveSessionsPerPool` machines of each pool also start the
 * program a few minutes before `to` and are still running then, so a seeded portal shows live
 * sessions whatever the hour.
 */
export function planFleet(
  pools: readonly PoolSpec[],
  from: number,
  to: number,
  rng: Rng,
  liveSessionsPerPool = 0,
): FleetPlan {
  const machines: SimMachine[] = [];
  const actions: Action[] = [];
  let sessionSeq = 0;
  const push = (a: Action) => {
    if (a.at >= from && a.at <= to) actions.push(a);
  };

  /** one program run: start, renewals at 60 % of the lease life, end (unless it crashes) */
  const session = (m: number, start: number, end: number, pool: PoolSpec) => {
    const s = ++sessionSeq;
    push({ at: start, type: 'start', m, s });
    const crashes = rng.chance(pool.crashChance ?? 0.03);
    const stop = crashes ? start + (end - start) * rng.next() : end;
    const step = pool.refreshIntervalS * 1000 * 0.6;
    for (let t = start + step; t < stop; t += step) push({ at: t, type: 'renew', m, s });
    if (!crashes) push({ at: end, type: 'end', m, s });
  };

  for (const pool of pools) {
    const first = machines.length;
    for (let i = 0; i < pool.machines; i++) {
      const g = machines.length; // names run across pools, so one person is one machine
      const name = `${FIRST_NAMES[g % FIRST_NAMES.length]}${g >= FIRST_NAMES.length ? Math.floor(g / FIRST_NAMES.length) + 1 : ''}`;
      const device = pool.kind === 'per-device' || pool.kind === 'per-scan';
      const tag = pool.name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
      machines.push({
        index: machines.length,
        pool: pool.name,
        kind: pool.kind,
        fingerprint: `${tag}-${device ? 'dev' : 'pc'}-${String(i + 1).padStart(3, '0')}`,
        hostname: device ? `${tag}-${String(i + 1).padStart(3, '0')}` : `${name}-laptop`,
        email: device ? `devices@${pool.emailDomain}` : `${name}@${pool.emailDomain}`,
        version: rng.pick(VERSIONS),
        licenseKey: pool.licenseKey,
        ...(pool.project ? { project: pool.project } : {}),
        timeZone: pool.timeZone,
      });
    }
    const ids = Array.from({ length: pool.machines }, (_, i) => first + i);
    if (liveSessionsPerPool > 0) {
      for (const m of ids.slice(-liveSessionsPerPool)) {
        push({ at: to - rng.int(3, 40) * 60_000, type: 'start', m, s: ++sessionSeq });
      }
    }
    const days = daysOf(from, to, pool.timeZone);
    const firstDay = Math.max(from, localInstant(days[0]!, 7, pool.timeZone));

    if (pool.kind === 'single-user' || pool.kind === 'per-device') {
      const n = pool.kind === 'single-user' ? (pool.activated ?? 1) : pool.machines;
      for (const m of ids.slice(0, n)) push({ at: firstDay + rng.int(0, 30) * 60_000, type: 'activate', m });
    }

    if (pool.kind === 'multi-user' || pool.kind === 'single-user') {
      const takeChancePerDay = (pool.takesPerWeek ?? 0) / 5;
      for (const day of days) {
        const weekend = !pool.everyDay && day.dayOfWeek >= 6;
        if (pool.kind === 'single-user' && !weekend && rng.chance(takeChancePerDay)) {
          // someone without the license takes it before starting the program
          const taker = rng.pick(ids);
          const at = localInstant(day, rng.normal(10, 1.5, 8, 16), pool.timeZone);
          push({ at, type: 'take', m: taker });
          session(taker, at + 60_000, at + rng.int(30, 180) * 60_000, pool);
        }
        for (const m of ids) {
          if (weekend ? !rng.chance(0.04) : rng.chance(0.06)) continue; // weekends off, some days off
          const begin = rng.normal(8.75, 0.6, 6.5, 11);
          const finish = weekend ? begin + rng.normal(2, 1, 0.5, 4) : rng.normal(17.25, 0.75, 14.5, 20.5);
          const runs = Math.max(1, Math.round(rng.normal(pool.sessionsPerDay ?? 1.6, 0.7, 1, 3)));
          const slot = (finish - begin) / runs;
          for (let r = 0; r < runs; r++) {
            const s0 = begin + r * slot + rng.next() * slot * 0.25;
            const s1 = begin + (r + 1) * slot - rng.next() * slot * 0.2;
            if (s1 - s0 < 0.1) continue;
            session(m, localInstant(day, s0, pool.timeZone), localInstant(day, s1, pool.timeZone), pool);
          }
        }
      }
    }

    if (pool.kind === 'per-device' || pool.kind === 'per-scan') {
      for (const m of ids) {
        let offlineUntil = -1;
        let backlog: UsageEventPlan[] = [];
        for (let d = 0; d < days.length; d++) {
          const day = days[d]!;
          const open = localInstant(day, rng.normal(6.5, 0.5, 5, 8), pool.timeZone);
          const close = localInstant(day, rng.normal(19, 1, 16, 22), pool.timeZone);
          const events: UsageEventPlan[] = [];
          if (pool.kind === 'per-scan') {
            // scans in hourly bursts through the operating day
            const perDay = Math.round(
              rng.normal(pool.scansPerDay ?? 200, (pool.scansPerDay ?? 200) * 0.3, 0, 1e6),
            );
            const hours = Math.max(1, Math.round((close - open) / HOUR));
            for (let h = 0; h < hours; h++) {
              const count = Math.round((perDay / hours) * (0.5 + rng.next()));
              if (count > 0)
                events.push({
                  kind: 'scan',
                  count,
                  at: Math.min(close - 60_000, open + h * HOUR + rng.int(0, 59) * 60_000),
                });
            }
          } else {
            // a per-device report is a use; the server records the device as seen at its time
            events.push({ kind: 'scan', count: 1, at: open });
          }
          if (d > offlineUntil && rng.chance(pool.offlineChance ?? 0.03)) offlineUntil = d + rng.int(1, 4);
          if (d <= offlineUntil) {
            backlog.push(...events); // recorded on the device, reported when it is back
            continue;
          }
          if (backlog.length > 0) {
            // back online: the late report with the original times, before today's work
            push({ at: open - 60_000, type: 'usage', m, events: backlog.filter((e) => e.at <= to) });
            backlog = [];
          }
          session(m, open, close, pool);
          if (pool.kind === 'per-scan' && events.length > 0) {
            push({ at: close, type: 'usage', m, events: events.filter((e) => e.at <= to) });
          }
        }
      }
    }
  }

  actions.sort((a, b) => a.at - b.at);
  return { machines, actions };
}

export { DAY, HOUR };
