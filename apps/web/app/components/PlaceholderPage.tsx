import type { ReactNode } from 'react';
import { Link } from '@remix-run/react';
import { EmptyState } from './EmptyState.tsx';

/** A page whose full view is still to be built: its heading, and where to look meanwhile. */
export function PlaceholderPage({
  title,
  emptyTitle,
  children,
}: {
  title: string;
  emptyTitle: string;
  children: ReactNode;
}) {
  return (
    <>
      <h1>{title}</h1>
      <EmptyState title={emptyTitle}>
        <p>{children}</p>
        <p>
          <Link to="/">Go to the dashboard</Link>
        </p>
      </EmptyState>
    </>
  );
}
