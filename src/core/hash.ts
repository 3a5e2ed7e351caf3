import { createHash, timingSafeEqual } from 'node:crypto';

/** Secrets (session cookies, API tokens) are stored only as their sha256, hex. */
export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Constant-time string comparison (for tokens compared in the clear, like CSRF tokens). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
