import { useId, type ReactNode } from 'react';

/** What a section shows when it has nothing yet: a heading, one line of why, maybe an action. */
export function EmptyState({ title, children, level = 2 }: { title: string; children?: ReactNode; level?: 2 | 3 }) {
  const id = useId();
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <section className="empty-state" aria-labelledby={id}>
      <Heading id={id}>{title}</Heading>
      {children ? <div className="muted">{children}</div> : null}
    </section>
  );
}
