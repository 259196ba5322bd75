import type { KeyboardEvent, ReactNode } from 'react';
import { Link, useNavigate } from '@remix-run/react';

export interface Tab {
  id: string;
  to: string;
  label: string;
  selected: boolean;
}

/**
 * Tabs that are links (each tab has its own URL, so it can be bookmarked and reloaded) with the
 * ARIA tabs pattern on top: one tab stop (the selected tab), arrow keys / Home / End move between
 * tabs, Enter or Space opens one; the panel is labelled by the selected tab.
 */
export function TabNav({
  label,
  tabs,
  panelId,
  children,
}: {
  label: string;
  tabs: Tab[];
  panelId: string;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  const selected = tabs.find((tab) => tab.selected) ?? tabs[0];

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const list = [...event.currentTarget.querySelectorAll<HTMLAnchorElement>('[role="tab"]')];
    const index = list.indexOf(document.activeElement as HTMLAnchorElement);
    if (index < 0) return;
    const target = {
      ArrowRight: (index + 1) % list.length,
      ArrowLeft: (index - 1 + list.length) % list.length,
      Home: 0,
      End: list.length - 1,
    }[event.key];
    if (target !== undefined) {
      event.preventDefault();
      list[target]?.focus();
    } else if (event.key === ' ') {
      // Links open on Enter by themselves; tabs also open on Space.
      event.preventDefault();
      const tab = tabs[index];
      if (tab) navigate(tab.to, { preventScrollReset: true });
    }
  };

  return (
    <>
      <div role="tablist" aria-label={label} className="tabs" onKeyDown={onKeyDown}>
        {tabs.map((tab) => (
          <Link
            key={tab.id}
            id={tab.id}
            role="tab"
            to={tab.to}
            aria-selected={tab.selected}
            aria-controls={panelId}
            tabIndex={tab.selected ? 0 : -1}
            className={tab.selected ? 'tabs__tab tabs__tab--selected' : 'tabs__tab'}
            prefetch="intent"
            preventScrollReset
          >
            {tab.label}
          </Link>
        ))}
      </div>
      <div role="tabpanel" id={panelId} aria-labelledby={selected?.id} className="tabs__panel">
        {children}
      </div>
    </>
  );
}
