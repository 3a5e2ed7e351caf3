/**
 * Activate a machine: returns its live activation or creates one within the limits: the code's
 * maximum of activations, the single-user item's number of licenses, the per-device item's
 * device quota (+ grace). Limits are checked under the item lock, so they hold under concurrency.
 *
 * With a project key: the first item in the project's usage order that takes activations
 * (single-user, per-device), is valid now and still has room, through the first of its
 * activation codes with activations left. A machine already activated on one of them keeps it.
 * Either way a machine holds at most one activation of an item, whichever of its codes it uses.
 *
 * `productId` (the program's product): an activation code of another product is refused with
 * WRONG_PRODUCT before anything is written; a project key chooses only among that product's items.
 */
import { LicstatError } from '../../contract/errors.ts';
import { deviceLimit } from '../../core/licensing/seat-outcome.ts';
import {
  type ActivationRow,
  countLiveActivations,
  countLiveDevices,
  findLiveActivationByCode,
  findLiveActivationForItem,
  insertActivation,
  touchActivation,
} from '../../storage/activation-repository.ts';
import {
  type ActivationCodeRow,
  type LicenseItemRow,
  listActivationCodes,
} from '../../storage/catalog-repository.ts';
import type { Db } from '../../storage/db.ts';
import type { Executor } from '../../storage/executor.ts';
import { lockLicenseItems } from '../../storage/license-item-lock.ts';
import { itemsOfProject } from '../../storage/license-key-repository.ts';
import {
  assertProduct,
  assertServedOnline,
  assertValidNow,
  type ClientKey,
  itemsOfProduct,
  projectCandidates,
} from './client-key.ts';

export interface ActivateInput {
  fingerprint: string;
  hostname?: string;
  email?: string;
  version?: string;
  /** the program's product: another product's license is refused (WRONG_PRODUCT) */
  productId?: string;
}

export interface ActivateResult {
  activation: ActivationRow;
  created: boolean;
}

const ACTIVATED_MODELS = new Set(['single-user', 'per-device']);

/** Why a new activation of this machine through this code is refused, or null when it fits. */
export async function activationRefusal(
  db: Executor,
  item: LicenseItemRow,
  code: ActivationCodeRow,
  fingerprint: string,
): Promise<LicstatError | null> {
  if ((await countLiveActivations(db, { activationCodeId: code.id })) >= code.max_activations) {
    return new LicstatError(
      'ACTIVATIONS_EXHAUSTED',
      `all ${code.max_activations} activations of this code are in use; deactivate one first`,
    );
  }
  if (item.model === 'single-user') {
    if ((await countLiveActivations(db, { licenseItemId: item.id })) >= item.quota) {
      return new LicstatError(
        'ACTIVATIONS_EXHAUSTED',
        `all ${item.quota} licenses of ${item.id} are held by other machines (a take can move one)`,
      );
    }
  }
  if (item.model === 'per-device' && !(await findLiveActivationForItem(db, item.id, fingerprint))) {
    const limit = deviceLimit(item.quota, item.device_grace_pct);
    if ((await countLiveDevices(db, item.id)) >= limit) {
      return new LicstatError('QUOTA_EXCEEDED', `${item.id} already has ${limit} active devices`);
    }
  }
  return null;
}

const details = (i: ActivateInput) => ({
  hostname: i.hostname ?? null,
  email: i.email ?? null,
  version: i.version ?? null,
});

export async function activate(
  db: Db,
  key: ClientKey,
  input: ActivateInput,
  now: number,
): Promise<ActivateResult> {
  return db.transaction(async (trx) => {
    if (key.kind === 'code') {
      assertProduct(key.item, input.productId);
      const item = (await lockLicenseItems(trx, db.dialect, [key.item.id])).get(key.item.id)!;
      assertServedOnline(item);
      assertValidNow(item, now);
      // a machine holds one license of an item: already activated through another of the item's
      // codes, it gets that activation back rather than a second license
      const existing =
        (await findLiveActivationByCode(trx, key.code.id, input.fingerprint)) ??
        (await findLiveActivationForItem(trx, item.id, input.fingerprint));
      if (existing) return { activation: await touchActivation(trx, existing, input, now), created: false };
      const refusal = await activationRefusal(trx, item, key.code, input.fingerprint);
      if (refusal) throw refusal;
      const activation = await insertActivation(
        trx,
        {
          organizationId: item.organization_id,
          licenseItemId: item.id,
          activationCodeId: key.code.id,
          fingerprint: input.fingerprint,
          ...details(input),
        },
        now,
      );
      return { activation, created: true };
    }

    const items = itemsOfProduct(await itemsOfProject(trx, key.project.id), input.productId);
    const locked = await lockLicenseItems(
      trx,
      db.dialect,
      items.map((i) => i.id),
    );
    const candidates = await projectCandidates(
      trx,
      key,
      [...locked.values()],
      (m) => ACTIVATED_MODELS.has(m),
      now,
    );
    for (const { item } of candidates) {
      const existing = await findLiveActivationForItem(trx, item.id, input.fingerprint);
      if (existing) return { activation: await touchActivation(trx, existing, input, now), created: false };
    }
    let firstRefusal: LicstatError | null = null;
    for (const { item } of candidates) {
      const codes = await listActivationCodes(
        trx,
        { organizationId: key.organizationId },
        { licenseItemId: item.id },
      );
      for (const code of codes) {
        const refusal = await activationRefusal(trx, item, code, input.fingerprint);
        if (refusal) {
          firstRefusal ??= refusal;
          continue;
        }
        const activation = await insertActivation(
          trx,
          {
            organizationId: item.organization_id,
            licenseItemId: item.id,
            activationCodeId: code.id,
            fingerprint: input.fingerprint,
            ...details(input),
          },
          now,
        );
        return { activation, created: true };
      }
    }
    throw (
      firstRefusal ?? new LicstatError('ACTIVATIONS_EXHAUSTED', 'the project has no activation code left')
    );
  });
}
