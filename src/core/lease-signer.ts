/** Signs and verifies lease tokens with Ed25519 (node:crypto); the format lives in contract/lease. */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  sign,
  verify,
} from 'node:crypto';
import { type LeasePayload, splitLeaseToken } from '../contract/lease.ts';

export interface LeaseSigner {
  /** PEM (SPKI) public key */
  publicKeyPem: string;
  /** raw 32-byte public key, base64url: what WebCrypto importKey('raw') takes */
  publicKeyRaw: string;
  keyId: string;
  /**
   * Signs on libuv's thread pool (node:crypto's callback form): an Ed25519 signature costs ~35 µs
   * of CPU here, and every session start and renewal signs one; the event loop pays ~8 µs.
   */
  sign(payload: LeasePayload): Promise<string>;
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
      // Buffer's base64url is contract/lease's base64urlEncode (no padding), done natively:
      // every session start and renewal signs a lease.
      const head = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
      return new Promise((resolve, reject) =>
        sign(null, Buffer.from(head, 'latin1'), priv, (err, sig) =>
          err ? reject(err) : resolve(`${head}.${sig.toString('base64url')}`),
        ),
      );
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
