/** Downloads a CSV export; failures are shown next to the button in words. */
import { useState } from 'react';
import { downloadCsv } from '../api/client.ts';
import { Icon } from './Icon.tsx';

export function ExportButton(props: {
  path: string;
  query: Record<string, string | number | undefined | null>;
  fileName: string;
  label?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span className="export">
      <button
        type="button"
        className="btn btn-secondary"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await downloadCsv(props.path, props.query, props.fileName);
          } catch (e) {
            setError((e as Error).message);
          } finally {
            setBusy(false);
          }
        }}
      >
        <Icon name="download" size={16} />
        {busy ? 'Exporting…' : (props.label ?? 'Export CSV')}
      </button>
      {error && (
        <span className="form-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
