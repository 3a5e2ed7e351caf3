/**
 * app.inject that also copes with streaming answers (server-sent events never end): the answer
 * is taken once its head is written; an event stream is read for `streamMs` and then closed,
 * any other body read whole.
 * Both steps have a deadline, so a hang fails the test instead of stalling it.
 */
import type { InjectOptions } from 'fastify';
import type { App } from '../../../src/server/types.ts';

export interface Answer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  /** an event stream (closed after its head; body holds what had arrived) */
  streaming: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: tests read answers loosely, like inject's json()
  json(): any;
}

function deadline<T>(p: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, fail) => {
      timer = setTimeout(() => fail(new Error(`${label}: no answer in ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function injectAnswer(
  app: App,
  opts: InjectOptions,
  timeoutMs: number,
  label = '',
  streamMs = 300,
): Promise<Answer> {
  const abort = new AbortController();
  const res = await deadline(
    app.inject({ ...opts, payloadAsStream: true, signal: abort.signal } as InjectOptions),
    timeoutMs,
    label,
  );
  const stream = res.stream();
  const streaming = /text\/event-stream/.test(String(res.headers['content-type'] ?? ''));
  let body = '';
  if (streaming) {
    // keep what the first moments of the stream bring (its first event), then hang up
    stream.on('error', () => {});
    stream.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    await new Promise((ok) => setTimeout(ok, streamMs));
    abort.abort();
  } else {
    body = await deadline(
      (async () => {
        const chunks: Buffer[] = [];
        for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
        return Buffer.concat(chunks).toString('utf8');
      })(),
      timeoutMs,
      `${label} (body)`,
    );
  }
  return {
    statusCode: res.statusCode,
    headers: res.headers,
    body,
    streaming,
    json: () => JSON.parse(body),
  };
}
