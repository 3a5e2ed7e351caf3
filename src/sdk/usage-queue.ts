/**
 * Metered usage on its way to the server: events are buffered, sealed into batches (by size or
 * after an interval), stored durably, then delivered oldest first. A batch keeps its batchId
 * for every retry, so the server counts it once however often it is sent; it leaves the store
 * only when the server acknowledged it (or refused it for good, which is reported).
 */
import { type BackoffOptions, backoffDelay } from './backoff.ts';
import { isLicstatClientError, LicstatClientError } from './errors.ts';
import type { QueuedBatch, QueueStore, UsageEvent } from './queue-store.ts';
import type { SdkClock, SdkTimers } from './timers.ts';

export interface UsageAck {
  accepted: number;
  duplicate: boolean;
  remaining?: number | null;
}

export interface UsageQueueOptions {
  store: QueueStore;
  send(batch: QueuedBatch): Promise<UsageAck>;
  fingerprint: string;
  email?: string;
  project?: string;
  /** the program's product, sealed into each batch */
  productId?: string;
  clock: SdkClock;
  timers: SdkTimers;
  random: () => number;
  /** seal a batch when this many events wait */
  maxEvents: number;
  /** seal a batch this long after its first event */
  flushIntervalMs: number;
  backoff: BackoffOptions;
  onDelivered(batch: QueuedBatch, ack: UsageAck): void;
  onRejected(batch: QueuedBatch, error: LicstatClientError): void;
  onTransientFailure(error: LicstatClientError, retryInMs: number): void;
  onDeliverySuccess(): void;
  /** registers background work (so the owner can wait for it) */
  track?(work: Promise<unknown>): void;
}

export class UsageQueue {
  private buffer: UsageEvent[] = [];
  private flushTimer: unknown = null;
  private retryTimer: unknown = null;
  private attempt = 0;
  /** serialises store writes so batches keep their order */
  private writes: Promise<void> = Promise.resolve();
  private draining: Promise<number> | null = null;
  private closed = false;
  private again = false;
  private lastSealedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly o: UsageQueueOptions) {}

  add(event: UsageEvent): void {
    if (this.closed) throw new LicstatClientError('CLIENT_CLOSED', 'usage reported after close()');
    this.buffer.push(event);
    if (this.buffer.length >= this.o.maxEvents) {
      this.seal();
      this.drain().catch(() => undefined); // the store failed; the batch stays for the next drain
    } else if (this.flushTimer === null) {
      this.flushTimer = this.o.timers.set(() => {
        this.flushTimer = null;
        this.seal();
        this.drain().catch(() => undefined); // the store failed; the batch stays for the next drain
      }, this.o.flushIntervalMs);
    }
  }

  /** Seals what is buffered and tries to deliver everything stored; resolves to the number still waiting. */
  async flush(): Promise<number> {
    this.seal();
    return this.drain();
  }

  /** Delivers what was stored by an earlier run (call once at start). */
  resume(): Promise<number> {
    return this.drain();
  }

  async pending(): Promise<number> {
    await this.writes;
    return (await this.o.store.load()).length + this.buffer.length;
  }

  /** Stops timers; whatever is stored stays stored for the next run. */
  async close(): Promise<void> {
    this.seal();
    this.closed = true;
    if (this.flushTimer !== null) this.o.timers.clear(this.flushTimer);
    if (this.retryTimer !== null) this.o.timers.clear(this.retryTimer);
    this.flushTimer = this.retryTimer = null;
    await this.writes;
    await this.draining?.catch(() => 0);
  }

  private seal(): void {
    if (this.flushTimer !== null) {
      this.o.timers.clear(this.flushTimer);
      this.flushTimer = null;
    }
    if (this.buffer.length === 0) return;
    const batch: QueuedBatch = {
      batchId: crypto.randomUUID(),
      fingerprint: this.o.fingerprint,
      ...(this.o.email !== undefined ? { email: this.o.email } : {}),
      ...(this.o.project !== undefined ? { project: this.o.project } : {}),
      ...(this.o.productId !== undefined ? { productId: this.o.productId } : {}),
      events: this.buffer,
      // strictly increasing, so batches sealed within one millisecond keep their order
      createdAt: Math.max(this.o.clock.now(), this.lastSealedAt + 1),
    };
    this.lastSealedAt = batch.createdAt;
    this.buffer = [];
    this.writes = this.writes.then(() => this.o.store.save(batch));
  }

  private drain(): Promise<number> {
    if (this.retryTimer !== null) {
      this.o.timers.clear(this.retryTimer);
      this.retryTimer = null;
    }
    if (this.draining) {
      // the running pass may have listed the store before the newest batch was saved
      this.again = true;
    } else {
      this.draining = this.deliverAll().finally(() => {
        this.draining = null;
      });
      this.o.track?.(this.draining);
    }
    return this.draining;
  }

  private async deliverAll(): Promise<number> {
    let waiting = await this.deliverPass();
    while (this.again && waiting === 0) {
      this.again = false;
      waiting = await this.deliverPass();
    }
    this.again = false;
    return waiting;
  }

  private async deliverPass(): Promise<number> {
    await this.writes;
    const batches = await this.o.store.load();
    for (let i = 0; i < batches.length; i++) {
      const batch = batches[i]!;
      try {
        const ack = await this.o.send(batch);
        await this.o.store.remove(batch.batchId);
        this.attempt = 0;
        this.o.onDeliverySuccess();
        this.o.onDelivered(batch, ack);
      } catch (e) {
        if (!isLicstatClientError(e)) throw e;
        if (e.transient) {
          const delay = backoffDelay(this.attempt++, this.o.backoff, this.o.random);
          if (!this.closed) {
            this.retryTimer = this.o.timers.set(() => {
              this.retryTimer = null;
              this.drain().catch(() => undefined); // the store failed; the batch stays for the next drain
            }, delay);
          }
          this.o.onTransientFailure(e, delay);
          return batches.length - i;
        }
        const bad = refusedEventIndex(e, batch);
        if (bad !== null) {
          // One event's time is refused: only it is given up; the rest go again as a new batch.
          const rest: QueuedBatch = {
            ...batch,
            batchId: crypto.randomUUID(),
            events: batch.events.filter((_, k) => k !== bad),
          };
          await this.o.store.save(rest);
          await this.o.store.remove(batch.batchId);
          this.o.onRejected({ ...batch, events: [batch.events[bad]!] }, e);
          this.again = true;
          continue;
        }
        // Refused for good (e.g. malformed): retrying cannot help.
        await this.o.store.remove(batch.batchId);
        this.o.onRejected(batch, e);
      }
    }
    return 0;
  }
}

/** The index of the one event a refusal names, when the batch holds others that may still count. */
function refusedEventIndex(e: LicstatClientError, batch: QueuedBatch): number | null {
  if (e.code !== 'EVENT_TIME_OUT_OF_RANGE' || batch.events.length < 2) return null;
  const index = (e.details as { index?: unknown } | undefined)?.index;
  return Number.isInteger(index) && (index as number) >= 0 && (index as number) < batch.events.length
    ? (index as number)
    : null;
}
