/**
 * Spreadsheet formula injection: a cell starting with = + - @ (or a tab, CR or LF that some
 * spreadsheets skip before one) would run as a formula. Prefix such cells with a single quote (OWASP advice).
 * Numbers are written unformatted and are not cells of text, so they pass untouched.
 */
const DANGEROUS_START = /^[=+\-@\t\r\n]/;

export function neutraliseCell(value: string): string {
  return DANGEROUS_START.test(value) ? `'${value}` : value;
}

export type CsvCell = string | number | null;

export function neutraliseRow(row: readonly CsvCell[]): (string | number)[] {
  return row.map((c) => (c === null ? '' : typeof c === 'number' ? c : neutraliseCell(c)));
}
