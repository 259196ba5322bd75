import type { ReactNode } from 'react';

/**
 * A failed load or action, said plainly and announced (role=alert). Details stay in the server log;
 * `retry` offers the obvious next step.
 */
export function ErrorState({
  title = 'Could not load this',
  children,
  retry,
}: {
  title?: string;
  children?: ReactNode;
  retry?: () => void;
}) {
  return (
    <div className="error-state" role="alert">
      <p className="error-state__title">{title}</p>
      {children ? <div>{children}</div> : null}
      {retry ? (
        <button type="button" className="button button--secondary" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
