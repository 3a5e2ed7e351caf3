import { generateKeyPairPem } from '../core/lease-signer.ts';
import type { Executor } from './executor.ts';

/**
 * The lease signing key is created on first start and kept in the database, so every server
 * process sharing the database signs with the same key. Concurrent first starts race on the
 * fixed id; the loser reads the winner's key.
 */
export async function loadOrCreateSigningKey(
  db: Executor,
  now: number,
): Promise<{ id: string; publicKeyPem: string; privateKeyPem: string }> {
  const existing = await db
    .selectFrom('server_keys')
    .selectAll()
    .where('id', '=', 'lease-1')
    .executeTakeFirst();
  if (!existing) {
    const kp = generateKeyPairPem();
    await db
      .insertInto('server_keys')
      .values({ id: 'lease-1', public_key: kp.publicKeyPem, private_key: kp.privateKeyPem, created_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const row = await db
    .selectFrom('server_keys')
    .selectAll()
    .where('id', '=', 'lease-1')
    .executeTakeFirstOrThrow();
  return { id: row.id, publicKeyPem: row.public_key, privateKeyPem: row.private_key };
}
