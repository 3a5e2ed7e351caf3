/**
 * Take (single-user): moves a license from the machine holding it to the caller. A machine that
 * already holds one keeps it (no take); when a license is free the caller simply gets it (no
 * take). Otherwise the least recently used holder loses its activation, the caller gets one and
 * a `take` is recorded, unless the item's takes for the rolling period are used up: then a
 * `take_denied` is recorded (committed) and the answer is TAKE_DENIED. An item without a takes
 * limit allows any number.
 *
 * With a project key: its single-user items valid now, in usage order; the first with a free
 * license, else the first whose takes are not used up; when all are used up the denial is
 * recorded on the first.
 *
 * `productId` (the program's product): an activation code of another product is refused with
 * WRONG_PRODUCT before anything is written; a project key chooses only among that product's items.
 */
import { LicstatError } from '../../contract/errors.ts';
import type { LedgerEvent } from '../../core/ledger-event.ts';
import { takesLeft, takeWindowStart } from '../../core/licensing/takes.ts';
import {
  type ActivationRow,
  countLiveActivations,
  deactivateActivation,
  findLiveActivationForItem,
  insertActivation,
  leastRecentlyUsedActivation,
  touchActivation,
} from '../../storage/activation-repository.ts';
import type { ActivationCodeRow, LicenseItemRow } from '../../storage/catalog-repository.ts';
import { listActivationCodes } from '../../storage/catalog-repository.ts';
import type { Db } from '../../storage/db.ts';
import type { Executor } from '../../storage/executor.ts';
import { appendEvents } from '../../storage/ledger-repository.ts';
import { lockLicenseItems } from '../../storage/license-item-lock.ts';
import { itemsOfProject } from '../../storage/license-key-repository.ts';
import { countTakesBetween } from '../../storage/take-repository.ts';
import { activationRefusal } from './activate.ts';
import {
  assertProduct,
  assertServedOnline,
  assertValidNow,
  attributeProject,
  type ClientKey,
  itemsOfProduct,
  projectCandidates,
} from './client-key.ts';

export interface TakeInput {
  fingerprint: string;
  email: string;
  hostname?: string;
  version?: string;
  project?: string;
  /** the program's product: another product's license is refused (WRONG_PRODUCT) */
  productId?: string;
}

export interface TakeResult {
  activation: ActivationRow;
  /** true when a license was moved from another machine (a `take` was recorded) */
  moved: boolean;
  /** takes still allowed in the current period; null = no limit */
  takesLeft: number | null;
}

type Attempt = { ok: true; result: TakeResult } | { ok: false; item: LicenseItemRow; message: string };

/** How far another server process's clock may be ahead of this one's for a take it counted. */
const CLOCK_MARGIN_MS = 5 * 60_000;

const takesInWindow = async (db: Executor, item: LicenseItemRow, now: number) =>
  countTakesBetween(
    db,
    item.id,
    takeWindowStart({ takesPerPeriod: item.takes_per_period, takePeriodDays: item.take_period_days }, now),
    now + CLOCK_MARGIN_MS,
  );

const policy = (item: LicenseItemRow) => ({
  takesPerPeriod: item.takes_per_period,
  takePeriodDays: item.take_period_days,
});

function event(
  key: ClientKey,
  item: LicenseItemRow,
  projectId: string | null,
  kind: 'take' | 'take_denied',
  activation: ActivationRow | null,
  input: TakeInput,
  now: number,
): LedgerEvent {
  return {
    organizationId: item.organization_id,
    licenseItemId: item.id,
    projectId,
    // a project key's takes count in its "Project key" row, as its starts and denials do
    activationCodeId: key.kind === 'code' ? key.code.id : null,
    activationId: activation?.id ?? null,
    sessionId: null,
    kind,
    count: 1,
    at: now,
    receivedAt: now,
    email: input.email,
    fingerprint: input.fingerprint,
    batchId: null,
  };
}

const newActivation = (item: LicenseItemRow, codeId: string, input: TakeInput, now: number, db: Executor) =>
  insertActivation(
    db,
    {
      organizationId: item.organization_id,
      licenseItemId: item.id,
      activationCodeId: codeId,
      fingerprint: input.fingerprint,
      hostname: input.hostname ?? null,
      email: input.email,
      version: input.version ?? null,
    },
    now,
  );

/** A free license through one of these codes, without a take. */
async function claimFree(
  db: Executor,
  item: LicenseItemRow,
  codes: readonly ActivationCodeRow[],
  input: TakeInput,
  now: number,
): Promise<ActivationRow | null> {
  for (const code of codes) {
    if (!(await activationRefusal(db, item, code, input.fingerprint))) {
      return newActivation(item, code.id, input, now, db);
    }
  }
  return null;
}

/** Moves the least recently used license of the item (of `code` when that code is full) to the caller. */
async function move(
  db: Executor,
  key: ClientKey,
  item: LicenseItemRow,
  projectId: string | null,
  input: TakeInput,
  now: number,
): Promise<Attempt> {
  const left = takesLeft(policy(item), await takesInWindow(db, item, now));
  if (left === 0) {
    return {
      ok: false,
      item,
      message: `the ${item.takes_per_period} takes allowed per ${item.take_period_days} days are used up`,
    };
  }
  let victim: ActivationRow | undefined;
  if (key.kind === 'code') {
    const codeFull =
      (await countLiveActivations(db, { activationCodeId: key.code.id })) >= key.code.max_activations;
    victim = await leastRecentlyUsedActivation(
      db,
      codeFull ? { activationCodeId: key.code.id } : { licenseItemId: item.id },
      input.fingerprint,
    );
  } else {
    victim = await leastRecentlyUsedActivation(db, { licenseItemId: item.id }, input.fingerprint);
  }
  if (!victim) {
    throw new LicstatError('ACTIVATIONS_EXHAUSTED', 'no license of this item can be moved to this machine');
  }
  await deactivateActivation(db, victim.id, now, 'take');
  const activation = await newActivation(
    item,
    key.kind === 'code' ? key.code.id : victim.activation_code_id,
    input,
    now,
    db,
  );
  await appendEvents(db, [event(key, item, projectId, 'take', activation, input, now)]);
  return { ok: true, result: { activation, moved: true, takesLeft: left === null ? null : left - 1 } };
}

export async function take(db: Db, key: ClientKey, input: TakeInput, now: number): Promise<TakeResult> {
  const attempt = await db.transaction(async (trx): Promise<Attempt> => {
    let items: LicenseItemRow[];
    if (key.kind === 'code') {
      assertProduct(key.item, input.productId);
      const item = (await lockLicenseItems(trx, db.dialect, [key.item.id])).get(key.item.id)!;
      assertServedOnline(item);
      if (item.model !== 'single-user') {
        throw new LicstatError(
          'MODEL_MISMATCH',
          `takes apply to single-user items; ${item.id} is ${item.model}`,
        );
      }
      assertValidNow(item, now);
      items = [item];
    } else {
      const all = itemsOfProduct(await itemsOfProject(trx, key.project.id), input.productId);
      const locked = await lockLicenseItems(
        trx,
        db.dialect,
        all.map((i) => i.id),
      );
      items = (await projectCandidates(trx, key, [...locked.values()], (m) => m === 'single-user', now)).map(
        (c) => c.item,
      );
    }
    const projects = new Map<string, string | null>();
    for (const item of items) projects.set(item.id, await attributeProject(trx, key, item, input.project));

    for (const item of items) {
      const held = await findLiveActivationForItem(trx, item.id, input.fingerprint);
      if (held) {
        const activation = await touchActivation(trx, held, input, now);
        const left = takesLeft(policy(item), await takesInWindow(trx, item, now));
        return { ok: true, result: { activation, moved: false, takesLeft: left } };
      }
    }
    for (const item of items) {
      const codes =
        key.kind === 'code'
          ? [key.code]
          : await listActivationCodes(
              trx,
              { organizationId: key.organizationId },
              { licenseItemId: item.id },
            );
      const free = await claimFree(trx, item, codes, input, now);
      if (free) {
        const left = takesLeft(policy(item), await takesInWindow(trx, item, now));
        return { ok: true, result: { activation: free, moved: false, takesLeft: left } };
      }
    }
    let denied: Attempt | null = null;
    for (const item of items) {
      const a = await move(trx, key, item, projects.get(item.id) ?? null, input, now);
      if (a.ok) return a;
      denied ??= a;
    }
    const d = denied as Extract<Attempt, { ok: false }>;
    await appendEvents(trx, [
      event(key, d.item, projects.get(d.item.id) ?? null, 'take_denied', null, input, now),
    ]);
    return d;
  });
  if (!attempt.ok) throw new LicstatError('TAKE_DENIED', attempt.message);
  return attempt.result;
}
