/**
 * `licstat export`: the portal's CSV exports from the command line, computed by the same
 * functions the portal API uses (usage statistics rows, session history pages), streamed to a
 * file or stdout with the same CSV rules (RFC 4180, formula cells neutralised).
 */
import { createWriteStream } from 'node:fs';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { Option } from 'commander';
import { stringify } from 'csv-stringify';
import { type CsvCell, neutraliseRow } from '../../core/csv-safety.ts';
import {
  byEmailThenProgram,
  durationMs,
  type SessionCursor,
  sessionStatus,
  wholeSeconds,
} from '../../core/session-history.ts';
import { isoInZone, parseBoundary, resolveTimeZone } from '../../core/stats/period.ts';
import { CONDENSED_CSV_COLUMNS, FULL_CSV_COLUMNS } from '../../server/routes/portal/sessions.ts';
import {
  USAGE_CSV_COLUMNS,
  usageCsvCells,
  usageStatisticsRows,
} from '../../server/routes/portal/usage-statistics.ts';
import { condensedHistory, fullHistoryPage } from '../../storage/session-history-repository.ts';
import { interruptible, openExistingStorage, organizationIdOf, progressBar } from '../context.ts';

interface Common {
  org: string;
  tz: string;
  out?: string;
  database?: string;
}

/** Writes header + rows as CSV to --out or stdout, with backpressure. */
async function writeCsv(
  out: string | undefined,
  header: readonly string[],
  rows: AsyncIterable<readonly CsvCell[]>,
): Promise<void> {
  async function* lines() {
    yield neutraliseRow(header);
    for await (const r of rows) yield neutraliseRow(r);
  }
  const sink: Writable = out ? createWriteStream(out) : process.stdout;
  await pipeline(
    Readable.from(lines()),
    stringify({ record_delimiter: '\r\n', cast: { number: (n) => String(n) } }),
    sink,
    { end: out !== undefined },
  );
}

export function registerExport(program: Command): void {
  const exp = program.command('export').description('export usage statistics or session history as CSV');
  const common = (c: Command) =>
    c
      .requiredOption('--org <idOrName>', 'organization id or exact name')
      .option('--tz <zone>', 'IANA time zone for dates', 'UTC')
      .option('--out <file>', 'write to this file (default stdout)')
      .option('--database <url>', 'database URL instead of DATABASE_URL');

  common(
    exp
      .command('usage-statistics')
      .description('the License Usage Statistics table (one row per item and activation code)'),
  ).action(async (o: Common) => {
    const db = await openExistingStorage(o.database);
    try {
      const tz = resolveTimeZone(o.tz, 'UTC');
      const rows = await usageStatisticsRows(db.kysely, await organizationIdOf(db, o.org), Date.now(), tz);
      await writeCsv(
        o.out,
        USAGE_CSV_COLUMNS,
        (async function* () {
          for (const r of rows) yield usageCsvCells(r);
        })(),
      );
      if (o.out) process.stderr.write(`wrote ${rows.length} rows to ${o.out}\n`);
    } finally {
      await db.close();
    }
  });

  common(
    exp
      .command('sessions')
      .description('session history in a period, full (one row per session) or condensed'),
  )
    .addOption(
      new Option('--view <view>', 'full or condensed').choices(['full', 'condensed']).default('full'),
    )
    .option('--from <date>', 'start (ISO date or instant, in --tz; default 3 months before --to)')
    .option('--to <date>', 'end (ISO date or instant, in --tz; default now)')
    .action(async (o: Common & { view: 'full' | 'condensed'; from?: string; to?: string }) => {
      const db = await openExistingStorage(o.database);
      const stop = interruptible();
      try {
        const tz = resolveTimeZone(o.tz, 'UTC');
        const now = Date.now();
        const to = o.to ? parseBoundary(o.to, tz, 'to') : now;
        const from = o.from ? parseBoundary(o.from, tz, 'from') : to - 92 * 86_400_000;
        if (from >= to) throw new Error('--from must be before --to');
        const filter = { organizationId: await organizationIdOf(db, o.org), from, to, now };
        if (o.view === 'condensed') {
          const groups = (await condensedHistory(db.kysely, filter))
            .map((g) => ({ ...g, durationSeconds: wholeSeconds(g.durationMs) }))
            .sort(byEmailThenProgram);
          await writeCsv(
            o.out,
            CONDENSED_CSV_COLUMNS,
            (async function* () {
              for (const g of groups) yield [g.program, g.email, g.durationSeconds, g.sessions];
            })(),
          );
          return;
        }
        const bar = o.out ? progressBar('exporting sessions', 1) : { update() {}, stop() {} };
        let written = 0;
        // Keyset pages of 1000, as the portal's CSV: memory stays flat. Ctrl-C ends after a page.
        async function* rows(): AsyncGenerator<CsvCell[]> {
          let after: SessionCursor | null = null;
          for (;;) {
            const page = await fullHistoryPage(db.kysely, filter, after, 1000);
            for (const s of page.rows) {
              yield [
                isoInZone(s.started_at, tz),
                s.program,
                s.version,
                s.email,
                s.hostname ?? s.fingerprint,
                wholeSeconds(durationMs(s, now)),
                sessionStatus(s, now),
              ];
            }
            written += page.rows.length;
            bar.update(written, written + (page.next ? 1000 : 0));
            if (!page.next || stop.stopped) return;
            after = page.next;
          }
        }
        await writeCsv(o.out, FULL_CSV_COLUMNS, rows());
        bar.stop();
        if (o.out)
          process.stderr.write(
            `wrote ${written} sessions to ${o.out}${stop.stopped ? ' (stopped early)' : ''}\n`,
          );
      } finally {
        stop.dispose();
        await db.close();
      }
    });
}
