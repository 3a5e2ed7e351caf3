/**
 * Node-only pieces of the SDK: a disk QueueStore and ending the session when the process exits.
 * One file per batch, written to a temporary name, fsync'd, renamed into place and the folder
 * fsync'd: after a crash a batch is either whole or absent, never half-written.
 */
import { mkdirSync } from 'node:fs';
import { open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { LicstatClient } from './client.ts';
import type { QueuedBatch, QueueStore } from './queue-store.ts';

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export class FileQueueStore implements QueueStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  async save(batch: QueuedBatch): Promise<void> {
    if (!SAFE_ID.test(batch.batchId)) throw new Error('batchId must be [A-Za-z0-9_-]');
    const final = join(this.dir, `${batch.batchId}.batch.json`);
    const tmp = join(this.dir, `.${batch.batchId}.${process.pid}.tmp`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(JSON.stringify(batch));
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, final);
    await this.syncDir();
  }

  async load(): Promise<QueuedBatch[]> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.batch.json'));
    const out: QueuedBatch[] = [];
    for (const n of names) {
      try {
        out.push(JSON.parse(await readFile(join(this.dir, n), 'utf8')) as QueuedBatch);
      } catch {
        // removed by a concurrent delivery, or unreadable: skip rather than block the queue
      }
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || a.batchId.localeCompare(b.batchId));
  }

  async remove(batchId: string): Promise<void> {
    if (!SAFE_ID.test(batchId)) return;
    await unlink(join(this.dir, `${batchId}.batch.json`)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e;
    });
    await this.syncDir();
  }

  private async syncDir(): Promise<void> {
    // Makes the rename/unlink itself durable. Not every platform can fsync a directory.
    const fh = await open(this.dir, 'r').catch(() => null);
    if (!fh) return;
    await fh.sync().catch(() => undefined);
    await fh.close();
  }
}

/**
 * Ends the session (freeing the seat at once) and flushes usage when the process is asked to
 * stop; returns the function that unbinds. Usage that cannot be sent stays in the store.
 */
export function closeOnExit(
  client: LicstatClient,
  signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'],
): () => void {
  let closing = false;
  const handler = (signal: NodeJS.Signals) => {
    if (closing) return;
    closing = true;
    void client.close().finally(() => {
      unbind();
      process.kill(process.pid, signal);
    });
  };
  const beforeExit = () => {
    if (!closing) {
      closing = true;
      void client.close().finally(unbind);
    }
  };
  for (const s of signals) process.once(s, handler);
  process.once('beforeExit', beforeExit);
  const unbind = () => {
    for (const s of signals) process.off(s, handler);
    process.off('beforeExit', beforeExit);
  };
  return unbind;
}
