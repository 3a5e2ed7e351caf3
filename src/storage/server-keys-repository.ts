import { generateKeyPairPem } from '../core/lease-signer.ts';
import type { Executor } from './executor.ts';

/** The one lease signing key's row id. */
const LEASE_KEY_ID = 'lease-1';

export interface SigningKey {
  id: string;
  publicKeyPem: string;
  privateKeyPem: string;
}

/** The lease signing key loadOrCreateSigningKey keeps, read only: undefined until one was made. */
export async function loadSigningKey(db: Executor): Promise<SigningKey | undefined> {
  const row = await db
    .selectFrom('server_keys')
    .selectAll()
    .where('id', '=', LEASE_KEY_ID)
    .executeTakeFirst();
  return row && { id: row.id, publicKeyPem: row.public_key, privateKeyPem: row.private_key };
}

/**
 * The lease signing key is created on first start and kept in the database, so every server
 * process sharing the database signs with the same key. Concurrent first starts race on the
 * fixed id; the loser reads the winner's key.
 */
export async function loadOrCreateSigningKey(db: Executor, now: number): Promise<SigningKey> {
  const existing = await loadSigningKey(db);
  if (existing) return existing;
  const kp = generateKeyPairPem();
  await db
    .insertInto('server_keys')
    .values({ id: LEASE_KEY_ID, public_key: kp.publicKeyPem, private_key: kp.privateKeyPem, created_at: now })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const key = await loadSigningKey(db);
  if (!key) throw new Error('the lease signing key was not stored');
  return key;
}
