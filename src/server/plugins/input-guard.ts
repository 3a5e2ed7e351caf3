/**
 * Refuses NUL characters anywhere in path parameters, query strings and JSON bodies. PostgreSQL
 * text cannot hold U+0000 and would fail the query (a 500); no licstat field ever needs one.
 */
import { LicstatError } from '../../contract/errors.ts';
import type { App } from '../types.ts';

function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (depth > 64 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => hasNul(x, depth + 1));
  for (const [k, x] of Object.entries(v)) if (k.includes('\u0000') || hasNul(x, depth + 1)) return true;
  return false;
}

export function registerTextGuard(app: App): void {
  app.addHook('preValidation', async (request) => {
    if (hasNul(request.params) || hasNul(request.query) || hasNul(request.body))
      throw new LicstatError('VALIDATION_FAILED', 'text must not contain NUL (U+0000) characters');
  });
}
