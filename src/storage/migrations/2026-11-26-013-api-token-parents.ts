/**
 * Frozen. A token made with another token remembers it (`parent_token_id`): revoking a token
 * revokes what was made with it, so a leaked token cannot leave a successor behind.
 */
import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are typed against no schema on purpose (frozen in time)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('api_tokens').addColumn('parent_token_id', 'text').execute();
  await db.schema.createIndex('api_tokens_parent').on('api_tokens').column('parent_token_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('api_tokens_parent').ifExists().execute();
  await db.schema.alterTable('api_tokens').dropColumn('parent_token_id').execute();
}
