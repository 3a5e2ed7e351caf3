import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/** Repositories accept either the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
