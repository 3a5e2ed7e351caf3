/** The app shell: navigation by role, the user menu (time zone, log out), and the page outlet. */
import { useEffect, useRef, useState } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import type { Role } from '../../src/contract/domain.ts';
import { useAuth } from './auth.tsx';
import { Icon, type IconName } from './components/Icon.tsx';
import { OrgPicker, OrgProvider } from './components/OrgPicker.tsx';
import { TimeZoneSelect } from './components/TimeZoneSelect.tsx';
import { Loading } from './components/ui.tsx';
import { offsetLabel } from './format.ts';

interface NavItem {
  to: string;
  label: string;
  icon: IconName;
  roles: Role[];
}

export const NAV: NavItem[] = [
  { to: '/orders', label: 'Orders', icon: 'orders', roles: ['admin', 'vendor'] },
  { to: '/licenses', label: 'Licenses', icon: 'key', roles: ['member', 'admin', 'vendor'] },
  { to: '/usage-statistics', label: 'License usage statistics', icon: 'chart', roles: ['admin', 'vendor'] },
  { to: '/sessions', label: 'Session history', icon: 'clock', roles: ['admin', 'vendor'] },
  { to: '/projects', label: 'Projects', icon: 'folder', roles: ['admin', 'vendor'] },
  { to: '/activations', label: 'Activations', icon: 'device', roles: ['admin', 'vendor'] },
  { to: '/vendor', label: 'Vendor console', icon: 'building', roles: ['vendor'] },
  { to: '/settings', label: 'Settings', icon: 'gear', roles: ['member', 'admin', 'vendor'] },
];

const ROLE_LABEL: Record<Role, string> = { vendor: 'Vendor staff', admin: 'Administrator', member: 'Member' };

function UserMenu() {
  const { user, timeZone, logout } = useAuth();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  useEffect(() => {
    if (!open) return;
    const close = (e: MouseEvent) => {
      if (ref.current && !ref.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);
  if (!user) return null;
  return (
    <div className="user-menu" ref={ref}>
      <button
        type="button"
        className="user-button"
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        data-testid="user-menu"
      >
        <span className="avatar" aria-hidden="true">
          {user.email.slice(0, 1).toUpperCase()}
        </span>
        <span className="user-button-text">
          <span className="user-email">{user.email}</span>
          <span className="user-tz">
            {timeZone} · {offsetLabel(timeZone)}
          </span>
        </span>
      </button>
      {open && (
        <div className="user-popover" role="menu">
          <div className="user-popover-head">
            <strong>{user.email}</strong>
            <span className="muted">{ROLE_LABEL[user.role]}</span>
          </div>
          <TimeZoneSelect />
          <p className="muted small">
            Charts, tables and exports use this zone for days and 2-hour intervals.
          </p>
          <button
            type="button"
            className="btn btn-secondary btn-block"
            onClick={async () => {
              await logout();
              navigate('/login');
            }}
          >
            Log out
          </button>
        </div>
      )}
    </div>
  );
}

export function Shell() {
  const { user } = useAuth();
  const location = useLocation();
  const [navOpen, setNavOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: close the phone menu on every navigation
  useEffect(() => setNavOpen(false), [location.pathname]);

  if (user === undefined) return <Loading label="Opening the portal…" />;
  if (user === null) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  const items = NAV.filter((n) => n.roles.includes(user.role));
  return (
    <OrgProvider>
      <div className={`shell ${navOpen ? 'nav-open' : ''}`}>
        <aside className="sidebar">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              ls
            </span>
            <span className="brand-name">licstat</span>
            <button
              type="button"
              className="nav-toggle"
              aria-label={navOpen ? 'Close menu' : 'Open menu'}
              aria-expanded={navOpen}
              onClick={() => setNavOpen((o) => !o)}
            >
              <Icon name={navOpen ? 'close' : 'menu'} />
            </button>
          </div>
          <nav className="nav" aria-label="Main">
            {items.map((n) => (
              <NavLink key={n.to} to={n.to} className={({ isActive }) => (isActive ? 'active' : '')}>
                <Icon name={n.icon} />
                <span>{n.label}</span>
              </NavLink>
            ))}
          </nav>
        </aside>
        <div className="main-col">
          <header className="topbar">
            <OrgPicker />
            <UserMenu />
          </header>
          <main className="content">
            <Outlet />
          </main>
        </div>
      </div>
    </OrgProvider>
  );
}
