/**
 * Lease token format, shared by the server (signs) and the SDK (verifies offline):
 *   base64url(JSON payload) + "." + base64url(Ed25519 signature over the first part's ASCII bytes)
 */
import type { SessionMode } from './domain.ts';

export interface LeasePayload {
  /** format version */
  v: 1;
  sessionId: string;
  licenseItemId: string;
  /**
   * The license item's product: a program that knows its product refuses leases for another
   * (SDK option `productId`). Added within v1; leases signed by servers before it lack it.
   */
  productId?: string;
  mode: SessionMode;
  reason?: string;
  modules: string[];
  fingerprint: string;
  /** ISO 8601 instants */
  issuedAt: string;
  expiresAt: string;
}

export function base64urlEncode(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function base64urlDecode(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function splitLeaseToken(token: string): {
  signed: string;
  payload: LeasePayload;
  signature: Uint8Array;
} {
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new Error('malformed lease token');
  const payload = JSON.parse(new TextDecoder().decode(base64urlDecode(parts[0]))) as LeasePayload;
  if (payload?.v !== 1 || typeof payload.sessionId !== 'string' || typeof payload.expiresAt !== 'string') {
    throw new Error('malformed lease payload');
  }
  return { signed: parts[0], payload, signature: base64urlDecode(parts[1]) };
}
