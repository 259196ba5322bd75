import type { ReactNode } from 'react';
import { Link, NavLink } from '@remix-run/react';
import { can, roleLabels, type Role } from './roles.ts';
import type { CurrentUser } from './user.ts';

interface NavItem {
  to: string;
  label: string;
  requires: Role;
}

export const NAV_ITEMS: NavItem[] = [
  { to: '/', label: 'Dashboard', requires: 'VIEWER' },
  { to: '/integrations', label: 'Integrations', requires: 'VIEWER' },
  { to: '/conflicts', label: 'Conflicts', requires: 'VIEWER' },
  { to: '/logs', label: 'Logs', requires: 'VIEWER' },
  { to: '/jobs', label: 'Jobs', requires: 'VIEWER' },
  { to: '/alerts', label: 'Alerts', requires: 'VIEWER' },
  { to: '/users', label: 'Users', requires: 'ADMIN' },
];

/**
 * The frame of every page: a skip link, the brand, the main navigation (only what the user's role
 * may open) and the user menu. Signed out, only the brand shows.
 */
export function AppShell({
  user,
  csrfToken,
  children,
}: {
  user: CurrentUser | null;
  csrfToken: string | null;
  children: ReactNode;
}) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className={user ? 'shell shell--signed-in' : 'shell'}>
        <header className="shell__header">
          <Link to="/" className="brand">
            Syncbridge
          </Link>
          {user ? <UserMenu user={user} csrfToken={csrfToken} /> : null}
        </header>
        {user ? (
          <nav className="shell__nav" aria-label="Main">
            <ul>
              {NAV_ITEMS.filter((item) => can(user.role, item.requires)).map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.to === '/'} prefetch="intent">
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main" tabIndex={-1} className="shell__main">
          {children}
        </main>
      </div>
    </>
  );
}

/** Who is signed in, their role, and a sign-out form (a plain POST: works without JavaScript). */
function UserMenu({ user, csrfToken }: { user: CurrentUser; csrfToken: string | null }) {
  return (
    <details className="user-menu">
      <summary>
        <span className="visually-hidden">Account: </span>
        <span className="user-menu__email">{user.email}</span>
        <span className="user-menu__role">{roleLabels[user.role]}</span>
      </summary>
      <div className="user-menu__panel">
        <p>
          Signed in as <strong>{user.email}</strong> ({roleLabels[user.role]})
        </p>
        <form method="post" action="/sign-out">
          <input type="hidden" name="csrfToken" value={csrfToken ?? ''} />
          <button type="submit" className="button button--secondary">
            Sign out
          </button>
        </form>
      </div>
    </details>
  );
}
