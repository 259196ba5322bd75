import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { formatRelative, formatTimestamp } from '../format.ts';

const NowContext = createContext<Date>(new Date(0));

/**
 * The clock RelativeTime reads. It starts at the server's render time (so the browser's first render
 * prints the very text the server did and hydration matches), then follows the real clock.
 */
export function NowProvider({ initial, children }: { initial: Date; children: ReactNode }) {
  const [now, setNow] = useState(initial);
  useEffect(() => {
    setNow(new Date());
    const timer = setInterval(() => setNow(new Date()), 15_000);
    return () => clearInterval(timer);
  }, []);
  return <NowContext.Provider value={now}>{children}</NowContext.Provider>;
}

export function useNow(): Date {
  return useContext(NowContext);
}

/** `5 minutes ago` in a <time> element; the exact UTC time is in its title and datetime. */
export function RelativeTime({ date, empty = 'Never' }: { date: Date | null | undefined; empty?: string }) {
  const now = useNow();
  if (!date) return <span className="muted">{empty}</span>;
  return (
    <time dateTime={date.toISOString()} title={formatTimestamp(date)}>
      {formatRelative(date, now)}
    </time>
  );
}
