import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64urlDecode } from '../../src/contract/lease.ts';
import { DIALECTS } from '../support/dialects.ts';
import { createTestApp, type TestApp } from '../support/test-app.ts';
import { auth, fixture } from './fixtures.ts';

/** Verifies a lease token with only the published key, as an SDK would offline. */
function verifyWithPublished(token: string, publicKeyPem: string): boolean {
  const [head, sig] = token.split('.');
  if (!head || !sig) return false;
  try {
    return verify(null, Buffer.from(head, 'ascii'), createPublicKey(publicKeyPem), base64urlDecode(sig));
  } catch {
    return false;
  }
}

describe.each(DIALECTS)('lease tokens on $name', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect.url());
  });
  afterAll(async () => t.close());

  it('verify with the published key and fail after any byte is changed', async () => {
    const f = await fixture(t.deps, { model: 'multi-user', quota: 1, refreshS: 7200 });
    const started = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/client/sessions',
        headers: auth(f.code.code),
        payload: { fingerprint: 'fp-1', email: 'u@example.com' },
      })
    ).json();
    const { publicKeyPem } = (await t.app.inject('/api/v1/client/public-key')).json();
    const token: string = started.lease.token;
    expect(verifyWithPublished(token, publicKeyPem)).toBe(true);

    const payload = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    expect(payload).toMatchObject({
      v: 1,
      sessionId: started.session.id,
      licenseItemId: f.item.id,
      productId: f.item.product_id,
      mode: 'full',
      modules: ['core', 'ocr'],
      fingerprint: 'fp-1',
      expiresAt: new Date(t.clock.now() + 7_200_000).toISOString(),
    });
    expect(started.lease.expiresAt).toBe(payload.expiresAt);

    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const replacement = alphabet[(alphabet.indexOf(token[i]!) + 1) % alphabet.length]!;
      const tampered = token.slice(0, i) + replacement + token.slice(i + 1);
      // The last base64url character may carry unused bits; a change there can decode to the same bytes.
      const sameBytes =
        i === token.length - 1 &&
        Buffer.compare(
          Buffer.from(tampered.split('.')[1]!, 'base64url'),
          Buffer.from(token.split('.')[1]!, 'base64url'),
        ) === 0;
      if (!sameBytes) expect(verifyWithPublished(tampered, publicKeyPem), `byte ${i}`).toBe(false);
    }

    const renewed = (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/client/sessions/${started.session.id}/renew`,
        headers: auth(f.code.code),
      })
    ).json();
    expect(verifyWithPublished(renewed.lease.token, publicKeyPem)).toBe(true);
  });
});
