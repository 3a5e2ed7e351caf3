/** API tokens for scripts (Authorization: Bearer). Stored as sha256; shown once at creation; revocable. */
import type { Selectable } from 'kysely';
import { sha256Hex } from '../core/hash.ts';
import { newId, randomToken } from '../core/ids.ts';
import type { Executor } from './executor.ts';
import type { ApiTokensTable } from './schema.ts';

export type ApiTokenRow = Selectable<ApiTokensTable>;

/** Tokens carry a recognisable prefix so leaked ones can be found by secret scanners. */
export const API_TOKEN_PREFIX = 'lst_';

/** `parentTokenId`: the token the request that makes this one came with (revoking it revokes this). */
export async function createApiToken(
  db: Executor,
  userId: string,
  name: string,
  now: number,
  parentTokenId: string | null = null,
): Promise<{ row: ApiTokenRow; token: string }> {
  const token = `${API_TOKEN_PREFIX}${randomToken(32)}`;
  const row: ApiTokenRow = {
    id: newId('tok'),
    user_id: userId,
    name,
    token_hash: sha256Hex(token),
    created_at: now,
    last_used_at: null,
    revoked_at: null,
    parent_token_id: parentTokenId,
  };
  await db.insertInto('api_tokens').values(row).execute();
  return { row, token };
}

/** The live token row for a presented token, recording its use (at most once a minute). */
export async function findLiveApiToken(
  db: Executor,
  token: string,
  now: number,
): Promise<ApiTokenRow | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', sha256Hex(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (row.last_used_at === null || now - row.last_used_at >= 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
    row.last_used_at = now;
  }
  return row;
}

export async function listApiTokens(db: Executor, userId: string): Promise<ApiTokenRow[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

/**
 * Revokes one of the user's tokens and every token made with it, and with those, down the line;
 * the revoked token's id and name, or undefined when the user has no such live token.
 */
export async function revokeApiToken(
  db: Executor,
  userId: string,
  id: string,
  now: number,
): Promise<{ id: string; name: string } | undefined> {
  const revoked = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning(['id', 'name'])
    .executeTakeFirst();
  let parents = revoked ? [revoked.id] : [];
  while (parents.length > 0) {
    const children = await db
      .updateTable('api_tokens')
      .set({ revoked_at: now })
      .where('parent_token_id', 'in', parents)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    parents = children.map((c) => c.id);
  }
  return revoked;
}
