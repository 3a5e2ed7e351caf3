/** Where usage batches wait until the server has acknowledged them. Pluggable: memory, disk, IndexedDB… */

export interface UsageEvent {
  kind: 'scan';
  count: number;
  /** ISO 8601 event time */
  at: string;
}

/** A sealed batch: its batchId never changes, so every retry is the same request and counts once. */
export interface QueuedBatch {
  batchId: string;
  fingerprint: string;
  email?: string;
  project?: string;
  /** the program's product when sealed (batches of older runs may lack it); part of the batch's body */
  productId?: string;
  events: UsageEvent[];
  /** epoch ms when sealed; delivery order */
  createdAt: number;
}

export interface QueueStore {
  /** durably stores a sealed batch (must survive a crash once it resolves) */
  save(batch: QueuedBatch): Promise<void>;
  /** every stored batch, oldest first */
  load(): Promise<QueuedBatch[]>;
  /** forgets a batch the server acknowledged (or refused for good) */
  remove(batchId: string): Promise<void>;
}

/** In-memory store: batches survive outages but not a restart. The default. */
export class MemoryQueueStore implements QueueStore {
  private readonly batches = new Map<string, QueuedBatch>();
  async save(batch: QueuedBatch): Promise<void> {
    this.batches.set(batch.batchId, structuredClone(batch));
  }
  async load(): Promise<QueuedBatch[]> {
    return [...this.batches.values()]
      .sort((a, b) => a.createdAt - b.createdAt)
      .map((b) => structuredClone(b));
  }
  async remove(batchId: string): Promise<void> {
    this.batches.delete(batchId);
  }
}
