/**
 * Metered usage reports. A batch is idempotent by sha256(license key + batchId): a retry with
 * the same body answers 202 with the figures stored the first time, `duplicate: true` and
 * `accepted: 0` (nothing new was accepted); the same id with a different body is BATCH_CONFLICT.
 * Every event time must lie inside the item's validity and at most 5 minutes ahead, else the
 * whole batch is refused (EVENT_TIME_OUT_OF_RANGE) and nothing is written. Late events keep
 * their own time. Scans over quota are recorded, never dropped. `accepted` counts events;
 * `remaining` = quota − scans since the validity start, never below 0 (per-device items: device
 * quota − active devices).
 *
 * With a project key: the project's per-scan items in usage order; each event goes to the items
 * valid at its time, split by their remaining quota (core splitCount), overage on the last.
 * `remaining` is then the sum over the project's per-scan items valid now. A project's per-device
 * item also records the reporting device as seen (the one it is activated on, else the first in
 * usage order); a project without per-scan items counts the scans there too, as an activation
 * code of that item would, and `remaining` is that item's device quota left.
 *
 * `productId` (the program's product): an activation code of another product is refused with
 * WRONG_PRODUCT and nothing is written; a project key reports only on that product's items.
 */
import { createHash } from 'node:crypto';
import { LicstatError } from '../../contract/errors.ts';
import type { LedgerEvent } from '../../core/ledger-event.ts';
import { splitCount } from '../../core/licensing/usage-order.ts';
import { eventTimeProblem, isValidAt } from '../../core/licensing/validity.ts';
import { quarterOf } from '../../core/time-buckets.ts';
import { findLiveActivationForItem, touchActivation } from '../../storage/activation-repository.ts';
import type { LicenseItemRow } from '../../storage/catalog-repository.ts';
import type { Db } from '../../storage/db.ts';
import type { Executor } from '../../storage/executor.ts';
import { quotaLeft } from '../../storage/item-remaining-repository.ts';
import { appendEvents } from '../../storage/ledger-repository.ts';
import { lockLicenseItems, readLicenseItems } from '../../storage/license-item-lock.ts';
import { itemsOfProject } from '../../storage/license-key-repository.ts';
import { isUniqueViolation } from '../../storage/unique-violation.ts';
import { getUsageBatch, insertUsageBatch } from '../../storage/usage-batch-repository.ts';
import {
  assertProduct,
  assertServedOnline,
  attributeProject,
  type ClientKey,
  itemsOfProduct,
  projectCandidates,
} from './client-key.ts';

export interface UsageEventInput {
  kind: 'scan';
  count: number;
  /** ISO 8601 instant */
  at: string;
}

export interface ReportUsageInput {
  batchId: string;
  fingerprint: string;
  email?: string;
  project?: string;
  /** the program's product: another product's license is refused (WRONG_PRODUCT) */
  productId?: string;
  events: UsageEventInput[];
}

export interface UsageAnswer {
  accepted: number;
  duplicate: boolean;
  remaining: number;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** JSON with sorted keys, so a retry whose keys come in another order is still the same body. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export const usageBatchKey = (licenseKey: string, batchId: string): string =>
  sha256(`${licenseKey}\n${batchId}`);

function parseTimes(events: readonly UsageEventInput[]): number[] {
  return events.map((e, i) => {
    const t = Date.parse(e.at);
    if (!Number.isFinite(t))
      throw new LicstatError('VALIDATION_FAILED', `events[${i}].at is not an ISO 8601 time`);
    return t;
  });
}

function outOfRange(i: number, problem: string): LicstatError {
  return new LicstatError(
    'EVENT_TIME_OUT_OF_RANGE',
    `events[${i}].at ${problem}; nothing of the batch was recorded`,
    {
      index: i,
    },
  );
}

/** The device was seen at each reported time; one record per quarter hour is enough for distinct counts. */
function seenTimes(times: readonly number[]): number[] {
  const quarters = new Map<number, number>();
  for (const t of times) if (!quarters.has(quarterOf(t))) quarters.set(quarterOf(t), t);
  return [...quarters.values()];
}

/**
 * Which of a project's per-device items (in usage order) a device's report records it on: the one
 * the device holds an activation of, else the first. Touches that activation (last use).
 */
async function reportingDeviceItem(
  trx: Executor,
  items: readonly LicenseItemRow[],
  fingerprint: string,
  now: number,
): Promise<{ item: LicenseItemRow; activationId: string | null } | null> {
  for (const item of items) {
    const activation = await findLiveActivationForItem(trx, item.id, fingerprint);
    if (activation) {
      await touchActivation(trx, activation, {}, now);
      return { item, activationId: activation.id };
    }
  }
  return items[0] ? { item: items[0], activationId: null } : null;
}

export async function reportUsage(
  db: Db,
  key: ClientKey,
  input: ReportUsageInput,
  now: number,
): Promise<UsageAnswer> {
  const times = parseTimes(input.events);
  const id = usageBatchKey(key.raw, input.batchId);
  const bodyHash = sha256(canonical(input));
  const write = () =>
    db.transaction(async (trx) => {
      // A project key's split by remaining quota needs its items locked (PostgreSQL). An activation
      // code's report checks no limit, so it takes no lock: a fleet of devices reporting on one item
      // would otherwise queue on that item's row. Two copies of one batch may then both get here;
      // the second one's batch insert fails on its unique id, and it is answered again below.
      if (key.kind === 'code') assertProduct(key.item, input.productId);
      const locked =
        key.kind === 'code'
          ? await readLicenseItems(trx, db.dialect, [key.item.id])
          : await lockLicenseItems(
              trx,
              db.dialect,
              itemsOfProduct(await itemsOfProject(trx, key.project.id), input.productId).map((i) => i.id),
            );
      const seen = await getUsageBatch(trx, id);
      if (seen) {
        if (seen.body_hash !== bodyHash) {
          throw new LicstatError('BATCH_CONFLICT', 'this batchId was already used for a different batch');
        }
        const first = JSON.parse(seen.response) as UsageAnswer;
        return { accepted: 0, duplicate: true, remaining: first.remaining };
      }
      const base = {
        activationCodeId: key.kind === 'code' ? key.code.id : null,
        sessionId: null,
        receivedAt: now,
        email: input.email ?? null,
        fingerprint: input.fingerprint,
        batchId: input.batchId,
      };
      const events: LedgerEvent[] = [];
      let remaining: number;

      if (key.kind === 'code') {
        const item = locked.get(key.item.id)!;
        assertServedOnline(item);
        if (item.model !== 'per-scan' && item.model !== 'per-device') {
          throw new LicstatError(
            'MODEL_MISMATCH',
            `usage reports apply to per-scan and per-device items; ${item.id} is ${item.model}`,
          );
        }
        times.forEach((t, i) => {
          const problem = eventTimeProblem({ validFrom: item.valid_from, validTo: item.valid_to }, t, now);
          if (problem) throw outOfRange(i, problem);
        });
        const projectId = await attributeProject(trx, key, item, input.project);
        const activation = await findLiveActivationForItem(trx, item.id, input.fingerprint);
        if (activation) await touchActivation(trx, activation, {}, now);
        const common = { ...base, organizationId: item.organization_id, licenseItemId: item.id, projectId };
        const activationId = activation?.id ?? null;
        input.events.forEach((e, i) => {
          events.push({ ...common, activationId, kind: 'scan', count: e.count, at: times[i]! });
        });
        if (item.model === 'per-device') {
          for (const t of seenTimes(times))
            events.push({ ...common, activationId, kind: 'device_seen', count: 1, at: t });
        }
        await appendEvents(trx, events);
        remaining = await quotaLeft(trx, item, now);
      } else {
        const candidates = await projectCandidates(
          trx,
          key,
          [...locked.values()],
          (m) => m === 'per-scan' || m === 'per-device',
          now,
          null,
        );
        const scanItems = candidates.filter((c) => c.item.model === 'per-scan');
        const deviceItem = await reportingDeviceItem(
          trx,
          candidates.filter((c) => c.item.model === 'per-device').map((c) => c.item),
          input.fingerprint,
          now,
        );
        // scans go to the per-scan items; a project without any counts them on its device item
        const scanTargets = scanItems.length > 0 ? scanItems : candidates;
        const rest = new Map(candidates.map((c) => [c.item.id, c.remaining]));
        const validAt = (item: LicenseItemRow, t: number) =>
          isValidAt({ validFrom: item.valid_from, validTo: item.valid_to }, t);
        const common = { ...base, projectId: key.project.id };
        input.events.forEach((e, i) => {
          const t = times[i]!;
          if (t > now + 5 * 60_000) throw outOfRange(i, 'is more than 5 minutes in the future');
          const usable =
            scanItems.length > 0
              ? scanTargets.filter((c) => validAt(c.item, t))
              : scanTargets.filter((c) => c.item.id === deviceItem?.item.id && validAt(c.item, t));
          if (usable.length === 0)
            throw outOfRange(i, 'is outside the validity of every license item of the project');
          const split = splitCount(
            e.count,
            usable.map((c) => ({ id: c.item.id, remaining: rest.get(c.item.id)! })),
          );
          for (const a of split) {
            rest.set(a.id, Math.max(0, rest.get(a.id)! - a.count));
            const item = locked.get(a.id)!;
            events.push({
              ...common,
              organizationId: item.organization_id,
              licenseItemId: item.id,
              activationId: item.id === deviceItem?.item.id ? deviceItem.activationId : null,
              kind: 'scan',
              count: a.count,
              at: t,
            });
          }
        });
        if (deviceItem) {
          const { item, activationId } = deviceItem;
          for (const t of seenTimes(times))
            if (validAt(item, t))
              events.push({
                ...common,
                organizationId: item.organization_id,
                licenseItemId: item.id,
                activationId,
                kind: 'device_seen',
                count: 1,
                at: t,
              });
        }
        await attributeProject(trx, key, candidates[0]!.item, input.project);
        await appendEvents(trx, events);
        remaining = 0;
        const answered = scanItems.length > 0 ? scanItems : deviceItem ? [deviceItem] : [];
        for (const c of answered) if (validAt(c.item, now)) remaining += await quotaLeft(trx, c.item, now);
      }
      const answer: UsageAnswer = { accepted: input.events.length, duplicate: false, remaining };
      await insertUsageBatch(trx, {
        id,
        organization_id: key.organizationId,
        batch_id: input.batchId,
        body_hash: bodyHash,
        response: JSON.stringify(answer),
        received_at: now,
      });
      return answer;
    });
  try {
    return await write();
  } catch (err) {
    // a concurrent copy of this batch committed first: answered as the duplicate it is
    if (isUniqueViolation(err)) return write();
    throw err;
  }
}
