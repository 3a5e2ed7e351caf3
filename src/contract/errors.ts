/**
 * Every error code the API can answer with, and its HTTP status. One place, so the server,
 * the SDK (typed errors) and the OpenAPI document agree.
 */
export const ERROR_CODES = {
  // generic request problems
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INVALID_PERIOD: 400,
  INVALID_TIME_ZONE: 400,
  NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  // auth
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  LOGIN_LOCKED: 429,
  FORBIDDEN: 403,
  CSRF_TOKEN_INVALID: 403,
  // client API
  LICENSE_NOT_FOUND: 401,
  LICENSE_EXPIRED: 403,
  ACTIVATIONS_EXHAUSTED: 409,
  QUOTA_EXCEEDED: 409,
  HARDWARE_KEY_ITEM: 422,
  PROJECT_NOT_FOUND: 422,
  PROJECT_NOT_CONFIGURED: 422,
  NO_SUITABLE_ITEM: 422,
  MODEL_MISMATCH: 422,
  /** the license key's item (or every item of the project key) is of another product than the request's `productId` */
  WRONG_PRODUCT: 422,
  NOT_ACTIVATED: 409,
  SESSION_NOT_FOUND: 404,
  ACTIVATION_NOT_FOUND: 404,
  LEASE_EXPIRED: 410,
  SESSION_ENDED: 410,
  TAKE_DENIED: 409,
  EVENT_TIME_OUT_OF_RANGE: 422,
  BATCH_CONFLICT: 409,
  // vendor / portal
  DUPLICATE: 409,
  IN_USE: 409,
  INVALID_REFERENCE: 422,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId?: string; details?: unknown };
}

/** A domain or request failure with a stable code; mapped to HTTP in one place (server/plugins/errors). */
export class LicstatError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details?: unknown;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'LicstatError';
    this.code = code;
    this.status = ERROR_CODES[code];
    this.details = details;
  }
}

export const isLicstatError = (e: unknown): e is LicstatError => e instanceof LicstatError;
