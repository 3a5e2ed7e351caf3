/**
 * Who is logged in, and the viewer's time zone. The session itself is an HttpOnly cookie; the
 * CSRF token from the login answer is kept for writes.
 */
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { AuthAnswer } from '../../src/contract/portal.ts';
import type { User } from '../../src/contract/resources.ts';
import { ApiError, api, hasCsrfToken, onUnauthorized, setCsrfToken } from './api/client.ts';

export interface AuthState {
  /** undefined while the first /auth/me is in flight; null when nobody is logged in */
  user: User | null | undefined;
  /** the viewer's IANA time zone: chosen in the user menu, else the account's, else the browser's */
  timeZone: string;
  setTimeZone(tz: string): void;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);
const TZ_KEY = 'licstat.tz';
/** the organization a vendor looks at (components/OrgPicker.tsx) */
export const ORG_KEY = 'licstat.org';
/** Per-user view settings kept in this browser (time zone, a vendor's organization): forgotten on logout. */
const VIEW_SETTING_KEYS = [TZ_KEY, ORG_KEY];

function forgetViewSettings(): void {
  for (const key of VIEW_SETTING_KEYS) {
    try {
      localStorage.removeItem(key);
    } catch {
      // storage unavailable (private mode): nothing was kept
    }
  }
}

/**
 * Whether this browser may hold a portal session. The session cookie is HttpOnly, so the page
 * cannot see it; this marker (no secret: only "someone logged in here") is set on login and
 * cleared on logout or a 401. Without it, and without a CSRF token in this tab, the first visit
 * does not ask /auth/me at all: that question would be answered 401, and Chromium logs every 401
 * as an error in the console of a plain login page.
 */
const SESSION_HINT_KEY = 'licstat.session';

function sessionHint(): boolean {
  try {
    return localStorage.getItem(SESSION_HINT_KEY) === '1' || hasCsrfToken();
  } catch {
    return true; // storage unavailable: ask the server
  }
}

function setSessionHint(on: boolean): void {
  try {
    if (on) localStorage.setItem(SESSION_HINT_KEY, '1');
    else localStorage.removeItem(SESSION_HINT_KEY);
  } catch {
    // storage unavailable (private mode): the probe is simply always made
  }
}

/** The server no longer knows this browser's session: ask no more until the next login. */
function forgetSession(): void {
  setSessionHint(false);
  setCsrfToken(null);
}

export const browserTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export function AuthProvider({ children }: { children: ReactNode }) {
  // Nobody has logged in in this browser: known to be logged out without asking.
  const [user, setUser] = useState<User | null | undefined>(() => (sessionHint() ? undefined : null));
  const [chosenTz, setChosenTz] = useState<string | null>(() => localStorage.getItem(TZ_KEY));

  useEffect(() => {
    let live = true;
    if (sessionHint())
      api<AuthAnswer>('/auth/me')
        .then((a) => {
          if (!live) return;
          if (a.csrfToken) setCsrfToken(a.csrfToken);
          setSessionHint(true);
          setUser(a.user);
        })
        .catch((e: unknown) => {
          if (!live) return;
          // only a refused session is forgotten; a network error may pass
          if (e instanceof ApiError && e.status === 401) forgetSession();
          setUser(null);
        });
    const off = onUnauthorized(() => {
      forgetSession();
      setUser(null);
    });
    return () => {
      live = false;
      off();
    };
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    const a = await api<AuthAnswer>('/auth/login', { method: 'POST', body: { email, password } });
    setCsrfToken(a.csrfToken ?? null);
    setSessionHint(true);
    setUser(a.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST' });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
    setCsrfToken(null);
    setSessionHint(false);
    // The next person to log in on this browser starts from their own account's settings.
    forgetViewSettings();
    setChosenTz(null);
    setUser(null);
  }, []);

  const setTimeZone = useCallback((tz: string) => {
    if (!isValidTimeZone(tz)) return;
    localStorage.setItem(TZ_KEY, tz);
    setChosenTz(tz);
    // Remember it on the account too (best effort: the local choice already applies).
    api('/users/me', { method: 'PATCH', body: { timeZone: tz } }).catch(() => undefined);
  }, []);

  const timeZone =
    chosenTz && isValidTimeZone(chosenTz)
      ? chosenTz
      : user?.timeZone && isValidTimeZone(user.timeZone)
        ? user.timeZone
        : browserTimeZone();

  const value = useMemo(
    () => ({ user, timeZone, setTimeZone, login, logout }),
    [user, timeZone, setTimeZone, login, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** The logged-in user (inside the app shell, which only renders with one). */
export function useUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useUser without a logged-in user');
  return user;
}
