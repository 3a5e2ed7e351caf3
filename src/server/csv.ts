/**
 * Streams a CSV reply: RFC 4180 (CRLF, quotes doubled), UTF-8, a header row, formula cells
 * neutralised. Rows come from an async iterable and pass through a stream with backpressure, so
 * a million rows use the memory of a few. Rows are formatted here and written in chunks of about
 * 64 KB: one string per chunk instead of a stream write per row keeps the per-row cost and the
 * garbage (which the server's peak RSS follows) small.
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { type CsvCell, neutraliseRow } from '../core/csv-safety.ts';

export interface CsvExport {
  filename: string;
  header: readonly string[];
  rows: AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>;
}

const CHUNK_CHARS = 64 * 1024;
const NEEDS_QUOTES = /[",\r\n]/;

/** One RFC 4180 field: quoted (quotes doubled) only when it holds a comma, quote or line break. */
function field(v: string | number): string {
  if (typeof v === 'number') return String(v);
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function csvLine(row: readonly CsvCell[]): string {
  return `${neutraliseRow(row).map(field).join(',')}\r\n`;
}

async function* chunks(exp: CsvExport): AsyncGenerator<string> {
  let buf = csvLine(exp.header);
  for await (const row of exp.rows) {
    buf += csvLine(row);
    if (buf.length >= CHUNK_CHARS) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}

/** A safe filename for Content-Disposition (ASCII, no quotes or path separators). */
const safeFilename = (name: string): string =>
  name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'export.csv';

export function sendCsv(reply: FastifyReply, exp: CsvExport): FastifyReply {
  // Byte mode with a small buffer: at most a few chunks wait for a slow reader.
  const body = Readable.from(chunks(exp), { objectMode: false, highWaterMark: 2 * CHUNK_CHARS });
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${safeFilename(exp.filename)}"`)
    .header('cache-control', 'no-store')
    .send(body);
}
