/**
 * The demo catalog: a vendor user, two customer organizations (an admin and a member each),
 * products with modules, a full and a trial order, license items of every model, activation
 * codes and projects (one multi-user item shared by two projects). Written with the storage
 * repositories in one transaction; returns what the fleet needs (keys) and the logins to print.
 */
import type { LicenseModel } from '../contract/domain.ts';
import { newLicenseCode } from '../core/ids.ts';
import {
  createActivationCode,
  createLicenseItem,
  createOrder,
  createOrganization,
  createProduct,
  createProject,
  type LicenseItemRow,
} from '../storage/catalog-repository.ts';
import type { Db } from '../storage/db.ts';
import type { Executor } from '../storage/executor.ts';
import { createUser } from '../storage/user-repository.ts';
import type { PoolSpec } from './fleet.ts';

export interface DemoLogin {
  role: 'vendor' | 'admin' | 'member';
  organization: string | null;
  email: string;
  password: string;
}

export interface DemoCatalog {
  logins: DemoLogin[];
  organizations: { id: string; name: string }[];
  items: LicenseItemRow[];
  /** the simulated fleet that uses these licenses */
  pools: PoolSpec[];
}

const DAY = 86_400_000;
const HOUR_S = 3600;

export const DEMO_PASSWORDS = {
  vendor: 'licstat-vendor',
  admin: 'licstat-admin',
  member: 'licstat-member',
} as const;

interface ItemSpec {
  name: string;
  product: string;
  model: LicenseModel;
  quota: number;
  refreshIntervalS: number;
  fromDays: number;
  toDays: number;
  modules: string[];
  deployment?: 'computer' | 'device';
  takes?: [number, number];
  maxActivations?: number;
}

export async function seedCatalog(db: Db, now: number): Promise<DemoCatalog> {
  return db.transaction(async (trx) => {
    const logins: DemoLogin[] = [];
    const user = async (
      role: DemoLogin['role'],
      org: { id: string; name: string } | null,
      email: string,
      timeZone: string,
    ) => {
      const password = DEMO_PASSWORDS[role];
      await createUser(trx, { organizationId: org?.id ?? null, email, password, role, timeZone }, now);
      logins.push({ role, organization: org?.name ?? null, email, password });
    };
    await user('vendor', null, 'vendor@licstat.example', 'UTC');

    const products = {
      studio: await createProduct(trx, 'VisionStudio', ['designer', 'ocr', 'barcode', 'export'], now),
      scankit: await createProduct(trx, 'ScanKit SDK', ['barcode', 'qr', 'ocr', 'mrz'], now),
      cad: await createProduct(trx, 'DongleCAD', ['cad', 'cam'], now),
    };

    const item = async (t: Executor, orgId: string, orderId: string, s: ItemSpec) => {
      const row = await createLicenseItem(
        t,
        {
          organizationId: orgId,
          orderId,
          productId: products[s.product as keyof typeof products].id,
          name: s.name,
          version: '2026.x',
          deployment: s.deployment ?? 'computer',
          model: s.model,
          quota: s.quota,
          refreshIntervalS: s.refreshIntervalS,
          validFrom: now + s.fromDays * DAY,
          validTo: now + s.toDays * DAY,
          modules: s.modules,
          takesPerPeriod: s.takes?.[0] ?? null,
          takePeriodDays: s.takes?.[1] ?? null,
        },
        now,
      );
      const code = await createActivationCode(t, row, s.maxActivations ?? Math.max(s.quota * 2, 10), now);
      return { row, code: code.code };
    };

    // --- Acme Robotics (Berlin): the full picture ---------------------------------------------
    const acme = await createOrganization(trx, 'Acme Robotics', now);
    await user('admin', acme, 'admin@acme.example', 'Europe/Berlin');
    await user('member', acme, 'member@acme.example', 'Europe/Berlin');
    const acmeFull = await createOrder(trx, acme.id, 'full', now - 150 * DAY);
    const acmeTrial = await createOrder(trx, acme.id, 'trial', now - 40 * DAY);
    const floating = await item(trx, acme.id, acmeFull.id, {
      name: 'VisionStudio floating seats',
      product: 'studio',
      model: 'multi-user',
      quota: 4,
      refreshIntervalS: 2 * HOUR_S,
      fromDays: -150,
      toDays: 215,
      modules: ['designer', 'ocr', 'barcode'],
      maxActivations: 100,
    });
    const named = await item(trx, acme.id, acmeFull.id, {
      name: 'VisionStudio named users',
      product: 'studio',
      model: 'single-user',
      quota: 2,
      refreshIntervalS: 24 * HOUR_S,
      fromDays: -150,
      toDays: 215,
      modules: ['designer', 'export'],
      takes: [4, 30],
      maxActivations: 2,
    });
    const dongles = await item(trx, acme.id, acmeFull.id, {
      name: 'DongleCAD workstations',
      product: 'cad',
      model: 'hardware-key',
      quota: 3,
      refreshIntervalS: 24 * HOUR_S,
      fromDays: -150,
      toDays: 30,
      modules: ['cad', 'cam'],
    });
    const devices = await item(trx, acme.id, acmeFull.id, {
      name: 'ScanKit handhelds',
      product: 'scankit',
      model: 'per-device',
      deployment: 'device',
      quota: 12,
      refreshIntervalS: 24 * HOUR_S,
      fromDays: -150,
      toDays: 215,
      modules: ['barcode', 'qr'],
      maxActivations: 40,
    });
    const scans = await item(trx, acme.id, acmeFull.id, {
      name: 'ScanKit scans 2026',
      product: 'scankit',
      model: 'per-scan',
      deployment: 'device',
      quota: 400_000,
      refreshIntervalS: 24 * HOUR_S,
      fromDays: -150,
      toDays: 215,
      modules: ['barcode', 'qr', 'ocr'],
    });
    const trialScans = await item(trx, acme.id, acmeTrial.id, {
      name: 'ScanKit trial scans',
      product: 'scankit',
      model: 'per-scan',
      deployment: 'device',
      quota: 25_000,
      refreshIntervalS: 24 * HOUR_S,
      fromDays: -40,
      toDays: 10,
      modules: ['barcode', 'qr', 'ocr', 'mrz'],
    });
    const design = await createProject(
      trx,
      {
        organizationId: acme.id,
        name: 'Design office',
        key: `PRJ-${newLicenseCode(4)}`,
        licenseItemIds: [floating.row.id, named.row.id],
      },
      now,
    );
    const inspection = await createProject(
      trx,
      {
        organizationId: acme.id,
        name: 'Inspection line',
        key: `PRJ-${newLicenseCode(4)}`,
        licenseItemIds: [floating.row.id, devices.row.id],
      },
      now,
    );
    const warehouse = await createProject(
      trx,
      {
        organizationId: acme.id,
        name: 'Warehouse app',
        key: `PRJ-${newLicenseCode(4)}`,
        licenseItemIds: [trialScans.row.id, scans.row.id],
      },
      now,
    );

    // --- Globex (New York): a smaller customer with an expired trial --------------------------
    const globex = await createOrganization(trx, 'Globex Logistics', now);
    await user('admin', globex, 'admin@globex.example', 'America/New_York');
    await user('member', globex, 'member@globex.example', 'America/New_York');
    const gFull = await createOrder(trx, globex.id, 'full', now - 120 * DAY);
    const gTrial = await createOrder(trx, globex.id, 'trial', now - 200 * DAY);
    const gFloating = await item(trx, globex.id, gFull.id, {
      name: 'VisionStudio team seats',
      product: 'studio',
      model: 'multi-user',
      quota: 2,
      refreshIntervalS: 2 * HOUR_S,
      fromDays: -120,
      toDays: 245,
      modules: ['designer', 'ocr'],
    });
    const gNamed = await item(trx, globex.id, gFull.id, {
      name: 'VisionStudio workstation',
      product: 'studio',
      model: 'single-user',
      quota: 1,
      refreshIntervalS: 24 * HOUR_S,
      fromDays: -120,
      toDays: 245,
      modules: ['designer'],
      takes: [2, 30],
      maxActivations: 1,
    });
    const gScans = await item(trx, globex.id, gFull.id, {
      name: 'ScanKit dock scanners',
      product: 'scankit',
      model: 'per-scan',
      deployment: 'device',
      quota: 60_000,
      refreshIntervalS: 24 * HOUR_S,
      fromDays: -120,
      toDays: 245,
      modules: ['barcode'],
    });
    const gTrialItem = await item(trx, globex.id, gTrial.id, {
      name: 'DongleCAD evaluation',
      product: 'cad',
      model: 'multi-user',
      quota: 1,
      refreshIntervalS: 24 * HOUR_S,
      fromDays: -200,
      toDays: -170,
      modules: ['cad'],
    });
    await createProject(
      trx,
      {
        organizationId: globex.id,
        name: 'Dock operations',
        key: `PRJ-${newLicenseCode(4)}`,
        licenseItemIds: [gScans.row.id],
      },
      now,
    );

    const pools: PoolSpec[] = [
      // seven designers in two projects share four floating seats: contention and declines
      pool('Acme design', 'multi-user', floating.code, 'Europe/Berlin', 4, 'acme.example', floating.row, {
        project: design.key,
      }),
      pool('Acme inspection', 'multi-user', floating.code, 'Europe/Berlin', 3, 'acme.example', floating.row, {
        project: inspection.key,
      }),
      pool('Acme named', 'single-user', named.code, 'Europe/Berlin', 4, 'acme.example', named.row, {
        activated: 2,
        takesPerWeek: 1.6,
        sessionsPerDay: 1.3,
      }),
      pool('Acme handhelds', 'per-device', devices.code, 'Europe/Berlin', 14, 'acme.example', devices.row, {
        project: inspection.key,
        offlineChance: 0.04,
      }),
      pool('Acme warehouse', 'per-scan', warehouse.key, 'Europe/Berlin', 5, 'acme.example', scans.row, {
        scansPerDay: 260,
        offlineChance: 0.05,
      }),
      pool(
        'Globex team',
        'multi-user',
        gFloating.code,
        'America/New_York',
        4,
        'globex.example',
        gFloating.row,
        {},
      ),
      pool(
        'Globex workstation',
        'single-user',
        gNamed.code,
        'America/New_York',
        2,
        'globex.example',
        gNamed.row,
        {
          activated: 1,
          takesPerWeek: 0.8,
          sessionsPerDay: 1.2,
        },
      ),
      pool('Globex docks', 'per-scan', gScans.code, 'America/New_York', 3, 'globex.example', gScans.row, {
        scansPerDay: 180,
        offlineChance: 0.03,
      }),
    ];
    return {
      logins,
      organizations: [acme, globex],
      items: [
        floating,
        named,
        dongles,
        devices,
        scans,
        trialScans,
        gFloating,
        gNamed,
        gScans,
        gTrialItem,
      ].map((i) => i.row),
      pools,
    };
  });
}

function pool(
  name: string,
  kind: PoolSpec['kind'],
  licenseKey: string,
  timeZone: string,
  machines: number,
  emailDomain: string,
  item: LicenseItemRow,
  extra: Partial<PoolSpec>,
): PoolSpec {
  return {
    name,
    kind,
    licenseKey,
    timeZone,
    machines,
    emailDomain,
    refreshIntervalS: item.refresh_interval_s,
    ...extra,
  };
}
