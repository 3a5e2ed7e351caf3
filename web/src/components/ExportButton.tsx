/**
 * Starts a CSV export that the browser streams to disk (see startCsvDownload); says when the
 * download has started, and shows a refusal (expired login, bad period…) next to the button.
 */
import { useEffect, useRef, useState } from 'react';
import { startCsvDownload } from '../api/client.ts';
import { Icon } from './Icon.tsx';

/** how long the server has to refuse before the download counts as started */
const START_GRACE_MS = 1500;
/** how long "Download started" stays next to the button */
const STARTED_NOTE_MS = 8000;

export function ExportButton(props: {
  path: string;
  query: Record<string, string | number | undefined | null>;
  label?: string;
}) {
  const [state, setState] = useState<'idle' | 'starting' | 'started'>('idle');
  const [error, setError] = useState<string | null>(null);
  const timers = useRef<ReturnType<typeof setTimeout>[]>([]);
  const clearTimers = () => {
    for (const t of timers.current) clearTimeout(t);
    timers.current = [];
  };
  useEffect(
    () => () => {
      for (const t of timers.current) clearTimeout(t);
    },
    [],
  );

  const start = () => {
    clearTimers();
    setError(null);
    setState('starting');
    startCsvDownload(props.path, props.query, (e) => {
      clearTimers();
      setState('idle');
      setError(e.message);
    });
    timers.current.push(
      setTimeout(() => setState((s) => (s === 'starting' ? 'started' : s)), START_GRACE_MS),
      setTimeout(() => setState((s) => (s === 'started' ? 'idle' : s)), START_GRACE_MS + STARTED_NOTE_MS),
    );
  };

  return (
    <span className="export">
      <button type="button" className="btn btn-secondary" disabled={state === 'starting'} onClick={start}>
        <Icon name="download" size={16} />
        {state === 'starting' ? 'Exporting…' : (props.label ?? 'Export CSV')}
      </button>
      <span className="export-status muted small" role="status" aria-live="polite">
        {state === 'started' ? 'Download started: your browser saves the file.' : ''}
      </span>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
