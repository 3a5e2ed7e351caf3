/**
 * Evaluates an organization's alert conditions after its writes commit, and on a periodic tick
 * (expiry warnings; re-arming conditions that stopped holding without a write, e.g. leases that
 * ran out). Each item's evaluation runs in one transaction holding the item's lock, so it reads
 * the usage every committed start left and serialises with other evaluators of that item, in
 * this process or another; the crossing itself is claimed in the database (alert-repository.ts).
 * Only organizations with alert settings (created with their first webhook, or by PUT
 * /alerts/settings) are evaluated.
 */
import type { AlertDetails, AlertSettings, WebhookEvent } from '../../contract/alerts.ts';
import {
  declinesHold,
  declinesKey,
  dueExpiryDays,
  expiryKey,
  quotaConditions,
  quotaKey,
} from '../../core/alerts/rules.ts';
import { newId } from '../../core/ids.ts';
import { isoInZone } from '../../core/stats/period.ts';
import {
  activeConditions,
  claimCrossing,
  getAlertSettings,
  logAlert,
  rearm,
} from '../../storage/alerts/alert-repository.ts';
import { enqueueMail } from '../../storage/alerts/mail-repository.ts';
import { enqueueEvent, pruneDeliveries } from '../../storage/alerts/webhook-repository.ts';
import type { LicenseItemRow } from '../../storage/catalog-repository.ts';
import type { Executor } from '../../storage/executor.ts';
import type { Change } from '../../storage/ledger-feed.ts';
import { lockLicenseItems } from '../../storage/license-item-lock.ts';
import { currentUsage } from '../../storage/stats/item-usage.ts';
import type { Deps } from '../types.ts';

const HOUR = 3_600_000;
/** numbers in messages as people read them: 25,000 */
const count = (n: number): string => n.toLocaleString('en-US');
const DAY = 86_400_000;
const DELIVERY_LOG_DAYS = 30;

export class AlertEvaluator {
  private queued = new Map<string, { org: string; item: string }>();
  private running: Promise<void> | null = null;
  private closed = false;
  /** settings per organization for a few seconds: most organizations have none, and every commit asks */
  private settingsCache = new Map<string, { at: number; settings: AlertSettings | null }>();

  /** alert e-mails are queued only when an SMTP server is configured */
  private readonly mails: boolean;

  constructor(
    private deps: Deps,
    private onError: (e: unknown) => void,
  ) {
    this.mails = deps.config.smtpUrl !== undefined;
  }

  /** Called after a commit: evaluates the changed items soon, coalescing bursts per item. */
  onChanges(changes: readonly Change[]): void {
    if (this.closed) return;
    for (const c of changes)
      this.queued.set(`${c.organizationId}\u0000${c.licenseItemId}`, {
        org: c.organizationId,
        item: c.licenseItemId,
      });
    this.running ??= this.drain();
  }

  /** Resolves when every queued evaluation has run (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * After an organization's alert settings changed here: drops the cached ones and evaluates each of
   * its items, so usage already past a threshold alerts now instead of at the item's next write.
   */
  async reconsider(org: string): Promise<void> {
    this.settingsCache.delete(org);
    const items = await this.deps.db.kysely
      .selectFrom('license_items')
      .select('id')
      .where('organization_id', '=', org)
      .where('model', '!=', 'hardware-key')
      .execute();
    if (this.closed) return;
    for (const { id } of items) this.queued.set(`${org}\u0000${id}`, { org, item: id });
    this.running ??= this.drain();
  }

  private async settingsOf(org: string): Promise<AlertSettings | null> {
    const hit = this.settingsCache.get(org);
    if (hit && Date.now() - hit.at < 5_000) return hit.settings;
    const settings = await getAlertSettings(this.deps.db.kysely, org);
    if (this.settingsCache.size > 10_000) this.settingsCache.clear();
    this.settingsCache.set(org, { at: Date.now(), settings });
    return settings;
  }

  close(): Promise<void> {
    this.closed = true;
    return this.idle();
  }

  private async drain(): Promise<void> {
    try {
      await new Promise((r) => setImmediate(r));
      while (this.queued.size > 0 && !this.closed) {
        const batch = [...this.queued.values()];
        this.queued.clear();
        for (const { org, item } of batch) {
          try {
            await this.evaluateItem(org, item);
          } catch (e) {
            this.onError(e);
          }
        }
      }
    } finally {
      this.running = null;
    }
  }

  async evaluateItem(org: string, itemId: string): Promise<void> {
    const db = this.deps.db;
    const settings = await this.settingsOf(org);
    if (!settings) return;
    await db.transaction(async (trx) => {
      const item = (await lockLicenseItems(trx, db.dialect, [itemId])).get(itemId);
      if (!item || item.organization_id !== org || item.model === 'hardware-key') return;
      // read under the lock: a time read before it could precede starts another process committed
      // meanwhile, miss their seats and re-arm a quota alert that still holds
      const now = this.deps.clock.now();
      const usage = await currentUsage(trx, item, now);
      // Every threshold crossed is claimed, but one report that jumps several (80 % and 100 % at
      // once) sends one alert, for the highest: the admin needs the worst news, not three messages.
      let highest: { threshold: number; key: string; episode: number } | null = null;
      for (const c of quotaConditions(settings, usage, item.quota)) {
        const key = quotaKey(item.id, c.threshold);
        if (!c.holds) {
          await rearm(trx, org, key, now);
          continue;
        }
        const episode = await claimCrossing(trx, org, key, now);
        if (episode !== null && (highest === null || c.threshold > highest.threshold))
          highest = { threshold: c.threshold, key, episode };
      }
      if (highest)
        await fire(trx, org, highest.key, highest.episode, now, this.mails, {
          type: 'quota',
          licenseItemId: item.id,
          licenseItemName: item.name,
          threshold: highest.threshold,
          value: usage,
          quota: item.quota,
          message: `${item.name} (${item.id}) reached ${highest.threshold}% of its quota: ${count(usage)} of ${count(item.quota)}.`,
        });
      if (item.model === 'multi-user') await this.declines(trx, settings, item, now);
    });
  }

  private async declines(
    trx: Executor,
    settings: AlertSettings,
    item: LicenseItemRow,
    now: number,
  ): Promise<void> {
    const row = await trx
      .selectFrom('usage_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('license_item_id', '=', item.id)
      .where('kind', '=', 'declined')
      .where('at', '>', now - HOUR)
      .where('at', '<=', now)
      .executeTakeFirstOrThrow();
    const n = Number(row.n);
    const key = declinesKey(item.id);
    const org = item.organization_id;
    if (!declinesHold(settings, n)) return rearm(trx, org, key, now);
    const episode = await claimCrossing(trx, org, key, now);
    if (episode !== null)
      await fire(trx, org, key, episode, now, this.mails, {
        type: 'declines',
        licenseItemId: item.id,
        licenseItemName: item.name,
        threshold: settings.declinesPerHour,
        value: n,
        quota: item.quota,
        message: `${item.name} (${item.id}) declined ${count(n)} program starts in the last hour (all ${count(item.quota)} seats in use).`,
      });
  }

  /** Expiry warnings for every organization with alerts, and re-checks of conditions that hold. */
  async tick(): Promise<void> {
    const db = this.deps.db;
    const now = this.deps.clock.now();
    const items = await db.kysely
      .selectFrom('license_items')
      .innerJoin('alert_settings', 'alert_settings.organization_id', 'license_items.organization_id')
      .selectAll('license_items')
      .select('alert_settings.settings')
      .where('license_items.valid_to', '>', now)
      .where('license_items.valid_to', '<=', now + 366 * DAY)
      .execute();
    for (const it of items) {
      const settings = (await getAlertSettings(db.kysely, it.organization_id))!;
      for (const days of dueExpiryDays(settings, it.valid_to, now)) {
        const key = expiryKey(it.id, days, it.valid_to);
        await db.transaction(async (trx) => {
          const episode = await claimCrossing(trx, it.organization_id, key, now);
          if (episode !== null)
            await fire(trx, it.organization_id, key, episode, now, this.mails, {
              type: 'expiry',
              licenseItemId: it.id,
              licenseItemName: it.name,
              threshold: days,
              value: isoInZone(it.valid_to, 'UTC'),
              quota: it.quota,
              message: `${it.name} (${it.id}) expires in ${Math.ceil((it.valid_to - now) / DAY)} days, on ${isoInZone(it.valid_to, 'UTC').slice(0, 10)}.`,
            });
        });
      }
    }
    // the delivery log keeps 30 days
    await db.transaction((trx) => pruneDeliveries(trx, now - DELIVERY_LOG_DAYS * DAY));
    for (const c of await activeConditions(db.kysely)) {
      const itemId = c.alert_key.split(':')[1];
      if (itemId)
        this.queued.set(`${c.organization_id}\u0000${itemId}`, { org: c.organization_id, item: itemId });
    }
    this.running ??= this.drain();
    await this.idle();
  }
}

/**
 * Logs the alert and queues it for every webhook of the organization and, with `mail`, an e-mail
 * to its admins: all in the claim's transaction, so an alert is never logged without its messages.
 */
async function fire(
  trx: Executor,
  org: string,
  key: string,
  episode: number,
  now: number,
  mail: boolean,
  details: AlertDetails,
): Promise<void> {
  const id = await logAlert(trx, { organizationId: org, key, episode, details, now });
  const event: WebhookEvent = {
    id,
    type: `alert.${details.type}`,
    organizationId: org,
    createdAt: new Date(now).toISOString(),
    data: details,
  };
  await enqueueEvent(
    trx,
    { organizationId: org, eventId: id, type: event.type, body: JSON.stringify(event) },
    now,
  );
  if (mail)
    await enqueueMail(
      trx,
      {
        organizationId: org,
        eventId: id,
        subject: `[licstat] ${details.message}`,
        body: `${details.message}\n\nLicense item: ${details.licenseItemName} (${details.licenseItemId})\nAlert: ${details.type}, threshold ${details.threshold}\n`,
      },
      now,
    );
}

export const newEventId = (): string => newId('evt');
