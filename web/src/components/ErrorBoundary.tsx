/**
 * Never a blank page: a render error or a chunk that fails to load (e.g. after an upgrade, the old
 * file names are gone) shows what happened in words and offers a reload.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { useRouteError } from 'react-router';

function Fallback({ error }: { error: unknown }) {
  const message = error instanceof Error ? error.message : String(error);
  const chunk = /dynamically imported module|Failed to fetch|Importing a module script failed/i.test(message);
  return (
    <div className="state state-error" role="alert" style={{ margin: 24 }}>
      <strong>{chunk ? 'The portal was updated' : 'This page could not be shown'}</strong>
      <span>
        {chunk
          ? 'Reload to get the new version of the portal.'
          : 'An unexpected error stopped this page. Reloading usually helps.'}
      </span>
      <span className="muted small">{message}</span>
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => window.location.reload()}>
        Reload
      </button>
    </div>
  );
}

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state: { error: unknown } = { error: null };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }
  override render() {
    return this.state.error ? <Fallback error={this.state.error} /> : this.props.children;
  }
}

/** The router's errorElement. */
export function RouteError() {
  return <Fallback error={useRouteError()} />;
}
