/**
 * Streams a CSV reply: RFC 4180 (CRLF, quotes doubled), UTF-8, a header row, formula cells
 * neutralised. Rows come from an async iterable and pass through a stream with backpressure, so
 * a million rows use the memory of a few.
 */
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { FastifyReply } from 'fastify';
import { type CsvCell, neutraliseRow } from '../core/csv-safety.ts';

export interface CsvExport {
  filename: string;
  header: readonly string[];
  rows: AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>;
}

async function* lines(exp: CsvExport): AsyncGenerator<(string | number)[]> {
  yield neutraliseRow(exp.header);
  for await (const row of exp.rows) yield neutraliseRow(row);
}

/** A safe filename for Content-Disposition (ASCII, no quotes or path separators). */
const safeFilename = (name: string): string =>
  name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'export.csv';

export function sendCsv(reply: FastifyReply, exp: CsvExport): FastifyReply {
  const stringifier = stringify({ record_delimiter: '\r\n', cast: { number: (n) => String(n) } });
  const source = Readable.from(lines(exp));
  source.on('error', (err) => stringifier.destroy(err));
  source.pipe(stringifier);
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${safeFilename(exp.filename)}"`)
    .header('cache-control', 'no-store')
    .send(stringifier);
}
