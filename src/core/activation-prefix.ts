/**
 * The prefix the portal shows instead of a whole activation code: whole groups of the code
 * (K7QX, K7QX-M2PA, …), the shortest that is at least 4 characters and that no other code of the
 * organization starts with. Computed at read time, so adding a code lengthens older prefixes
 * when it must.
 */
export function groupPrefixes(code: string): string[] {
  const groups = code.split('-');
  const out: string[] = [];
  for (let i = 1; i <= groups.length; i++) {
    const p = groups.slice(0, i).join('-');
    if (p.length >= 4) out.push(p);
  }
  return out.length > 0 ? out : [code];
}

const commonLength = (a: string, b: string): number => {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
};

/**
 * code → its distinguishing prefix among `codes` (the organization's codes). Codes sharing a
 * prefix are neighbours once sorted, so comparing each with its neighbours suffices: O(n log n).
 */
export function distinctPrefixes(codes: readonly string[]): Map<string, string> {
  const sorted = [...new Set(codes)].sort();
  const out = new Map<string, string>();
  sorted.forEach((code, i) => {
    const prev = i > 0 ? sorted[i - 1]! : '';
    const next = i + 1 < sorted.length ? sorted[i + 1]! : '';
    const shared = Math.max(commonLength(code, prev), commonLength(code, next));
    out.set(code, groupPrefixes(code).find((p) => p.length > shared) ?? code);
  });
  return out;
}
