import { describe, expect, test } from 'vitest';
import { base64urlDecode, base64urlEncode, type LeasePayload } from '../contract/lease.ts';
import { createLeaseSigner, generateKeyPairPem } from '../core/lease-signer.ts';
import { importLeaseKey, verifyLeaseToken } from './lease-verify.ts';

const now = Date.parse('2026-11-25T12:00:00Z');
const keys = generateKeyPairPem();
const signer = createLeaseSigner('k1', keys.publicKeyPem, keys.privateKeyPem);
const payload: LeasePayload = {
  v: 1,
  sessionId: 'ses_1',
  licenseItemId: 'LI-00001',
  mode: 'full',
  modules: ['scan', 'ocr'],
  fingerprint: 'fp-1',
  issuedAt: new Date(now).toISOString(),
  expiresAt: new Date(now + 3_600_000).toISOString(),
};

describe('verifyLeaseToken (WebCrypto Ed25519)', () => {
  test('accepts a lease the server signed', async () => {
    const key = await importLeaseKey(signer.publicKeyRaw);
    const p = await verifyLeaseToken(key, await signer.sign(payload), {
      now,
      sessionId: 'ses_1',
      fingerprint: 'fp-1',
    });
    expect(p).toEqual(payload);
  });

  test('rejects a tampered payload, a tampered signature and another key', async () => {
    const key = await importLeaseKey(signer.publicKeyRaw);
    const token = await signer.sign(payload);
    const [head, sig] = token.split('.') as [string, string];
    const forged = base64urlEncode(
      new TextEncoder().encode(JSON.stringify({ ...payload, mode: 'full', modules: ['all'] })),
    );
    await expect(verifyLeaseToken(key, `${forged}.${sig}`, { now })).rejects.toMatchObject({
      code: 'LEASE_INVALID',
    });
    const bad = base64urlDecode(sig);
    bad[0]! ^= 1;
    await expect(verifyLeaseToken(key, `${head}.${base64urlEncode(bad)}`, { now })).rejects.toMatchObject({
      code: 'LEASE_INVALID',
    });
    const other = generateKeyPairPem();
    const otherSigner = createLeaseSigner('k2', other.publicKeyPem, other.privateKeyPem);
    await expect(verifyLeaseToken(key, await otherSigner.sign(payload), { now })).rejects.toMatchObject({
      code: 'LEASE_INVALID',
    });
    await expect(verifyLeaseToken(key, 'garbage', { now })).rejects.toMatchObject({ code: 'LEASE_INVALID' });
  });

  test('rejects an expired lease, another session and another machine', async () => {
    const key = await importLeaseKey(signer.publicKeyRaw);
    const token = await signer.sign(payload);
    await expect(verifyLeaseToken(key, token, { now: now + 3_600_000 })).rejects.toThrow(/expired/);
    // a clock ahead of the server's by less than the tolerance still accepts it; by more, not
    const ahead = { now: now + 3_600_000, clockToleranceMs: 10 * 60_000 };
    const expiresAt = Date.parse(payload.expiresAt);
    await expect(
      verifyLeaseToken(key, token, { ...ahead, now: expiresAt + 9 * 60_000 }),
    ).resolves.toBeDefined();
    await expect(verifyLeaseToken(key, token, { ...ahead, now: expiresAt + 10 * 60_000 })).rejects.toThrow(
      /expired/,
    );
    await expect(verifyLeaseToken(key, token, { now, sessionId: 'ses_2' })).rejects.toThrow(
      /another session/,
    );
    await expect(verifyLeaseToken(key, token, { now, fingerprint: 'fp-2' })).rejects.toThrow(
      /another machine/,
    );
  });

  test('a productId expectation refuses leases of another product, or naming none, with WRONG_PRODUCT', async () => {
    const key = await importLeaseKey(signer.publicKeyRaw);
    const bound = await signer.sign({ ...payload, productId: 'prd_scan' });
    await expect(verifyLeaseToken(key, bound, { now, productId: 'prd_scan' })).resolves.toMatchObject({
      productId: 'prd_scan',
    });
    await expect(verifyLeaseToken(key, bound, { now, productId: 'prd_vision' })).rejects.toMatchObject({
      code: 'WRONG_PRODUCT',
      message: expect.stringMatching(/for product prd_scan/),
    });
    // a lease from a server that does not bind leases to products proves no product
    const unbound = await signer.sign(payload);
    await expect(verifyLeaseToken(key, unbound, { now, productId: 'prd_scan' })).rejects.toMatchObject({
      code: 'WRONG_PRODUCT',
    });
    await expect(verifyLeaseToken(key, unbound, { now })).resolves.toEqual(payload);
  });

  test('rejects a key of the wrong length', async () => {
    await expect(importLeaseKey('AAAA')).rejects.toMatchObject({ code: 'LEASE_INVALID' });
  });
});
