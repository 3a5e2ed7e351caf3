/** The login form. It is its own small chunk: no charts, no tables. */
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useAuth } from '../auth.tsx';
import { useDocumentTitle } from '../title.ts';

export default function LoginPage() {
  const { user, login } = useAuth();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useDocumentTitle('Sign in');
  const next = params.get('next');
  const target = next?.startsWith('/') && !next.startsWith('//') ? next : '/';

  if (user) return <Navigate to={target} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(email.trim(), password);
      navigate(target, { replace: true });
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <div className="login-page">
      <div className="login-panel">
        <div className="login-brand">
          <span className="brand-mark" aria-hidden="true">
            ls
          </span>
          <span className="brand-name">licstat</span>
        </div>
        <h1>Sign in to your license portal</h1>
        <p className="muted">See how your licenses are used, export the figures and manage activations.</p>
        <form onSubmit={submit} className="form" noValidate>
          <label className="field">
            <span>Email</span>
            <input
              type="email"
              name="email"
              autoComplete="username"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              type="password"
              name="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </label>
          {error && (
            <p className="form-error" role="alert">
              {error.charAt(0).toUpperCase() + error.slice(1)}
            </p>
          )}
          <button type="submit" className="btn btn-primary btn-block" disabled={busy || !email || !password}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
      <div className="login-aside" aria-hidden="true">
        <div className="login-aside-inner">
          <p className="login-quote">Every figure comes from one ledger.</p>
          <p>Usage by project, seats at peak, sessions and activations — in your own time zone.</p>
        </div>
      </div>
    </div>
  );
}
