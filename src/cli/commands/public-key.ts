import type { Command } from 'commander';
import { createLeaseSigner } from '../../core/lease-signer.ts';
import { loadOrCreateSigningKey, loadSigningKey } from '../../storage/server-keys-repository.ts';
import { openExistingStorage, openStorage } from '../context.ts';

/**
 * `licstat public-key`: the server's lease key, for a vendor to build into the program (SDK option
 * `publicKey`), so that the program accepts only leases this server signed. Read from the
 * database, not asked of a server: asking one over the network would trust whoever answers.
 *
 * A database without a key (the server creates it at its first start) is an error, not a reason to
 * create one, unless --create is given: a key made against a mistyped --database would be built
 * into programs that no server then licenses. For the same reason, without --create a missing
 * database (or one without the licstat schema) is an error too, and none is created.
 */
export function registerPublicKey(program: Command): void {
  program
    .command('public-key')
    .description(
      "print the server's lease public key (raw base64url Ed25519) to build into licensed programs (SDK option publicKey)",
    )
    .option('--pem', 'print the PEM (SPKI) form instead')
    .option(
      '--create',
      'create the key if the database has none yet, and the database itself (migrated) if missing, as the server does at its first start',
    )
    .option('--database <url>', 'database URL instead of DATABASE_URL')
    .action(async (o: { pem?: boolean; create?: boolean; database?: string }) => {
      // --create sets up what the server's first start would: the database and schema, then the key
      const db = o.create ? await openStorage(o.database) : await openExistingStorage(o.database);
      try {
        const key = o.create
          ? await loadOrCreateSigningKey(db.kysely, Date.now())
          : await loadSigningKey(db.kysely);
        if (!key)
          throw new Error(
            'this database has no lease signing key yet: start the server on it once (licstat serve), or pass --create',
          );
        // derived as the server derives what GET /client/public-key answers
        const signer = createLeaseSigner(key.id, key.publicKeyPem, key.privateKeyPem);
        process.stdout.write(o.pem ? signer.publicKeyPem.replace(/\n?$/, '\n') : `${signer.publicKeyRaw}\n`);
      } finally {
        await db.close();
      }
    });
}
