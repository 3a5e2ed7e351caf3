/**
 * The polling loop shared by the outbox workers (webhook deliveries, alert e-mails): one pass at a
 * time, the next `intervalMs` after the last ends; a failed pass is reported and the loop goes on.
 */
export interface OutboxWorker {
  /** one pass: claims and sends what is due; resolves with the number of attempts made */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

export function pollOutbox(
  runOnce: () => Promise<number>,
  opts: { intervalMs?: number; onError: (e: unknown) => void; autoStart?: boolean },
): OutboxWorker {
  const intervalMs = opts.intervalMs ?? 1000;
  let stopped = false;
  let current: Promise<number> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const loop = () => {
    if (stopped) return;
    current = runOnce()
      .catch((e) => {
        opts.onError(e);
        return 0;
      })
      .finally(() => {
        current = null;
        if (!stopped) timer = setTimeout(loop, intervalMs);
      });
  };
  if (opts.autoStart !== false) timer = setTimeout(loop, intervalMs);
  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
