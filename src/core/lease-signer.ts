/** Signs and verifies lease tokens with Ed25519 (node:crypto); the format lives in contract/lease. */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { base64urlEncode, type LeasePayload, splitLeaseToken } from '../contract/lease.ts';

export interface LeaseSigner {
  /** PEM (SPKI) public key */
  publicKeyPem: string;
  /** raw 32-byte public key, base64url: what WebCrypto importKey('raw') takes */
  publicKeyRaw: string;
  keyId: string;
  sign(payload: LeasePayload): string;
  verify(token: string): LeasePayload | null;
}

export function generateKeyPairPem(): { publicKeyPem: string; privateKeyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function createLeaseSigner(keyId: string, publicKeyPem: string, privateKeyPem: string): LeaseSigner {
  const priv: KeyObject = createPrivateKey(privateKeyPem);
  const pub: KeyObject = createPublicKey(publicKeyPem);
  const jwk = pub.export({ format: 'jwk' });
  return {
    keyId,
    publicKeyPem,
    publicKeyRaw: String(jwk.x),
    sign(payload) {
      const head = base64urlEncode(new TextEncoder().encode(JSON.stringify(payload)));
      const sig = sign(null, Buffer.from(head, 'ascii'), priv);
      return `${head}.${base64urlEncode(sig)}`;
    },
    verify(token) {
      try {
        const { signed, payload, signature } = splitLeaseToken(token);
        return verify(null, Buffer.from(signed, 'ascii'), pub, signature) ? payload : null;
      } catch {
        return null;
      }
    },
  };
}
