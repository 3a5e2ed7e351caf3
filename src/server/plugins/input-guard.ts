/**
 * Input the schemas let through but the databases cannot take, refused as 400 VALIDATION_FAILED:
 * - NUL characters in path parameters, query strings and JSON bodies (PostgreSQL text cannot
 *   hold U+0000; no licstat field needs one), checked before validation;
 * - non-finite numbers after validation: Ajv's coercion turns "Infinity" (and JSON's 1e309) into
 *   Infinity and lets it pass `integer` and `maximum`, which PostgreSQL then rejects with a 500.
 */
import { LicstatError } from '../../contract/errors.ts';
import type { App } from '../types.ts';

function some(v: unknown, bad: (leaf: unknown) => boolean, depth = 0): boolean {
  if (bad(v)) return true;
  if (depth > 64 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => some(x, bad, depth + 1));
  for (const [k, x] of Object.entries(v)) if (bad(k) || some(x, bad, depth + 1)) return true;
  return false;
}

const hasNul = (v: unknown) => typeof v === 'string' && v.includes('\u0000');
const nonFinite = (v: unknown) => typeof v === 'number' && !Number.isFinite(v);

export function registerInputGuard(app: App): void {
  app.addHook('preValidation', async (request) => {
    if (some(request.params, hasNul) || some(request.query, hasNul) || some(request.body, hasNul))
      throw new LicstatError('VALIDATION_FAILED', 'text must not contain NUL (U+0000) characters');
  });
  app.addHook('preHandler', async (request) => {
    if (some(request.query, nonFinite) || some(request.body, nonFinite))
      throw new LicstatError('VALIDATION_FAILED', 'numbers must be finite');
  });
}
