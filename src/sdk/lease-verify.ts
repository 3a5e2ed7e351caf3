/**
 * Offline lease verification with WebCrypto Ed25519: runs in Node 20, browsers and Electron,
 * with no Node-only import. The token format is contract/lease.ts.
 */
import { base64urlDecode, type LeasePayload, splitLeaseToken } from '../contract/lease.ts';
import { LicstatClientError } from './errors.ts';

/** Imports the server's raw 32-byte public key (base64url, as GET /client/public-key publishes it). */
export async function importLeaseKey(publicKeyRaw: string): Promise<CryptoKey> {
  let raw: Uint8Array;
  try {
    raw = base64urlDecode(publicKeyRaw);
  } catch {
    throw new LicstatClientError('LEASE_INVALID', 'public key is not base64url');
  }
  if (raw.length !== 32) throw new LicstatClientError('LEASE_INVALID', 'an Ed25519 public key has 32 bytes');
  return crypto.subtle.importKey('raw', Uint8Array.from(raw), { name: 'Ed25519' }, false, ['verify']);
}

export interface VerifyExpectations {
  /** epoch ms; a lease whose expiresAt is not after it (less the tolerance) is refused */
  now: number;
  /** how far this clock may be off the server's (default 0): a lease expired by less is accepted */
  clockToleranceMs?: number;
  sessionId?: string;
  fingerprint?: string;
  /** the program's product: a lease for another product, or naming none, is refused with WRONG_PRODUCT */
  productId?: string;
}

/**
 * Verifies signature, shape, binding (session, machine) and expiry; throws LEASE_INVALID otherwise,
 * or WRONG_PRODUCT for a genuine lease of another product than `expect.productId`.
 */
export async function verifyLeaseToken(
  key: CryptoKey,
  token: string,
  expect: VerifyExpectations,
): Promise<LeasePayload> {
  let parts: ReturnType<typeof splitLeaseToken>;
  try {
    parts = splitLeaseToken(token);
  } catch (e) {
    throw new LicstatClientError('LEASE_INVALID', `malformed lease: ${(e as Error).message}`);
  }
  const ok = await crypto.subtle.verify(
    { name: 'Ed25519' },
    key,
    Uint8Array.from(parts.signature),
    new TextEncoder().encode(parts.signed),
  );
  if (!ok) throw new LicstatClientError('LEASE_INVALID', 'lease signature does not verify');
  const p = parts.payload;
  const expiresAt = Date.parse(p.expiresAt);
  if (!Number.isFinite(expiresAt)) throw new LicstatClientError('LEASE_INVALID', 'lease has no valid expiry');
  if (expect.sessionId !== undefined && p.sessionId !== expect.sessionId) {
    throw new LicstatClientError('LEASE_INVALID', 'lease belongs to another session');
  }
  if (expect.fingerprint !== undefined && p.fingerprint !== expect.fingerprint) {
    throw new LicstatClientError('LEASE_INVALID', 'lease belongs to another machine');
  }
  if (expect.productId !== undefined && p.productId !== expect.productId) {
    throw new LicstatClientError(
      'WRONG_PRODUCT',
      p.productId === undefined
        ? `lease names no product (a server too old to bind leases to products); this program is ${expect.productId}`
        : `lease is for product ${p.productId}, not this program's ${expect.productId}`,
    );
  }
  if (expiresAt <= expect.now - (expect.clockToleranceMs ?? 0))
    throw new LicstatClientError('LEASE_INVALID', 'lease has expired');
  return p;
}
