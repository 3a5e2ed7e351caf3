import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { LicstatClientError } from './errors.ts';
import { ManualTime } from './manual-time.ts';
import { FileQueueStore } from './node-queue.ts';
import { MemoryQueueStore, type QueuedBatch, type QueueStore } from './queue-store.ts';
import { type UsageAck, UsageQueue } from './usage-queue.ts';

/** A scripted receiver: answers each send with the next scripted outcome (then success). */
function receiver(script: Array<'ok' | 'down' | 'refuse'> = []) {
  const sent: QueuedBatch[] = [];
  const sentAt: number[] = [];
  return {
    sent,
    sentAt,
    make(time: ManualTime) {
      return async (b: QueuedBatch): Promise<UsageAck> => {
        sent.push(structuredClone(b));
        sentAt.push(time.now());
        const outcome = script.shift() ?? 'ok';
        if (outcome === 'down') throw new LicstatClientError('NETWORK_ERROR', 'connection refused');
        if (outcome === 'refuse') throw new LicstatClientError('EVENT_TIME_OUT_OF_RANGE', 'too old', 422);
        return { accepted: b.events.reduce((n, e) => n + e.count, 0), duplicate: false };
      };
    },
  };
}

function queue(time: ManualTime, store: QueueStore, send: (b: QueuedBatch) => Promise<UsageAck>) {
  const log = { delivered: [] as string[], rejected: [] as string[], retries: [] as number[] };
  const q = new UsageQueue({
    store,
    send,
    fingerprint: 'fp',
    clock: time,
    timers: time,
    random: () => 0,
    maxEvents: 3,
    flushIntervalMs: 5000,
    backoff: { baseMs: 1000, maxMs: 8000 },
    onDelivered: (b) => log.delivered.push(b.batchId),
    onRejected: (b) => log.rejected.push(b.batchId),
    onTransientFailure: (_e, ms) => log.retries.push(ms),
    onDeliverySuccess: () => {},
  });
  return { q, log };
}

const ev = (count: number, at = '2026-11-25T10:00:00.000Z') => ({ kind: 'scan' as const, count, at });

describe('UsageQueue', () => {
  test('seals by size and by time; every event delivered exactly once', async () => {
    const time = new ManualTime(0);
    const r = receiver();
    const { q } = queue(time, new MemoryQueueStore(), r.make(time));
    for (let i = 1; i <= 7; i++) q.add(ev(i));
    await new Promise((r) => setTimeout(r, 20));
    expect(r.sent.map((b) => b.events.length)).toEqual([3, 3]);
    await time.advance(4999);
    expect(r.sent).toHaveLength(2);
    await time.advance(1);
    expect(r.sent.map((b) => b.events.length)).toEqual([3, 3, 1]);
    expect(r.sent.flatMap((b) => b.events.map((e) => e.count))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(new Set(r.sent.map((b) => b.batchId)).size).toBe(3);
    expect(await q.pending()).toBe(0);
  });

  test('retries with exponential backoff and the same batchId until delivered', async () => {
    const time = new ManualTime(0);
    const r = receiver(['down', 'down', 'down', 'ok']);
    const { q, log } = queue(time, new MemoryQueueStore(), r.make(time));
    q.add(ev(5));
    expect(await q.flush()).toBe(1);
    await time.advance(60_000);
    expect(r.sent).toHaveLength(4);
    expect(new Set(r.sent.map((b) => b.batchId)).size).toBe(1);
    // random() = 0: half of 1 s, 2 s, 4 s
    expect(log.retries).toEqual([500, 1000, 2000]);
    expect(r.sentAt).toEqual([0, 500, 1500, 3500]);
    expect(log.delivered).toEqual([r.sent[0]!.batchId]);
    expect(await q.pending()).toBe(0);
  });

  test('a batch the server refuses for good is dropped and reported, the rest still flow', async () => {
    const time = new ManualTime(0);
    const r = receiver(['refuse', 'ok']);
    const { q, log } = queue(time, new MemoryQueueStore(), r.make(time));
    q.add(ev(1));
    await q.flush();
    q.add(ev(2));
    await q.flush();
    expect(log.rejected).toHaveLength(1);
    expect(log.delivered).toHaveLength(1);
    expect(await q.pending()).toBe(0);
  });
});

describe('FileQueueStore', () => {
  test('batches survive a new instance and are delivered once, in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'licstat-q-'));
    const time = new ManualTime(0);
    const down = receiver(['down']);
    const first = queue(time, new FileQueueStore(dir), down.make(time));
    first.q.add(ev(1));
    first.q.add(ev(2));
    time.set(() => {}, 0);
    await first.q.flush();
    first.q.add(ev(3));
    await first.q.close(); // "process exits": sealed and on disk, not delivered
    expect(readdirSync(dir).filter((n) => n.endsWith('.batch.json'))).toHaveLength(2);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toHaveLength(0);

    const up = receiver();
    const second = queue(time, new FileQueueStore(dir), up.make(time));
    expect(await second.q.resume()).toBe(0);
    expect(up.sent.map((b) => b.events.map((e) => e.count))).toEqual([[1, 2], [3]]);
    // the batch that failed keeps its id across the restart
    expect(up.sent[0]!.batchId).toBe(down.sent[0]!.batchId);
    expect(readdirSync(dir)).toHaveLength(0);
    expect(await second.q.resume()).toBe(0);
    expect(up.sent).toHaveLength(2);
  });
  test('after close, a report is a typed CLIENT_CLOSED error', async () => {
    const time = new ManualTime(0);
    const { q } = queue(time, new MemoryQueueStore(), receiver().make(time));
    await q.close();
    expect(() => q.add(ev(1))).toThrow(expect.objectContaining({ code: 'CLIENT_CLOSED' }));
  });
});
