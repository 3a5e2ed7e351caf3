import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';

// ulid() alone asks the OS for one random byte per character (16 calls per id); a pool of
// crypto-random bytes gives the same uniform characters (256 is a multiple of 32) far cheaper.
const POOL = 4096;
let pool = randomBytes(POOL);
let at = 0;
const pooledPrng = (): number => {
  if (at === POOL) {
    pool = randomBytes(POOL);
    at = 0;
  }
  return pool[at++]! / 256;
};

/** Sortable ids (ULID) with a short type prefix, e.g. `ses_01J…`. */
export const newId = (prefix: string): string => `${prefix}_${ulid(Date.now(), pooledPrng)}`;

/** Human-readable sequential id, e.g. LI-00042. */
export const formatSeqId = (prefix: string, n: number): string => `${prefix}-${String(n).padStart(5, '0')}`;

// Crockford base32 without I, L, O, U: unambiguous when read aloud or typed from a printout.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A license key like K7QX-M2PA-9F3D-HT8R-W1ZC (100 random bits). */
export function newLicenseCode(groups = 5): string {
  const bytes = randomBytes(groups * 4);
  const chars = [...bytes].map((b) => ALPHABET[b & 31]);
  const out: string[] = [];
  for (let g = 0; g < groups; g++) out.push(chars.slice(g * 4, g * 4 + 4).join(''));
  return out.join('-');
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
