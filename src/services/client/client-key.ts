/**
 * The caller of the client API: a license key resolved to an activation code (one item) or a
 * project key (the project's items, picked by its license usage order). Helpers shared by the
 * client use cases: project attribution, candidate items of a project key, quota left.
 */
import type { LicenseModel } from '../../contract/domain.ts';
import { LicstatError } from '../../contract/errors.ts';
import { effectiveUsageOrder, parseUsageOrder } from '../../core/licensing/usage-order.ts';
import { isValidAt } from '../../core/licensing/validity.ts';
import type { LicenseItemRow } from '../../storage/catalog-repository.ts';
import type { Executor } from '../../storage/executor.ts';
import { quotaLeft } from '../../storage/item-remaining-repository.ts';
import {
  findProjectByKey,
  isItemInProject,
  type LicenseKeyRecord,
  projectIdsOfItem,
} from '../../storage/license-key-repository.ts';

/** A resolved license key plus the raw key (batch idempotency is keyed by it). */
export type ClientKey = LicenseKeyRecord & { raw: string };

export const modelOf = (item: LicenseItemRow): LicenseModel => item.model as LicenseModel;

export function assertServedOnline(item: LicenseItemRow): void {
  if (item.model === 'hardware-key') {
    throw new LicstatError('HARDWARE_KEY_ITEM', `${item.id} is a hardware-key item; it is not served online`);
  }
}

export function assertValidNow(item: LicenseItemRow, now: number): void {
  if (!isValidAt({ validFrom: item.valid_from, validTo: item.valid_to }, now)) {
    const when = new Date(now < item.valid_from ? item.valid_from : item.valid_to).toISOString();
    throw new LicstatError(
      'LICENSE_EXPIRED',
      now < item.valid_from ? `the license is valid from ${when}` : `the license expired at ${when}`,
    );
  }
}

/**
 * The program's product (the optional `productId` of a client request) must be the item's: an
 * activation code of another product is refused before anything is written, so a key for one
 * product neither unlocks nor uses up licenses for another. Unnamed: any product.
 */
export function assertProduct(item: LicenseItemRow, productId: string | undefined): void {
  if (productId !== undefined && item.product_id !== productId) {
    throw new LicstatError(
      'WRONG_PRODUCT',
      `this license key is for another product than ${productId}; nothing was recorded`,
    );
  }
}

/**
 * A project key's items of the program's product (every item when the request names none), for
 * the usage order to choose among; none of that product: WRONG_PRODUCT.
 */
export function itemsOfProduct(items: LicenseItemRow[], productId: string | undefined): LicenseItemRow[] {
  if (productId === undefined) return items;
  const mine = items.filter((i) => i.product_id === productId);
  if (mine.length === 0) {
    throw new LicstatError(
      'WRONG_PRODUCT',
      `the project has no license item of product ${productId}; nothing was recorded`,
    );
  }
  return mine;
}

/**
 * The project that usage through an activation code is attributed to: the named project (by
 * its key) when the item is configured to it; none named and the item belongs to exactly one
 * project: that one; otherwise unassigned (null). With a project key it is always that project;
 * naming another one is refused.
 */
export async function attributeProject(
  db: Executor,
  key: ClientKey,
  item: LicenseItemRow,
  named: string | undefined,
): Promise<string | null> {
  if (key.kind === 'project') {
    if (named !== undefined && named !== key.project.key) {
      throw new LicstatError('PROJECT_NOT_CONFIGURED', 'a project key can only report for its own project');
    }
    return key.project.id;
  }
  if (named !== undefined) {
    const project = await findProjectByKey(db, key.organizationId, named);
    if (!project) throw new LicstatError('PROJECT_NOT_FOUND', 'no project has this key');
    if (!(await isItemInProject(db, project.id, item.id))) {
      throw new LicstatError('PROJECT_NOT_CONFIGURED', `${item.id} is not configured to this project`);
    }
    return project.id;
  }
  const ids = await projectIdsOfItem(db, item.id);
  return ids.length === 1 ? ids[0]! : null;
}

export interface Candidate {
  item: LicenseItemRow;
  remaining: number;
}

/**
 * A project key's items that fit a request, in the project's license usage order: items of
 * another model and hardware-key items are left out; `validAt` (default: now) leaves out items
 * not valid then. Refuses with the most telling code when nothing is left.
 */
export async function projectCandidates(
  db: Executor,
  key: Extract<ClientKey, { kind: 'project' }>,
  items: readonly LicenseItemRow[],
  fits: (model: LicenseModel) => boolean,
  now: number,
  validAt: number | null = now,
): Promise<Candidate[]> {
  const fitting = items.filter((i) => i.model !== 'hardware-key' && fits(modelOf(i)));
  const valid =
    validAt === null
      ? fitting
      : fitting.filter((i) => isValidAt({ validFrom: i.valid_from, validTo: i.valid_to }, validAt));
  if (valid.length === 0) {
    if (items.length > 0 && items.every((i) => i.model === 'hardware-key')) {
      throw new LicstatError('HARDWARE_KEY_ITEM', 'the project holds only hardware-key items');
    }
    if (fitting.length > 0)
      throw new LicstatError('LICENSE_EXPIRED', 'every fitting license item has expired');
    throw new LicstatError(
      'NO_SUITABLE_ITEM',
      'the project has no license item of a model that fits this request',
    );
  }
  const withRest: (Candidate & { id: string; validTo: number })[] = [];
  for (const item of valid) {
    withRest.push({ item, id: item.id, validTo: item.valid_to, remaining: await quotaLeft(db, item, now) });
  }
  return effectiveUsageOrder(withRest, parseUsageOrder(key.project.usage_order)).map((c) => ({
    item: c.item,
    remaining: c.remaining,
  }));
}

/** A session is the caller's when its key started it (another key's session is "not found"). */
export function ownsSession(
  key: ClientKey,
  s: { organization_id: string; activation_code_id: string | null; project_id: string | null },
): boolean {
  if (s.organization_id !== key.organizationId) return false;
  return key.kind === 'code'
    ? s.activation_code_id === key.code.id
    : s.activation_code_id === null && s.project_id === key.project.id;
}
