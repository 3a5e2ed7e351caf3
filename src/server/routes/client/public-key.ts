import { Type } from 'typebox';
import type { RouteModule } from '../../types.ts';

const publicKey: RouteModule = (app, deps) => {
  app.get(
    '/client/public-key',
    {
      schema: {
        tags: ['client'],
        summary: 'The Ed25519 public key that verifies lease tokens',
        response: {
          200: Type.Object({
            algorithm: Type.Literal('Ed25519'),
            keyId: Type.String(),
            publicKeyPem: Type.String(),
            publicKeyRaw: Type.String({
              description: 'raw 32-byte key, base64url (WebCrypto importKey raw)',
            }),
          }),
        },
      },
    },
    async () => ({
      algorithm: 'Ed25519' as const,
      keyId: deps.signer.keyId,
      publicKeyPem: deps.signer.publicKeyPem,
      publicKeyRaw: deps.signer.publicKeyRaw,
    }),
  );
};
export default publicKey;
