/**
 * Program start: decides full or limited access by the item's model (core/licensing/seat-outcome),
 * writes the session and its ledger events in one transaction under the item lock, and answers
 * with a signed lease.
 *
 * With a project key: the project's items that are valid now (not hardware-key), in its usage
 * order; the first that gives full access wins (single-user/per-device: this machine is
 * activated on it; multi-user: a seat is free; per-scan: scans are left). When none does, the
 * first item records the limited (or declined) start.
 *
 * `productId` (the program's product): an activation code of another product is refused with
 * WRONG_PRODUCT before anything is written (no session, no ledger row); a project key chooses
 * only among that product's items.
 */
import { newId } from '../../core/ids.ts';
import type { LeaseSigner } from '../../core/lease-signer.ts';
import type { LedgerEvent } from '../../core/ledger-event.ts';
import { leaseExpiry, leasePayload } from '../../core/licensing/lease.ts';
import { type StartOutcome, startOutcome } from '../../core/licensing/seat-outcome.ts';
import {
  type ActivationRow,
  findLiveActivationForItem,
  touchActivation,
} from '../../storage/activation-repository.ts';
import { getProduct, type LicenseItemRow } from '../../storage/catalog-repository.ts';
import type { Db } from '../../storage/db.ts';
import type { Executor } from '../../storage/executor.ts';
import { appendEvents } from '../../storage/ledger-repository.ts';
import { lockLicenseItems } from '../../storage/license-item-lock.ts';
import { itemsOfProject } from '../../storage/license-key-repository.ts';
import { type SessionRow, seatsHeldForLimit, sessionInsert } from '../../storage/session-repository.ts';
import {
  assertProduct,
  assertServedOnline,
  assertValidNow,
  attributeProject,
  type ClientKey,
  itemsOfProduct,
  modelOf,
  projectCandidates,
} from './client-key.ts';

export interface StartSessionInput {
  fingerprint: string;
  email: string;
  version?: string;
  /** program name; defaults to the item's product name */
  program?: string;
  /** project KEY to attribute the usage to (activation-code keys) */
  project?: string;
  /** the program's product: another product's license is refused (WRONG_PRODUCT) */
  productId?: string;
}

export interface Lease {
  token: string;
  expiresAt: number;
}

export interface StartSessionResult {
  session: SessionRow;
  lease: Lease;
}

interface Decision {
  item: LicenseItemRow;
  outcome: StartOutcome;
  activation: ActivationRow | undefined;
}

/** Decides the start on one item and records the machine's contact on its activation. */
async function decide(
  db: Executor,
  connection: object | null,
  item: LicenseItemRow,
  fingerprint: string,
  now: number,
  known?: KnownActivation,
): Promise<Decision> {
  const d = await peek(db, connection, item, fingerprint, now, known);
  if (d.activation) await touchActivation(db, d.activation, {}, now);
  return d;
}

export async function startSession(
  db: Db,
  signer: LeaseSigner,
  key: ClientKey,
  input: StartSessionInput,
  now: number,
): Promise<StartSessionResult> {
  // SQLite: seat checks may use this connection's seat bound (seatsHeldForLimit)
  const connection = db.dialect.name === 'sqlite' ? db.kysely : null;
  const started = await db.transaction(async (trx) => {
    let d: Decision;
    let projectId: string | null;
    let product: Awaited<ReturnType<typeof getProduct>>;
    if (key.kind === 'code') {
      // Catalog reads before the item lock: on PostgreSQL every round trip made under the lock
      // is time every other start of the item waits. (The key's item row answers "hardware
      // key?" before a project error; the locked row is checked again below.)
      assertProduct(key.item, input.productId);
      assertServedOnline(key.item);
      projectId = await attributeProject(trx, key, key.item, input.project);
      product = await getProduct(trx, key.item.product_id);
      // seats, not activations, limit a multi-user start: its machine's activation is only linked
      const known: KnownActivation | undefined =
        key.item.model === 'multi-user'
          ? { activation: await findLiveActivationForItem(trx, key.item.id, input.fingerprint) }
          : undefined;
      const item = (await lockLicenseItems(trx, db.dialect, [key.item.id])).get(key.item.id)!;
      assertServedOnline(item);
      assertValidNow(item, now);
      d = await decide(
        trx,
        connection,
        item,
        input.fingerprint,
        now,
        item.model === 'multi-user' ? known : undefined,
      );
    } else {
      const items = itemsOfProduct(await itemsOfProject(trx, key.project.id), input.productId);
      const locked = await lockLicenseItems(
        trx,
        db.dialect,
        items.map((i) => i.id),
      );
      const candidates = await projectCandidates(trx, key, [...locked.values()], () => true, now);
      let first: Decision | null = null;
      let full: Decision | null = null;
      for (const c of candidates) {
        const cand = await peek(trx, connection, c.item, input.fingerprint, now);
        first ??= cand;
        if (cand.outcome.mode === 'full' && (c.item.model !== 'per-scan' || c.remaining > 0)) {
          full = cand;
          break;
        }
      }
      d = full ?? first!;
      if (d.activation) await touchActivation(trx, d.activation, {}, now);
      projectId = await attributeProject(trx, key, d.item, input.project);
      product = await getProduct(trx, d.item.product_id);
    }
    const session: SessionRow = {
      id: newId('ses'),
      organization_id: d.item.organization_id,
      license_item_id: d.item.id,
      activation_code_id: key.kind === 'code' ? key.code.id : null,
      project_id: projectId,
      activation_id: d.activation?.id ?? null,
      fingerprint: input.fingerprint,
      email: input.email,
      program: input.program ?? product?.name ?? d.item.name,
      version: input.version ?? null,
      mode: d.outcome.mode,
      reason: d.outcome.reason ?? null,
      holds_seat: d.outcome.holdsSeat ? 1 : 0,
      started_at: now,
      renewed_at: now,
      lease_expires_at: leaseExpiry(now, d.item.refresh_interval_s),
      ended_at: null,
      end_reason: null,
    };
    const events: LedgerEvent[] = d.outcome.kinds.map((kind) => ({
      organizationId: session.organization_id,
      licenseItemId: session.license_item_id,
      projectId,
      activationCodeId: session.activation_code_id,
      activationId: session.activation_id,
      sessionId: session.id,
      kind,
      count: 1,
      at: now,
      receivedAt: now,
      email: input.email,
      fingerprint: input.fingerprint,
      batchId: null,
    }));
    await appendEvents(trx, events, [sessionInsert(trx, session)]);
    return { session, item: d.item };
  });
  // signed once committed: neither the transaction nor (PostgreSQL) the item lock waits for it
  return {
    session: started.session,
    lease: await signLease(signer, started.session, started.item, now),
  };
}

/** The machine's live activation on the item, when it was read already. */
interface KnownActivation {
  activation: ActivationRow | undefined;
}

/** Like decide() but without side effects, to compare a project's items before choosing one. */
async function peek(
  db: Executor,
  connection: object | null,
  item: LicenseItemRow,
  fingerprint: string,
  now: number,
  known?: KnownActivation,
): Promise<Decision> {
  const activation = known ? known.activation : await findLiveActivationForItem(db, item.id, fingerprint);
  // exact, or an upper bound already below the quota: startOutcome only compares it with the quota
  const seatsInUse =
    item.model === 'multi-user' ? await seatsHeldForLimit(db, connection, item.id, item.quota, now) : 0;
  const outcome = startOutcome({
    model: modelOf(item),
    quota: item.quota,
    activated: !!activation,
    seatsInUse,
  });
  return { item, outcome, activation };
}

export async function signLease(
  signer: LeaseSigner,
  s: SessionRow,
  item: LicenseItemRow,
  now: number,
): Promise<Lease> {
  const payload = {
    ...leasePayload({
      sessionId: s.id,
      licenseItemId: item.id,
      mode: s.mode === 'full' ? 'full' : 'limited',
      reason: s.reason,
      modules: JSON.parse(item.modules) as string[],
      fingerprint: s.fingerprint,
      now,
      refreshIntervalS: item.refresh_interval_s,
    }),
    // binds the lease to the product, so a key for one product unlocks no other (SDK productId)
    productId: item.product_id,
  };
  return { token: await signer.sign(payload), expiresAt: leaseExpiry(now, item.refresh_interval_s) };
}
