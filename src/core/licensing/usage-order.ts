/**
 * A project's license usage order and the split of a metered batch across its items.
 * Default order: the item that expires first, then the one with the most quota left, then id
 * (so the order is total and stable). An admin's custom order wins for the items it lists;
 * items it does not list (added later) follow in the default order.
 */
export interface OrderCandidate {
  id: string;
  validTo: number;
  /** quota left now; Infinity when the model has no meaningful rest */
  remaining: number;
}

export function defaultUsageOrder<T extends OrderCandidate>(items: readonly T[]): T[] {
  return [...items].sort(
    (a, b) => a.validTo - b.validTo || b.remaining - a.remaining || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

export function effectiveUsageOrder<T extends OrderCandidate>(
  items: readonly T[],
  customOrder: readonly string[] | null,
): T[] {
  if (!customOrder || customOrder.length === 0) return defaultUsageOrder(items);
  const byId = new Map(items.map((i) => [i.id, i]));
  const listed: T[] = [];
  for (const id of customOrder) {
    const it = byId.get(id);
    if (it) {
      listed.push(it);
      byId.delete(id);
    }
  }
  return [...listed, ...defaultUsageOrder([...byId.values()])];
}

/** Parses projects.usage_order (JSON text); anything malformed counts as "no custom order". */
export function parseUsageOrder(text: string | null): string[] | null {
  if (!text) return null;
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) && v.every((x) => typeof x === 'string') ? v : null;
  } catch {
    return null;
  }
}

export interface Allocation {
  id: string;
  count: number;
}

/**
 * Splits `count` units across candidates in order, each taking at most its remaining quota;
 * what is left once all are used up is recorded as overage on the last one. Never drops units.
 * Mutates nothing: returns allocations (one per item that got units, in order).
 */
export function splitCount(
  count: number,
  candidates: readonly { id: string; remaining: number }[],
): Allocation[] {
  if (candidates.length === 0) throw new Error('splitCount needs at least one candidate');
  const out = new Map<string, number>();
  let left = count;
  for (const c of candidates) {
    if (left <= 0) break;
    const take = Math.min(left, Math.max(0, c.remaining));
    if (take > 0) {
      out.set(c.id, (out.get(c.id) ?? 0) + take);
      left -= take;
    }
  }
  if (left > 0) {
    const last = candidates[candidates.length - 1]!.id;
    out.set(last, (out.get(last) ?? 0) + left);
  }
  return [...out].map(([id, n]) => ({ id, count: n }));
}
