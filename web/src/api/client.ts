/**
 * The portal's only door to the API: same-origin fetch with the session cookie, the CSRF header
 * on writes, and every failure turned into an ApiError whose message can be shown as is.
 */
import { ERROR_CODES, type ErrorBody } from '../../../src/contract/errors.ts';

export const API_BASE = '/api/v1';
const CSRF_KEY = 'licstat.csrf';

let csrfToken: string | null = sessionStorage.getItem(CSRF_KEY);

/** Whether this tab holds a session's CSRF token (it logged in, or asked /auth/me with a session). */
export const hasCsrfToken = (): boolean => csrfToken !== null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
  if (token) sessionStorage.setItem(CSRF_KEY, token);
  else sessionStorage.removeItem(CSRF_KEY);
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** Listeners told when the API says the login is gone (401), so the shell can go to the login page. */
const unauthorizedListeners = new Set<() => void>();
export function onUnauthorized(fn: () => void): () => void {
  unauthorizedListeners.add(fn);
  return () => unauthorizedListeners.delete(fn);
}

type Query = Record<string, string | number | undefined | null>;

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {}))
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return `${API_BASE}${path}${qs ? `?${qs}` : ''}`;
}

async function toApiError(res: Response): Promise<ApiError> {
  let code = 'HTTP_ERROR';
  let message = `The server answered ${res.status} ${res.statusText}.`;
  try {
    const body = (await res.json()) as Partial<ErrorBody>;
    if (body.error) {
      code = body.error.code;
      message = body.error.message;
    }
  } catch {
    // not JSON: keep the generic message
  }
  if (res.status === 404 && code === 'HTTP_ERROR') code = 'NOT_FOUND';
  return new ApiError(res.status, code, message);
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
}

/** Dispatched on window after every successful write through `api`. */
export const WROTE_EVENT = 'licstat:wrote';

export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', 'The server cannot be reached. Check your connection and try again.');
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && !path.startsWith('/auth/login')) for (const fn of unauthorizedListeners) fn();
    throw err;
  }
  // a change went through: views of what changed (the audit log) may reload
  if (method !== 'GET' && !path.startsWith('/auth/')) window.dispatchEvent(new Event(WROTE_EVENT));
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await res.text()) as T;
  return (await res.json()) as T;
}

/**
 * Starts a CSV export that streams straight to a file: a hidden same-origin frame navigates to the
 * export's URL (the session cookie authenticates the GET), so the browser's download manager
 * receives the server's stream and nothing is held in the page's memory. A successful export is
 * an attachment and never loads into the frame; an error answer (JSON) does, and `onError` gets
 * it in words. The frame stays a while: removing it before the server has answered would cancel
 * the export (once the download has begun, the browser keeps it going without the frame).
 */
const EXPORT_FRAME_LIFETIME_MS = 10 * 60_000;

export function startCsvDownload(path: string, query: Query, onError: (e: ApiError) => void): void {
  const frame = document.createElement('iframe');
  frame.hidden = true;
  frame.tabIndex = -1;
  frame.title = 'CSV export';
  frame.setAttribute('aria-hidden', 'true');
  frame.addEventListener('load', () => {
    let doc: Document | null = null;
    try {
      doc = frame.contentDocument;
    } catch {
      // not readable: report it generically below
    }
    if (doc?.URL === 'about:blank') return;
    const err = errorFromText(doc?.body?.textContent ?? '');
    frame.remove();
    clearTimeout(expiry);
    onError(err);
    if (err.status === 401) for (const fn of unauthorizedListeners) fn();
  });
  const expiry = setTimeout(() => frame.remove(), EXPORT_FRAME_LIFETIME_MS);
  frame.src = apiUrl(path, query);
  document.body.append(frame);
}

/** An error answer read as text (from the export frame), with its status from the error code. */
function errorFromText(text: string): ApiError {
  try {
    const body = JSON.parse(text) as Partial<ErrorBody>;
    if (body.error) {
      const status = (ERROR_CODES as Record<string, number>)[body.error.code] ?? 400;
      return new ApiError(status, body.error.code, body.error.message);
    }
  } catch {
    // not JSON
  }
  return new ApiError(0, 'EXPORT_FAILED', 'The export could not be downloaded. Try again.');
}
