/**
 * Session history (SPEC §4.4): GET /sessions?view=full|condensed&from=&to=&tz= (full view paged
 * with limit/cursor) and GET /sessions.csv (the whole view, streamed). Admins: their organization;
 * vendors: ?organizationId=.
 */

import { Temporal } from 'temporal-polyfill';
import { Type } from 'typebox';
import { LicstatError } from '../../../contract/errors.ts';
import type {
  CondensedSessionRow,
  SessionHistoryCondensed,
  SessionHistoryFull,
  SessionHistoryRow,
} from '../../../contract/portal.ts';
import {
  byEmailThenProgram,
  decodeCursor,
  durationMs,
  effectiveEnd,
  encodeCursor,
  type SessionCursor,
  sessionStatus,
  wholeSeconds,
} from '../../../core/session-history.ts';
import { isoInZone, parseBoundary, resolveTimeZone } from '../../../core/stats/period.ts';
import { isoFormatter } from '../../../core/stats/zoned.ts';
import { todayWindow } from '../../../core/time-buckets.ts';
import type { Executor } from '../../../storage/executor.ts';
import {
  condensedHistory,
  fullHistoryPage,
  type HistoryFilter,
  type HistorySession,
  leftOutOfHistory,
} from '../../../storage/session-history-repository.ts';
import { sendCsv } from '../../csv.ts';
import type { Principal } from '../../principal.ts';
import { principalOf, requireRole } from '../../principal.ts';
import type { RouteModule } from '../../types.ts';
import { CsvBody } from '../responses.ts';
import { SessionHistorySchema } from '../vendor/schemas.ts';
import { OrgQuery, organizationOf, TzQuery } from './common.ts';

const Boundary = Type.Optional(Type.String({ minLength: 10, maxLength: 40 }));
const View = Type.Optional(
  Type.Union([Type.Literal('full'), Type.Literal('condensed')], { default: 'full' }),
);
const JsonQuery = Type.Object(
  {
    view: View,
    from: Boundary,
    to: Boundary,
    tz: TzQuery,
    organizationId: OrgQuery,
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  },
  { additionalProperties: false },
);
const CsvQuery = Type.Object(
  { view: View, from: Boundary, to: Boundary, tz: TzQuery, organizationId: OrgQuery },
  { additionalProperties: false },
);

export const FULL_CSV_COLUMNS = [
  'Time',
  'Program',
  'Version',
  'Email',
  'Machine',
  'Duration',
  'Status',
] as const;
export const CONDENSED_CSV_COLUMNS = ['Program', 'Email', 'Duration', 'Sessions'] as const;

interface Resolved extends HistoryFilter {
  tz: string;
  /** fast ISO-with-offset formatters (Temporal once per offset change), for starts and ends */
  isoStart: (ms: number) => string;
  isoEnd: (ms: number) => string;
}

async function resolve(
  db: Executor,
  p: Principal,
  q: { from?: string; to?: string; tz?: string; organizationId?: string },
  now: number,
): Promise<Resolved> {
  const organizationId = await organizationOf(db, p, q.organizationId);
  const tz = resolveTimeZone(q.tz, p.timeZone);
  const to = q.to !== undefined ? parseBoundary(q.to, tz, 'to') : todayWindow(now, tz).end;
  const from =
    q.from !== undefined
      ? parseBoundary(q.from, tz, 'from')
      : Temporal.Instant.fromEpochMilliseconds(to).toZonedDateTimeISO(tz).subtract({ months: 3 })
          .epochMilliseconds;
  if (from >= to) throw new LicstatError('INVALID_PERIOD', '`from` must be before `to`');
  return { organizationId, from, to, now, tz, isoStart: isoFormatter(tz), isoEnd: isoFormatter(tz) };
}

function fullRow(s: HistorySession, r: Resolved): SessionHistoryRow {
  const end = effectiveEnd(s, r.now);
  return {
    id: s.id,
    time: r.isoStart(s.started_at),
    program: s.program,
    version: s.version,
    email: s.email,
    machine: s.hostname ?? s.fingerprint,
    durationSeconds: wholeSeconds(durationMs(s, r.now)),
    status: sessionStatus(s, r.now),
    endedAt: end === null ? null : r.isoEnd(end),
    licenseItemId: s.license_item_id,
  };
}

async function condensedRows(db: Executor, r: Resolved): Promise<CondensedSessionRow[]> {
  return (await condensedHistory(db, r))
    .map((g) => ({
      program: g.program,
      email: g.email,
      durationSeconds: wholeSeconds(g.durationMs),
      sessions: g.sessions,
    }))
    .sort(byEmailThenProgram);
}

const sessions: RouteModule = (app, deps) => {
  const db = deps.db.kysely;
  const tags = ['portal'];
  const admins = requireRole('admin', 'vendor');

  app.get(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'Session history, full or condensed',
        querystring: JsonQuery,
        response: { 200: SessionHistorySchema },
      },
      preHandler: admins,
    },
    async (request): Promise<SessionHistoryFull | SessionHistoryCondensed> => {
      const q = request.query;
      const r = await resolve(db, principalOf(request), q, deps.clock.now());
      const window = {
        from: isoInZone(r.from, r.tz),
        to: isoInZone(r.to, r.tz),
        timeZone: r.tz,
        leftOut: await leftOutOfHistory(db, r),
      };
      if (q.view === 'condensed') return { view: 'condensed', ...window, rows: await condensedRows(db, r) };
      let after: SessionCursor | null = null;
      if (q.cursor) {
        after = decodeCursor(q.cursor);
        if (!after) throw new LicstatError('VALIDATION_FAILED', 'cursor is not one this API gave out');
      }
      const page = await fullHistoryPage(db, r, after, q.limit ?? 100);
      return {
        view: 'full',
        ...window,
        rows: page.rows.map((s) => fullRow(s, r)),
        nextCursor: page.next ? encodeCursor(page.next) : null,
      };
    },
  );

  app.get(
    '/sessions.csv',
    {
      schema: {
        tags,
        summary: 'Export the session history view as CSV',
        querystring: CsvQuery,
        response: CsvBody,
      },
      preHandler: admins,
    },
    async (request, reply) => {
      const q = request.query;
      const r = await resolve(db, principalOf(request), q, deps.clock.now());
      if (q.view === 'condensed') {
        const rows = await condensedRows(db, r);
        return sendCsv(reply, {
          filename: 'sessions-condensed.csv',
          header: CONDENSED_CSV_COLUMNS,
          rows: rows.map((g) => [g.program, g.email, g.durationSeconds, g.sessions]),
        });
      }
      // Keyset pages of 1000: memory stays flat however many sessions the window holds.
      async function* rows() {
        let after: SessionCursor | null = null;
        for (;;) {
          const page = await fullHistoryPage(db, r, after, 1000);
          for (const s of page.rows) {
            const row = fullRow(s, r);
            yield [
              row.time,
              row.program,
              row.version,
              row.email,
              row.machine,
              row.durationSeconds,
              row.status,
            ];
          }
          if (!page.next) return;
          after = page.next;
        }
      }
      return sendCsv(reply, { filename: 'sessions.csv', header: FULL_CSV_COLUMNS, rows: rows() });
    },
  );
};
export default sessions;
