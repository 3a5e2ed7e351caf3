/** SPEC §4.4: session history, Full (active first, green dot) or Condensed (per program and email). */
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type {
  SessionHistoryCondensed,
  SessionHistoryFull,
  SessionHistoryLeftOut,
  SessionHistoryRow,
} from '../../../src/contract/portal.ts';
import { api } from '../api/client.ts';
import { useApi } from '../api/use-api.ts';
import { useAuth } from '../auth.tsx';
import { ExportButton } from '../components/ExportButton.tsx';
import { OrgPending, useOrg } from '../components/OrgPicker.tsx';
import { PeriodPicker, usePeriod } from '../components/PeriodPicker.tsx';
import { TableScroll } from '../components/TableScroll.tsx';
import { Async, Badge, Card, Empty, Forbidden, PageHeader } from '../components/ui.tsx';
import {
  formatDateTime,
  formatDuration,
  formatLocalDateRange,
  formatNumber,
  formatQuantity,
} from '../format.ts';
import { SESSION_PRESETS } from '../period.ts';
import { useDocumentTitle } from '../title.ts';

type View = 'full' | 'condensed';

export default function SessionsPage() {
  const { user, timeZone } = useAuth();
  const org = useOrg();
  const [params, setParams] = useSearchParams();
  useDocumentTitle('Session history');
  const view: View = params.get('view') === 'condensed' ? 'condensed' : 'full';
  // The default is the API's own default window (the last 3 months), so the highlighted choice,
  // the caption and the rows always describe the same period; the window is always sent.
  const period = usePeriod('3m');
  const ready = org.loaded && (!org.isVendor || org.organizationId !== undefined) && user?.role !== 'member';
  const query = {
    view,
    tz: timeZone,
    from: period.window.fromIso,
    to: period.window.toIso,
    ...(org.isVendor ? { organizationId: org.organizationId } : {}),
  };
  const first = useApi<SessionHistoryFull | SessionHistoryCondensed>(ready ? '/sessions' : null, query);
  const [more, setMore] = useState<{ rows: SessionHistoryRow[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new first page starts a new list
  useEffect(() => setMore(null), [first.data]);
  if (user?.role === 'member') return <Forbidden what="the session history" />;

  const setView = (v: View) => {
    const next = new URLSearchParams(params);
    next.set('view', v);
    setParams(next, { replace: true });
  };
  const loadMore = async (cursor: string) => {
    setLoadingMore(true);
    try {
      const r = await api<SessionHistoryFull>('/sessions', { query: { ...query, cursor } });
      setMore((m) => ({ rows: [...(m?.rows ?? []), ...r.rows], cursor: r.nextCursor }));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div className="page">
      <PageHeader
        title="Session history"
        subtitle="Who ran which program, on which machine, and for how long. Hardware-key licenses are not included."
        actions={<ExportButton path="/sessions.csv" query={query} />}
      />
      <div className="toolbar">
        <fieldset className="segmented" aria-label="View">
          <button
            type="button"
            className={view === 'full' ? 'active' : ''}
            aria-pressed={view === 'full'}
            onClick={() => setView('full')}
          >
            Full
          </button>
          <button
            type="button"
            className={view === 'condensed' ? 'active' : ''}
            aria-pressed={view === 'condensed'}
            onClick={() => setView('condensed')}
          >
            Condensed
          </button>
        </fieldset>
        <PeriodPicker period={period} presets={SESSION_PRESETS} />
      </div>
      <p className="muted small">
        <span data-testid="sessions-period">
          {formatLocalDateRange(period.window.fromDate, period.window.toDate)}
        </span>
        {period.choice.preset === '3m' ? ' (the last 3 months)' : ''} · times in {timeZone}
      </p>
      {!ready ? (
        <OrgPending />
      ) : (
        <Async state={first} label="Loading sessions…">
          {(d) => (
            <>
              <LeftOutNote leftOut={d.leftOut} />
              {d.rows.length === 0 ? (
                <Empty title="No sessions in this period">
                  Sessions appear when your programs start with a license from this organization. Try a longer
                  period.
                </Empty>
              ) : d.view === 'condensed' ? (
                <Card>
                  <TableScroll label="Sessions by program and email">
                    <table className="table table-nowrap" data-testid="sessions-condensed">
                      <thead>
                        <tr>
                          <th>Email</th>
                          <th>Program</th>
                          <th className="num">Total duration</th>
                          <th className="num">Sessions</th>
                        </tr>
                      </thead>
                      <tbody>
                        {d.rows.map((r) => (
                          <tr key={`${r.email}|${r.program}`}>
                            <td>{r.email}</td>
                            <td>{r.program}</td>
                            <td className="num">{formatDuration(r.durationSeconds)}</td>
                            <td className="num">{formatNumber(r.sessions)}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroll>
                </Card>
              ) : (
                <Card>
                  <TableScroll label="Sessions">
                    <table className="table table-nowrap" data-testid="sessions-full">
                      <thead>
                        <tr>
                          <th>Time</th>
                          <th>Program</th>
                          <th>Version</th>
                          <th>Email</th>
                          <th>Machine</th>
                          <th className="num">Duration</th>
                          <th>Status</th>
                        </tr>
                      </thead>
                      <tbody>
                        {[...d.rows, ...(more?.rows ?? [])].map((r) => (
                          <tr key={r.id} data-status={r.status}>
                            <td className="nowrap">
                              <span
                                className={`dot ${r.status === 'active' ? 'dot-active' : ''}`}
                                title={r.status === 'active' ? 'Active' : undefined}
                                aria-hidden="true"
                              />{' '}
                              {formatDateTime(r.time, timeZone)}
                            </td>
                            <td>{r.program}</td>
                            <td>{r.version ?? '—'}</td>
                            <td>{r.email}</td>
                            <td className="id-mono">{r.machine}</td>
                            <td className="num">{formatDuration(r.durationSeconds)}</td>
                            <td>
                              {r.status === 'active' ? (
                                <Badge tone="good">Active</Badge>
                              ) : r.status === 'expired' ? (
                                <Badge tone="warn">Lease expired</Badge>
                              ) : r.status === 'revoked' ? (
                                <Badge
                                  tone="warn"
                                  title="The machine's activation was deactivated or its license taken"
                                >
                                  License removed
                                </Badge>
                              ) : (
                                <Badge>Closed</Badge>
                              )}
                              {r.endedAt && (
                                <span className="table-sub">{formatDateTime(r.endedAt, timeZone)}</span>
                              )}
                            </td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </TableScroll>
                  {(more ? more.cursor : d.nextCursor) && (
                    <div className="pager">
                      <span className="muted small">
                        Showing the first{' '}
                        {formatQuantity(d.rows.length + (more?.rows.length ?? 0), 'sessions')}
                      </span>
                      <button
                        type="button"
                        className="btn btn-secondary btn-sm"
                        disabled={loadingMore}
                        onClick={() => loadMore((more ? more.cursor : d.nextCursor)!)}
                      >
                        {loadingMore ? 'Loading…' : 'Load more'}
                      </button>
                    </div>
                  )}
                </Card>
              )}
            </>
          )}
        </Async>
      )}
    </div>
  );
}

/** SPEC §4.4 leaves out users whose activation was deactivated within the window: say so, with how many. */
function LeftOutNote({ leftOut }: { leftOut: SessionHistoryLeftOut }) {
  if (leftOut.users === 0) return null;
  const users = formatQuantity(leftOut.users, 'users');
  const sessions = formatQuantity(leftOut.sessions, 'sessions');
  return (
    <p className="muted small" data-testid="sessions-left-out">
      Not listed: {users} ({sessions}) whose activation was deactivated in this period — by an admin, by the
      program, or by a take moving the license to another machine.
    </p>
  );
}
