import { type Command, Option } from 'commander';
import { loadConfig } from '../../config.ts';
import type { PoolKind, PoolSpec } from '../../demo/fleet.ts';
import type { SimulationResult } from '../../demo/simulate.ts';
import { simulateHistory, simulateLive } from '../../demo/simulate.ts';
import { createDeps } from '../../server/start.ts';
import { resolveClientKey } from '../../services/client/index.ts';
import { interruptible, parseInstant, parsePositiveInt, progressBar } from '../context.ts';

interface SimulateOptions {
  mode: 'history' | 'live';
  key: string;
  model: PoolKind;
  machines: string;
  project?: string;
  timeZone: string;
  days: string;
  until?: string;
  sessionsPerDay: string;
  activated: string;
  takesPerWeek: string;
  scansPerDay: string;
  offlineChance: string;
  seed: string;
  server: string;
  hours: string;
  speed: string;
  database?: string;
}

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'simulate a fleet of machines using one license key: office hours in a time zone, seat contention, takes, devices going offline and reporting late',
    )
    .addOption(
      new Option(
        '--mode <mode>',
        'history: write past activity into the database; live: drive a running server over HTTP',
      )
        .choices(['history', 'live'])
        .default('history'),
    )
    .requiredOption('--key <licenseKey>', 'activation code or project key the fleet uses')
    .addOption(
      new Option('--model <model>', 'how the fleet uses the license')
        .choices(['multi-user', 'single-user', 'per-device', 'per-scan'])
        .makeOptionMandatory(),
    )
    .option('--machines <n>', 'machines (users or devices)', '8')
    .option('--project <projectKey>', 'project key named in requests (activation-code keys)')
    .option('--time-zone <zone>', 'where the fleet works (IANA)', 'Europe/Berlin')
    .option('--days <n>', 'history: days back from --until', '30')
    .option('--until <iso>', 'history: end of the simulated period (default now)')
    .option('--sessions-per-day <x>', 'program runs per user and working day', '1.6')
    .option('--activated <n>', 'single-user: machines activated on the first day', '1')
    .option('--takes-per-week <x>', 'single-user: take attempts per week', '1')
    .option('--scans-per-day <n>', 'per-scan: scans per device and day', '200')
    .option('--offline-chance <p>', 'devices: chance per day of going offline for 1–4 days', '0.05')
    .option('--seed <n>', 'random seed', '1')
    .option('--server <url>', 'live: server URL', 'http://127.0.0.1:8080')
    .option('--hours <n>', 'live: simulated hours to play', '8')
    .option('--speed <x>', 'live: how many times faster than real time', '120')
    .option('--database <url>', 'history: database URL instead of DATABASE_URL')
    .action(async (o: SimulateOptions) => {
      const numberOf = (name: string, v: string) => {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0) throw new Error(`--${name}: not a non-negative number: ${v}`);
        return n;
      };
      const chanceOf = (name: string, v: string) => {
        const p = numberOf(name, v);
        if (p > 1) throw new Error(`--${name}: a probability between 0 and 1: ${v}`);
        return p;
      };
      const base: Omit<PoolSpec, 'refreshIntervalS'> = {
        name: `sim-${o.model}`,
        kind: o.model,
        licenseKey: o.key,
        ...(o.project ? { project: o.project } : {}),
        timeZone: o.timeZone,
        machines: parsePositiveInt('machines', o.machines),
        emailDomain: 'sim.example',
        sessionsPerDay: numberOf('sessions-per-day', o.sessionsPerDay),
        activated: parsePositiveInt('activated', o.activated),
        takesPerWeek: numberOf('takes-per-week', o.takesPerWeek),
        scansPerDay: numberOf('scans-per-day', o.scansPerDay),
        offlineChance: chanceOf('offline-chance', o.offlineChance),
      };
      const seed = parsePositiveInt('seed', o.seed);
      const stop = interruptible();
      const bar = progressBar(`simulating (${o.mode})`, 1);
      const hooks = {
        onProgress: (d: number, t: number) => bar.update(d, t),
        shouldStop: () => stop.stopped,
      };
      let result: SimulationResult;
      try {
        if (o.mode === 'history') {
          const config = loadConfig();
          const deps = await createDeps({ ...config, databaseUrl: o.database ?? config.databaseUrl });
          try {
            const key = await resolveClientKey(deps.db.kysely, o.key);
            if (key.kind === 'code' && key.item.model !== o.model)
              throw new Error(`--model ${o.model}, but ${key.item.id} is a ${key.item.model} item`);
            // renewals are planned at the rhythm of the item's lease life
            const refresh = key.kind === 'code' ? key.item.refresh_interval_s : 3600;
            const to = o.until ? parseInstant('until', o.until) : Date.now();
            result = await simulateHistory(deps.db, deps.signer, {
              pools: [{ ...base, refreshIntervalS: refresh }],
              from: to - parsePositiveInt('days', o.days) * 86_400_000,
              to,
              seed,
              ...hooks,
            });
          } finally {
            await deps.db.close();
          }
        } else {
          result = await simulateLive(o.server, {
            pools: [{ ...base, refreshIntervalS: 3600 }],
            spanMs: numberOf('hours', o.hours) * 3_600_000,
            speed: Math.max(1, numberOf('speed', o.speed)),
            seed,
            ...hooks,
          });
        }
      } finally {
        bar.stop();
        stop.dispose();
      }
      process.stdout.write(`${JSON.stringify({ stopped: result.stopped, ...result.tally }, null, 2)}\n`);
      const t = result.tally;
      const refused = Object.values(t.refusals).reduce((a, b) => a + b, 0);
      // renewals and ends of sessions that never started do nothing: what counts is that nothing went through
      const done =
        t.activations +
        t.starts.full +
        t.starts.limited +
        t.starts.declined +
        t.renewals +
        t.ends +
        t.takes +
        t.takesHeld +
        t.takesDenied +
        t.usageBatches;
      if (refused > 0 && done === 0) {
        const codes = Object.keys(t.refusals).join(', ');
        throw new Error(
          `nothing went through: ${refused} of the ${t.actions} actions were refused (${codes}), the rest needed a session that never started; check the key, --model and the server`,
        );
      }
    });
}
