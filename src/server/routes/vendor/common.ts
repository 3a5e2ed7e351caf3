/** Request pieces shared by the vendor and portal resource routes (not a route module). */
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import { distinctPrefixes } from '../../../core/activation-prefix.ts';
import type { ActivationCodeRow, LicenseItemRow, Scope } from '../../../storage/catalog-repository.ts';
import type { Executor } from '../../../storage/executor.ts';
import { NOT_BLANK } from '../../plugins/validation.ts';
import { presentActivationCode, presentLicenseItem } from '../../present.ts';
import type { Principal } from '../../principal.ts';
import { scopeOf } from '../../principal.ts';

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
export const Name = Type.String({ minLength: 1, maxLength: 200, pattern: NOT_BLANK });
export const ModuleList = Type.Array(Type.String({ minLength: 1, maxLength: 100, pattern: NOT_BLANK }), {
  maxItems: 200,
  uniqueItems: true,
});

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;
export const Instant = Type.String({
  minLength: 10,
  maxLength: 40,
  description: 'ISO 8601 instant or date (UTC)',
});

/**
 * Date.parse moves impossible dates on (2027-02-30 becomes 2027-03-02): the date must be a day of
 * its month and the time of day a real one (hours below 24, minutes and seconds below 60).
 */
function isCalendarTime(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return false;
  const time = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  return !time || (Number(time[1]) < 24 && Number(time[2]) < 60 && Number(time[3] ?? 0) < 60);
}

/** ISO 8601 instant (or a date, meaning its UTC midnight) → epoch ms; 400 otherwise. */
export function parseInstant(text: string, field: string): number {
  const ms = ISO_INSTANT.test(text) && isCalendarTime(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new LicstatError('VALIDATION_FAILED', `${field} must be an ISO 8601 date-time`);
  return ms;
}

export const notFound = (what: string, id: string): LicstatError =>
  new LicstatError('NOT_FOUND', `no ${what} ${id}`);

export const badReference = (what: string, id: string): LicstatError =>
  new LicstatError('INVALID_REFERENCE', `unknown ${what} ${id}`);

/** Customers act only inside their organization; vendors name one. */
export function targetOrganization(p: Principal, requested: string | undefined): string {
  if (p.role === 'vendor') {
    if (!requested) throw new LicstatError('VALIDATION_FAILED', 'body.organizationId is required');
    return requested;
  }
  if (requested && requested !== p.organizationId) throw badReference('organization', requested);
  return p.organizationId!;
}

export const scope = (p: Principal): Scope => scopeOf(p);

/** Items as resources, with their product names (one query for all). */
export async function presentItems(
  db: Executor,
  items: readonly LicenseItemRow[],
): Promise<ReturnType<typeof presentLicenseItem>[]> {
  const ids = [...new Set(items.map((i) => i.product_id))];
  const names = new Map<string, string>();
  if (ids.length > 0) {
    const rows = await db.selectFrom('products').select(['id', 'name']).where('id', 'in', ids).execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  return items.map((i) => presentLicenseItem(i, names.get(i.product_id) ?? ''));
}

/** Display prefixes of the codes of these organizations (unique within each organization). */
export async function codePrefixes(
  db: Executor,
  organizationIds: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const orgs = [...new Set(organizationIds)];
  if (orgs.length === 0) return out;
  const rows = await db
    .selectFrom('activation_codes')
    .select(['organization_id', 'code'])
    .where('organization_id', 'in', orgs)
    .execute();
  for (const org of orgs) {
    const m = distinctPrefixes(rows.filter((r) => r.organization_id === org).map((r) => r.code));
    for (const [code, prefix] of m) out.set(code, prefix);
  }
  return out;
}

export async function presentCodes(
  db: Executor,
  codes: readonly ActivationCodeRow[],
  showCode: boolean,
): Promise<ReturnType<typeof presentActivationCode>[]> {
  const prefixes = await codePrefixes(
    db,
    codes.map((c) => c.organization_id),
  );
  return codes.map((c) => presentActivationCode(c, prefixes.get(c.code) ?? c.prefix, showCode));
}
