/** Typed SDK errors: the server's stable codes, plus the few failures only a client can see. */
import type { ErrorCode } from '../contract/errors.ts';

/** Failures that never come from the server: it was unreachable, or its answer failed verification. */
export type ClientSideCode = 'NETWORK_ERROR' | 'LEASE_INVALID' | 'NO_SESSION';
export type SdkErrorCode = ErrorCode | ClientSideCode;

export class LicstatClientError extends Error {
  readonly code: SdkErrorCode;
  /** HTTP status when the server answered; undefined for client-side failures */
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  constructor(code: SdkErrorCode, message: string, status?: number, requestId?: string) {
    super(message);
    this.name = 'LicstatClientError';
    this.code = code;
    this.status = status;
    this.requestId = requestId;
  }

  /** Worth retrying later with the same request (server unreachable, overloaded or failing). */
  get transient(): boolean {
    if (this.code === 'NETWORK_ERROR') return true;
    return this.status !== undefined && (this.status >= 500 || this.status === 408 || this.status === 429);
  }
}

export const isLicstatClientError = (e: unknown): e is LicstatClientError => e instanceof LicstatClientError;
