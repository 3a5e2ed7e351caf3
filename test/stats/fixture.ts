/**
 * A random organization's licensing world for the statistics tests: items of every model, projects,
 * ledger events (written with appendEvents, as the client API does), activations and seat sessions
 * (direct inserts). The test keeps the raw data to compute every figure by brute force.
 */
import fc from 'fast-check';
import type { LicenseModel, UsageKind } from '../../src/contract/domain.ts';
import { newId } from '../../src/core/ids.ts';
import type { LedgerEvent } from '../../src/core/ledger-event.ts';
import {
  createActivationCode,
  createLicenseItem,
  createOrder,
  createProduct,
  createProject,
  type LicenseItemRow,
  type ProjectRow,
} from '../../src/storage/catalog-repository.ts';
import { appendEvents } from '../../src/storage/ledger-repository.ts';
import { newOrg, uniq } from '../support/auth.ts';
import type { TestApp } from '../support/test-app.ts';

export const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Asia/Kolkata', 'Asia/Kathmandu'] as const;
const H = 3_600_000;
const DAY = 24 * H;

export const MODELS: LicenseModel[] = [
  'per-scan',
  'per-scan',
  'per-device',
  'per-device',
  'single-user',
  'multi-user',
  'multi-user',
  'hardware-key',
];

export interface RawEvent {
  item: number;
  /** index into projects, or null = unassigned */
  project: number | null;
  /** which outcome: scans/devices/full/limited/declined, interpreted per model */
  variant: number;
  at: number;
  count: number;
  device: number;
}

export interface RawSession {
  item: number;
  start: number;
  /** ms until ended (null = never ended) */
  endAfter: number | null;
  /** ms from start until the lease expires */
  leaseAfter: number;
  holdsSeat: boolean;
}

export interface RawWorld {
  now: number;
  quotas: number[];
  /** per project: the item indexes it is configured to */
  projectItems: number[][];
  events: RawEvent[];
  sessions: RawSession[];
  /** per item: live activations / deactivated ones */
  activations: { item: number; machine: number; live: boolean }[];
}

/** "now" values around daylight-saving changes and ordinary days. */
const NOWS = [
  Date.parse('2026-03-10T15:07:31Z'), // 2 days after NY spring forward
  Date.parse('2026-03-31T09:44:12Z'), // after Berlin spring forward
  Date.parse('2026-10-27T03:21:00Z'), // after Berlin fall back
  Date.parse('2026-11-02T22:59:59Z'), // after NY fall back
  Date.parse('2026-06-15T12:00:00Z'),
];

export const worldArb: fc.Arbitrary<RawWorld> = fc
  .record({
    nowIdx: fc.integer({ min: 0, max: NOWS.length - 1 }),
    quotas: fc.array(fc.integer({ min: 0, max: 400 }), {
      minLength: MODELS.length,
      maxLength: MODELS.length,
    }),
    projectItems: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: MODELS.length - 1 }), { maxLength: 5 }), {
      minLength: 1,
      maxLength: 3,
    }),
    events: fc.array(
      fc.record({
        item: fc.integer({ min: 0, max: MODELS.length - 1 }),
        project: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 3 }),
        variant: fc.integer({ min: 0, max: 2 }),
        // mostly the last ten days (so 2-hour views have data), some up to 70 days, a few a year back
        back: fc.oneof(
          { weight: 6, arbitrary: fc.integer({ min: -4 * 60_000, max: 10 * DAY }) },
          { weight: 3, arbitrary: fc.integer({ min: 0, max: 70 * DAY }) },
          { weight: 1, arbitrary: fc.integer({ min: 300 * DAY, max: 420 * DAY }) },
        ),
        count: fc.integer({ min: 1, max: 40 }),
        device: fc.integer({ min: 0, max: 5 }),
      }),
      { maxLength: 120 },
    ),
    sessions: fc.array(
      fc.record({
        item: fc.constantFrom(5, 6),
        back: fc.integer({ min: -60_000, max: 9 * DAY }),
        endAfter: fc.option(fc.integer({ min: 0, max: 30 * H }), { nil: null }),
        leaseAfter: fc.integer({ min: 60_000, max: 26 * H }),
        holdsSeat: fc.boolean(),
      }),
      { maxLength: 25 },
    ),
    activations: fc.array(
      fc.record({
        item: fc.integer({ min: 2, max: 4 }),
        machine: fc.integer({ min: 0, max: 3 }),
        live: fc.boolean(),
      }),
      { maxLength: 10 },
    ),
  })
  .map((r) => {
    const now = NOWS[r.nowIdx]!;
    return {
      now,
      quotas: r.quotas,
      projectItems: r.projectItems,
      events: r.events.map((e) => ({
        item: e.item,
        project: e.project !== null && e.project < r.projectItems.length ? e.project : null,
        variant: e.variant,
        at: now - e.back,
        count: e.count,
        device: e.device,
      })),
      sessions: r.sessions.map((s) => ({
        item: s.item,
        start: now - s.back,
        endAfter: s.endAfter !== null && s.endAfter <= s.leaseAfter ? s.endAfter : null,
        leaseAfter: s.leaseAfter,
        holdsSeat: s.holdsSeat,
      })),
      activations: r.activations,
    };
  });

/** The ledger kinds (with counts) one raw event stands for, per model. */
export function kindsOf(model: LicenseModel, e: RawEvent): { kind: UsageKind; count: number }[] {
  switch (model) {
    case 'per-scan':
      return e.variant === 2 ? [{ kind: 'full_access', count: 1 }] : [{ kind: 'scan', count: e.count }];
    case 'per-device':
      return [{ kind: 'device_seen', count: 1 }];
    case 'single-user':
      return e.variant === 0 ? [{ kind: 'full_access', count: 1 }] : [{ kind: 'limited_access', count: 1 }];
    case 'multi-user':
      if (e.variant === 0)
        return [
          { kind: 'checkout', count: 1 },
          { kind: 'full_access', count: 1 },
        ];
      if (e.variant === 1) return [{ kind: 'limited_access', count: 1 }];
      return [
        { kind: 'declined', count: 1 },
        { kind: 'limited_access', count: 1 },
      ];
    case 'hardware-key':
      return [];
  }
}

export interface World {
  raw: RawWorld;
  organizationId: string;
  items: LicenseItemRow[];
  projects: ProjectRow[];
  /** session end for seat holding: min(ended, lease expiry, now) */
  seatIntervals: { item: number; start: number; end: number }[];
}

export const fingerprintOf = (device: number): string => `dev-${device}`;

export async function writeWorld(t: TestApp, raw: RawWorld): Promise<World> {
  const db = t.deps.db.kysely;
  const now = raw.now;
  t.clock.set(now);
  const organizationId = await newOrg(t);
  const product = await createProduct(db, `Product ${uniq()}`, ['core', 'ocr'], now);
  const order = await createOrder(db, organizationId, 'full', now);
  const items: LicenseItemRow[] = [];
  for (const [i, model] of MODELS.entries()) {
    items.push(
      await createLicenseItem(
        db,
        {
          organizationId,
          orderId: order.id,
          productId: product.id,
          name: `${model} ${i}`,
          version: '2026.x',
          deployment: model === 'per-device' ? 'device' : 'computer',
          model,
          quota: raw.quotas[i]!,
          refreshIntervalS: 86400,
          // validity starts 30 days back: older scans count in All History but not against the quota
          validFrom: now - 30 * DAY,
          validTo: now + 365 * DAY,
          modules: ['core'],
          takesPerPeriod: model === 'single-user' ? 4 : null,
          takePeriodDays: model === 'single-user' ? 30 : null,
        },
        now,
      ),
    );
  }
  const projects: ProjectRow[] = [];
  for (const [p, idx] of raw.projectItems.entries()) {
    projects.push(
      await createProject(
        db,
        {
          organizationId,
          name: `Project ${p} ${uniq()}`,
          key: `key-${uniq()}-${p}`,
          licenseItemIds: idx.map((i) => items[i]!.id),
        },
        now,
      ),
    );
  }
  const ledger: LedgerEvent[] = [];
  for (const e of raw.events) {
    const model = MODELS[e.item]!;
    for (const k of kindsOf(model, e))
      ledger.push({
        organizationId,
        licenseItemId: items[e.item]!.id,
        projectId: e.project === null ? null : projects[e.project]!.id,
        activationCodeId: null,
        activationId: null,
        sessionId: null,
        kind: k.kind,
        count: k.count,
        at: e.at,
        receivedAt: now,
        email: 'user@example.test',
        fingerprint: fingerprintOf(e.device),
        batchId: null,
      });
  }
  await appendEvents(db, ledger);

  const seatIntervals: World['seatIntervals'] = [];
  for (const s of raw.sessions) {
    const item = items[s.item]!;
    const ended = s.endAfter === null ? null : s.start + s.endAfter;
    const leaseExpires = s.start + s.leaseAfter;
    if (ended !== null && ended > now) continue; // cannot have ended in the future
    await db
      .insertInto('sessions')
      .values({
        id: newId('ses'),
        organization_id: organizationId,
        license_item_id: item.id,
        activation_code_id: null,
        project_id: null,
        activation_id: null,
        fingerprint: `m-${uniq()}`,
        email: 'user@example.test',
        program: 'Scanner',
        version: '1.0',
        mode: s.holdsSeat ? 'full' : 'limited',
        reason: s.holdsSeat ? null : 'ALL_SEATS_IN_USE',
        holds_seat: s.holdsSeat ? 1 : 0,
        started_at: s.start,
        renewed_at: s.start,
        lease_expires_at: leaseExpires,
        ended_at: ended,
        end_reason: ended === null ? null : 'closed',
      })
      .execute();
    if (!s.holdsSeat || s.start > now) continue;
    // spec: until ended_at; or lease_expires_at if it expired without ending; or now if still live
    const end = ended !== null ? ended : Math.min(leaseExpires, now);
    seatIntervals.push({ item: s.item, start: s.start, end });
  }

  // two codes per item; machines from a small pool, so one machine may be live on both codes
  const codes = new Map<number, string[]>();
  const live = new Set<string>();
  for (const [k, a] of raw.activations.entries()) {
    let pair = codes.get(a.item);
    if (!pair) {
      pair = [
        (await createActivationCode(db, items[a.item]!, 100, now)).id,
        (await createActivationCode(db, items[a.item]!, 100, now)).id,
      ];
      codes.set(a.item, pair);
    }
    const code = pair[k % 2]!;
    const fingerprint = `fp-${a.machine}`;
    if (a.live) {
      if (live.has(`${code}/${fingerprint}`)) continue; // one live activation per machine and code
      live.add(`${code}/${fingerprint}`);
    }
    await db
      .insertInto('activations')
      .values({
        id: newId('act'),
        organization_id: organizationId,
        license_item_id: items[a.item]!.id,
        activation_code_id: code,
        fingerprint,
        hostname: null,
        email: null,
        version: null,
        created_at: now - DAY,
        last_seen_at: now - H,
        deactivated_at: a.live ? null : now - H,
        deactivated_by: a.live ? null : 'admin',
      })
      .execute();
  }
  return { raw, organizationId, items, projects, seatIntervals };
}
