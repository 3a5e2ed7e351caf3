/** Figure 5: the portal's gzipped JS per page and Chromium's time to show the project stats page. */
import type { Db } from '../../src/storage/db.ts';
import type { Figure } from '../lib/figure.ts';
import type { Child } from '../lib/proc.ts';

export async function portal(
  _db: Db,
  _server: Child,
  _opts: { quick: boolean; log: (s: string) => void },
): Promise<Figure[]> {
  throw new Error('portal figure not written yet');
}
