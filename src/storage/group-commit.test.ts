import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDb } from './db.ts';

const db = openDb(`sqlite:${join(mkdtempSync(join(tmpdir(), 'licstat-gc-')), 'gc.db')}`);
await migrateToLatest(db);
afterAll(() => db.close());

const counterValue = async (name: string) =>
  (await db.kysely.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst())?.value;

describe('SQLite group commit', () => {
  it('runs concurrent units serially, rolls back only the unit that throws', async () => {
    const name = `gc-${Date.now()}`;
    const seen: number[] = [];
    const units = Array.from({ length: 40 }, (_, i) =>
      db.transaction(async (trx) => {
        const row = await trx
          .selectFrom('counters')
          .select('value')
          .where('name', '=', name)
          .executeTakeFirst();
        const v = (row?.value ?? 0) + 1;
        await trx
          .insertInto('counters')
          .values({ name, value: v })
          .onConflict((oc) => oc.column('name').doUpdateSet({ value: v }))
          .execute();
        if (i % 5 === 4) throw new Error(`unit ${i} fails after writing`);
        seen.push(v);
        return v;
      }),
    );
    const results = await Promise.allSettled(units);
    const failed = results.filter((r) => r.status === 'rejected');
    expect(failed).toHaveLength(8);
    // Each successful unit saw exactly the successful writes before it: 1, 2, … 32, no gaps.
    expect(seen).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
    expect(await counterValue(name)).toBe(32);
  });

  it('a lone failing unit leaves nothing behind', async () => {
    const name = `gc-lone-${Date.now()}`;
    await expect(
      db.transaction(async (trx) => {
        await trx.insertInto('counters').values({ name, value: 1 }).execute();
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await counterValue(name)).toBeUndefined();
  });
});
