/**
 * The data every browser test looks at, created through the real vendor and client HTTP APIs:
 * two organizations; in A a multi-user, a per-scan and a hardware-key item, two projects, and
 * usage whose raw events the tests keep for brute-force expectations.
 */
import { Temporal } from 'temporal-polyfill';
import type { LicenseItem, Project } from '../../../src/contract/resources.ts';
import { LicensedProgram, PortalClient } from './http.ts';
import { PASSWORD, VENDOR_EMAIL } from './server.ts';

export interface ScanEvent {
  count: number;
  at: number;
  /** project id, or null = unassigned */
  projectId: string | null;
}

export interface World {
  vendor: PortalClient;
  orgA: string;
  orgB: string;
  adminA: string;
  memberA: string;
  adminB: string;
  adminTz: string;
  mul: LicenseItem;
  scan: LicenseItem;
  hwk: LicenseItem;
  sul: LicenseItem;
  projectA: Project;
  projectB: Project;
  mulCodePrefix: string;
  scanEvents: ScanEvent[];
  /** MUL program starts as the tests made them */
  mulStarts: { full: number; declined: number };
}

const DAY = 86_400_000;

/** An instant that is "today" in exactly one of two zones (their midnights differ), before now. */
export function splitTodayInstant(tzA: string, tzB: string, now: number): number {
  const a = Temporal.Instant.fromEpochMilliseconds(now)
    .toZonedDateTimeISO(tzA)
    .startOfDay().epochMilliseconds;
  const b = Temporal.Instant.fromEpochMilliseconds(now)
    .toZonedDateTimeISO(tzB)
    .startOfDay().epochMilliseconds;
  return Math.floor((Math.min(a, b) + Math.max(a, b)) / 2);
}

export async function buildWorld(baseUrl: string, now = Date.now()): Promise<World> {
  const vendor = await PortalClient.login(baseUrl, VENDOR_EMAIL, PASSWORD);
  const orgA = (
    await vendor.post<{ organization: { id: string } }>('/organizations', { name: 'Acme Imaging' })
  ).organization.id;
  const orgB = (await vendor.post<{ organization: { id: string } }>('/organizations', { name: 'Globex' }))
    .organization.id;
  const adminTz = 'Asia/Kolkata';
  const mkUser = async (
    organizationId: string,
    role: 'admin' | 'member',
    email: string,
    timeZone?: string,
  ) => {
    await vendor.post('/users', {
      organizationId,
      email,
      password: PASSWORD,
      role,
      ...(timeZone ? { timeZone } : {}),
    });
    return email;
  };
  const adminA = await mkUser(orgA, 'admin', 'admin@acme.test', adminTz);
  const memberA = await mkUser(orgA, 'member', 'member@acme.test');
  const adminB = await mkUser(orgB, 'admin', 'admin@globex.test');
  const product = (
    await vendor.post<{ product: { id: string } }>('/products', {
      name: 'Barcode Reader SDK',
      modules: ['1D', '2D', 'OCR'],
    })
  ).product.id;
  const order = (
    await vendor.post<{ order: { id: string } }>('/orders', { organizationId: orgA, kind: 'full' })
  ).order.id;
  const validFrom = new Date(now - 100 * DAY).toISOString();
  const validTo = new Date(now + 265 * DAY).toISOString();
  const mkItem = async (name: string, model: string, quota: number, deployment = 'computer') =>
    (
      await vendor.post<{ licenseItem: LicenseItem }>('/license-items', {
        orderId: order,
        productId: product,
        name,
        version: '2026.x',
        deployment,
        model,
        quota,
        refreshInterval: '1d',
        validFrom,
        validTo,
        modules: ['1D', '2D'],
      })
    ).licenseItem;
  const mul = await mkItem('Desktop floating seats', 'multi-user', 2);
  const scan = await mkItem('Scanner fleet', 'per-scan', 5000, 'device');
  const hwk = await mkItem('Dongles', 'hardware-key', 3);
  const sul = (
    await vendor.post<{ licenseItem: LicenseItem }>('/license-items', {
      orderId: order,
      productId: product,
      name: 'Named desktop',
      version: '2026.x',
      deployment: 'computer',
      model: 'single-user',
      quota: 1,
      refreshInterval: '1d',
      validFrom,
      validTo,
      modules: ['1D'],
      takesPerPeriod: 1,
      takePeriodDays: 30,
    })
  ).licenseItem;
  const mkCode = (licenseItemId: string) =>
    vendor.post<{ activationCode: { code: string; prefix: string } }>('/activation-codes', {
      licenseItemId,
      maxActivations: 10,
    });
  const mulCode = (await mkCode(mul.id)).activationCode;
  const scanCode = (await mkCode(scan.id)).activationCode;
  const projectA = (
    await vendor.post<{ project: Project }>('/projects', {
      organizationId: orgA,
      name: 'Warehouse app',
      key: `PK-WAREHOUSE-${Math.random().toString(36).slice(2, 8)}`,
      licenseItemIds: [scan.id, mul.id],
    })
  ).project;
  const projectB = (
    await vendor.post<{ project: Project }>('/projects', {
      organizationId: orgA,
      name: 'Mobile scanner',
      key: `PK-MOBILE-${Math.random().toString(36).slice(2, 8)}`,
      licenseItemIds: [scan.id],
    })
  ).project;

  // Multi-user: two seats; three starts → 2 full, 1 declined; one seat is handed back.
  const mulProgram = new LicensedProgram(baseUrl, mulCode.code);
  const s1 = await mulProgram.start('pc-1', 'ana@acme.test', projectA.key);
  await mulProgram.start('pc-2', 'ben@acme.test', projectA.key);
  const s3 = await mulProgram.start('pc-3', 'cy@acme.test', projectA.key);
  if (s1.mode !== 'full' || s3.mode !== 'limited') throw new Error('seat outcomes not as expected');
  await mulProgram.end(s1.id);

  // Single-user, one license: the activated machine starts fully, another runs limited, takes the
  // license once (a take), and a second take in the period is refused (take denied).
  const sulCode = (await mkCode(sul.id)).activationCode;
  const sulProgram = new LicensedProgram(baseUrl, sulCode.code);
  await sulProgram.activate('desk-1', 'dee@acme.test');
  if ((await sulProgram.start('desk-1', 'dee@acme.test')).mode !== 'full')
    throw new Error('SUL start not full');
  if ((await sulProgram.start('desk-2', 'eve@acme.test')).mode !== 'limited')
    throw new Error('SUL start not limited');
  const take1 = await sulProgram.call('POST', '/client/takes', {
    fingerprint: 'desk-2',
    email: 'eve@acme.test',
  });
  const take2 = await sulProgram.call('POST', '/client/takes', {
    fingerprint: 'desk-1',
    email: 'dee@acme.test',
  });
  if (take1.status !== 200 || take2.status !== 409) throw new Error(`takes: ${take1.status} ${take2.status}`);

  // Per-scan: reports at known instants, some for a project, some unassigned (the item is in two projects).
  const scanProgram = new LicensedProgram(baseUrl, scanCode.code);
  await scanProgram.activate('scanner-1', 'ops@acme.test');
  const scanEvents: ScanEvent[] = [];
  const report = async (count: number, at: number, project: Project | null) => {
    await scanProgram.scans('scanner-1', [{ count, at }], project?.key);
    scanEvents.push({ count, at, projectId: project?.id ?? null });
  };
  await report(7, now - 60_000, projectA);
  await report(5, now - 3 * DAY, projectB);
  await report(11, now - 3 * DAY - 3_600_000, null);
  await report(13, now - 10 * DAY, projectA);
  await report(17, now - 40 * DAY, projectB);
  await report(19, splitTodayInstant('Pacific/Kiritimati', 'Pacific/Pago_Pago', now), projectA);

  return {
    vendor,
    orgA,
    orgB,
    adminA,
    memberA,
    adminB,
    adminTz,
    mul,
    scan,
    hwk,
    sul,
    projectA,
    projectB,
    mulCodePrefix: mulCode.prefix,
    scanEvents,
    mulStarts: { full: 2, declined: 1 },
  };
}

/** [local midnight `daysBack` days before today, next local midnight) in `tz`: the picker's windows. */
export function windowInZone(tz: string, daysBack: number, now = Date.now()): { from: number; to: number } {
  const today = Temporal.Instant.fromEpochMilliseconds(now).toZonedDateTimeISO(tz).startOfDay();
  return {
    from: today.subtract({ days: daysBack }).startOfDay().epochMilliseconds,
    to: today.add({ days: 1 }).startOfDay().epochMilliseconds,
  };
}

/** Brute force over the raw events: scans in [from, to), by project key (`unassigned` for none). */
export function scansIn(events: readonly ScanEvent[], w: { from: number; to: number }): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    if (e.at < w.from || e.at >= w.to) continue;
    const k = e.projectId ?? 'unassigned';
    out.set(k, (out.get(k) ?? 0) + e.count);
  }
  return out;
}

export const sum = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
