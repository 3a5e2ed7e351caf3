/** Previous/next paging for long tables. */
import { formatNumber } from '../format.ts';

export function Pager(props: {
  page: number;
  pages: number;
  total: number;
  onPage(p: number): void;
  noun: string;
}) {
  if (props.pages <= 1) return null;
  return (
    <div className="pager">
      <span className="muted small">
        Page {formatNumber(props.page + 1)} of {formatNumber(props.pages)} · {formatNumber(props.total)}{' '}
        {props.noun}
      </span>
      <div className="pager-buttons">
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          disabled={props.page === 0}
          onClick={() => props.onPage(props.page - 1)}
        >
          Newer
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          disabled={props.page >= props.pages - 1}
          onClick={() => props.onPage(props.page + 1)}
        >
          Older
        </button>
      </div>
    </div>
  );
}
