/**
 * "Active now": the sessions of an item or project as they start and end, pushed by the server
 * (GET /live, server-sent events); the browser never polls. EventSource reconnects by itself.
 */
import { useEffect, useState } from 'react';
import type { LiveSnapshot } from '../../../src/contract/live.ts';
import { Card } from '../components/ui.tsx';
import { formatNumber, formatQuantity, formatTime } from '../format.ts';

export function LiveSessions(props: { licenseItemId?: string; projectId?: string; tz: string }) {
  const [snap, setSnap] = useState<LiveSnapshot | null>(null);
  const [state, setState] = useState<'connecting' | 'live' | 'reconnecting'>('connecting');
  const { licenseItemId, projectId, tz } = props;

  useEffect(() => {
    const q = new URLSearchParams({ tz });
    if (licenseItemId) q.set('licenseItemId', licenseItemId);
    if (projectId) q.set('projectId', projectId);
    const es = new EventSource(`/api/v1/live?${q}`);
    es.addEventListener('snapshot', (e) => {
      setSnap(JSON.parse((e as MessageEvent<string>).data) as LiveSnapshot);
      setState('live');
    });
    es.onerror = () => setState('reconnecting');
    return () => es.close();
  }, [licenseItemId, projectId, tz]);

  const c = snap?.today.counts ?? {};
  return (
    <Card
      title={
        <>
          <span className={`dot ${state === 'live' ? 'dot-active' : ''}`} aria-hidden="true" /> Active now
        </>
      }
      actions={
        <span className="muted small" data-testid="live-state">
          {state === 'live' ? 'live' : state === 'connecting' ? 'connecting…' : 'reconnecting…'}
        </span>
      }
    >
      {snap && (
        <p className="muted small" data-testid="live-today">
          Today: {formatNumber(c.full_access ?? 0)} full, {formatNumber(c.limited_access ?? 0)} limited (of
          which {formatNumber(c.declined ?? 0)} declined)
          {c.scan ? `, ${formatQuantity(c.scan, 'scans')}` : ''}
        </p>
      )}
      {snap && snap.sessions.length === 0 ? (
        <p className="muted" data-testid="live-empty">
          No active sessions.
        </p>
      ) : snap ? (
        <div className="table-wrap">
          <table className="table" data-testid="live-sessions">
            <thead>
              <tr>
                <th>Started</th>
                <th>User</th>
                <th>Machine</th>
                <th>Program</th>
                <th>Access</th>
              </tr>
            </thead>
            <tbody>
              {snap.sessions.map((s) => (
                <tr key={s.id} data-testid="live-session-row">
                  <td className="nowrap">{formatTime(s.startedAt, tz)}</td>
                  <td>{s.email}</td>
                  <td className="id-mono">{s.machine}</td>
                  <td>
                    {s.program}
                    {s.version ? ` ${s.version}` : ''}
                  </td>
                  <td>
                    <span className={`badge ${s.mode === 'full' ? 'badge-good' : 'badge-warn'}`}>
                      {s.mode === 'full' ? 'Full' : 'Limited'}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {snap.truncated && <p className="muted small">Showing the newest {snap.sessions.length}.</p>}
        </div>
      ) : null}
    </Card>
  );
}
