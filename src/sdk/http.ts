/** The client API over the global fetch: JSON in and out, errors as LicstatClientError. */
import type { ErrorBody } from '../contract/errors.ts';
import { LicstatClientError } from './errors.ts';

export interface HttpOptions {
  serverUrl: string;
  licenseKey: string;
  timeoutMs: number;
  fetch: typeof fetch;
}

export async function callApi<T>(
  opts: HttpOptions,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<{ status: number; data: T }> {
  const url = `${opts.serverUrl.replace(/\/+$/, '')}/api/v1${path}`;
  const headers: Record<string, string> = {
    authorization: `License ${opts.licenseKey}`,
    accept: 'application/json',
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await opts.fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
  } catch (e) {
    throw new LicstatClientError('NETWORK_ERROR', `cannot reach ${url}: ${(e as Error).message}`);
  }
  const text = await res.text().catch(() => '');
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!res.ok) {
    const err = (parsed as Partial<ErrorBody> | undefined)?.error;
    if (err && typeof err.code === 'string') {
      throw new LicstatClientError(err.code, err.message ?? err.code, res.status, err.requestId, err.details);
    }
    // Not licstat's error shape: a proxy or gateway answered, not the license server.
    throw new LicstatClientError(
      'UNEXPECTED_RESPONSE',
      `HTTP ${res.status} without licstat's error shape from ${url} (a proxy or gateway?)`,
      res.status,
    );
  }
  return { status: res.status, data: parsed as T };
}
