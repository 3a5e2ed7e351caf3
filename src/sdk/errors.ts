/** Typed SDK errors: the server's stable codes, plus the few failures only a client can see. */
import type { ErrorCode } from '../contract/errors.ts';

/**
 * Failures that never come from the server: it was unreachable, an answer came without licstat's
 * error shape (a proxy or gateway in between), or its answer failed verification.
 */
export type ClientSideCode =
  | 'NETWORK_ERROR'
  | 'UNEXPECTED_RESPONSE'
  | 'LEASE_INVALID'
  /**
   * the lease is for another product than the program's `productId` (or names none); the server
   * answers the same code (422) when the request's productId is not the license's product
   */
  | 'WRONG_PRODUCT'
  | 'NO_SESSION'
  /** usage reported after close() */
  | 'CLIENT_CLOSED';
export type SdkErrorCode = ErrorCode | ClientSideCode;

export class LicstatClientError extends Error {
  readonly code: SdkErrorCode;
  /** HTTP status when the server answered; undefined for client-side failures */
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  /** the server's `error.details`, e.g. `{index}` of the event an EVENT_TIME_OUT_OF_RANGE refers to */
  readonly details: unknown;
  constructor(code: SdkErrorCode, message: string, status?: number, requestId?: string, details?: unknown) {
    super(message);
    this.name = 'LicstatClientError';
    this.code = code;
    this.status = status;
    this.requestId = requestId;
    this.details = details;
  }

  /**
   * Worth retrying later with the same request: the server was unreachable, overloaded or failing,
   * or something other than licstat answered (a proxy's 404 or 413 says nothing about the request).
   */
  get transient(): boolean {
    if (this.code === 'NETWORK_ERROR' || this.code === 'UNEXPECTED_RESPONSE') return true;
    return this.status !== undefined && (this.status >= 500 || this.status === 408 || this.status === 429);
  }
}

export const isLicstatClientError = (e: unknown): e is LicstatClientError => e instanceof LicstatClientError;
