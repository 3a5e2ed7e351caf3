/** Small building blocks every page uses: headers, cards, loading/error/empty states, badges. */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApiError } from '../api/client.ts';

export function PageHeader(props: {
  title: ReactNode;
  subtitle?: ReactNode;
  crumbs?: { label: string; to?: string }[];
  actions?: ReactNode;
}) {
  return (
    <header className="page-header">
      {props.crumbs && props.crumbs.length > 0 && (
        <nav className="crumbs" aria-label="Breadcrumb">
          {props.crumbs.map((c, i) => (
            <span key={`${c.label}-${c.to ?? ''}`}>
              {c.to ? <Link to={c.to}>{c.label}</Link> : <span>{c.label}</span>}
              {i < props.crumbs!.length - 1 && <span className="crumb-sep">/</span>}
            </span>
          ))}
        </nav>
      )}
      <div className="page-header-row">
        <div className="page-header-text">
          <h1>{props.title}</h1>
          {props.subtitle && <p className="subtitle">{props.subtitle}</p>}
        </div>
        {props.actions && <div className="page-actions">{props.actions}</div>}
      </div>
    </header>
  );
}

export function Card(props: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section className={`card ${props.className ?? ''}`}>
      {(props.title || props.actions) && (
        <div className="card-head">
          {props.title && <h2>{props.title}</h2>}
          {props.actions && <div className="card-actions">{props.actions}</div>}
        </div>
      )}
      {props.children}
    </section>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

/** An API failure in words, with what the user can do about it. */
export function ErrorNotice({ error, onRetry }: { error: ApiError | Error; onRetry?: () => void }) {
  const status = 'status' in error ? (error as ApiError).status : 0;
  let title = 'Something went wrong';
  let hint = '';
  if (status === 403) {
    title = 'You do not have access to this page';
    hint = 'Your role does not allow this. Ask your organization’s administrator if you need it.';
  } else if (status === 404) {
    title = 'Not found';
    hint = 'It does not exist, or it belongs to another organization.';
  } else if (status === 0) {
    title = 'Cannot reach the server';
  } else if (status === 401) {
    title = 'Your session has ended';
    hint = 'Sign in again.';
  } else if (status >= 400 && status < 500 && status !== 429) {
    // the server refused what was asked (e.g. a period over 5 years): its message says what to change
    title = 'This cannot be shown as asked';
  }
  const retryable = status === 0 || status === 429 || status >= 500;
  return (
    <div className="state state-error" role="alert">
      <strong>{title}</strong>
      <span>{error.message.charAt(0).toUpperCase() + error.message.slice(1)}</span>
      {hint && <span className="muted">{hint}</span>}
      {onRetry && retryable && (
        <button type="button" className="btn btn-secondary btn-sm" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <strong>{title}</strong>
      {children && <span>{children}</span>}
    </div>
  );
}

export function Badge({
  tone = 'neutral',
  title,
  children,
}: {
  tone?: 'neutral' | 'good' | 'bad' | 'warn' | 'info';
  /** what the badge means, on hover */
  title?: string;
  children: ReactNode;
}) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

export function Forbidden({ what }: { what: string }) {
  return (
    <div className="state state-error" role="alert">
      <strong>You do not have access to {what}</strong>
      <span>Only your organization’s administrators can open this page. Ask one of them if you need it.</span>
      <Link to="/" className="btn btn-secondary btn-sm">
        Back to your licenses
      </Link>
    </div>
  );
}

/** Renders loading / error states for a useApi result, and the children once data is there. */
export function Async<T>(props: {
  state: { data: T | undefined; error: ApiError | undefined; loading: boolean; reload(): void };
  children: (data: T) => ReactNode;
  label?: string;
}) {
  const { data, error, reload } = props.state;
  if (error) return <ErrorNotice error={error} onRetry={reload} />;
  if (data === undefined) return <Loading label={props.label} />;
  return <>{props.children(data)}</>;
}
