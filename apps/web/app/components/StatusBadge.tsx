import { enumLabel } from '../format.ts';

type Tone = 'ok' | 'warn' | 'bad' | 'neutral' | 'info';

// Integration, job, log, alert and conflict statuses share one set of colours.
const TONES: Record<string, Tone> = {
  ACTIVE: 'ok',
  COMPLETED: 'ok',
  SUCCESS: 'ok',
  RESOLVED: 'ok',
  AUTO_RESOLVED: 'ok',
  CONFLICT_RESOLVED: 'ok',
  PROCESSED: 'ok',
  DEGRADED: 'warn',
  PARTIAL: 'warn',
  PARTIAL_SUCCESS: 'warn',
  RETRYING: 'warn',
  WARNING: 'warn',
  CONFLICT_PENDING: 'warn',
  PENDING_CONFIRMATION: 'warn',
  ERROR: 'bad',
  FAILED: 'bad',
  CRITICAL: 'bad',
  OPEN: 'bad',
  RUNNING: 'info',
  PENDING: 'info',
  INFO: 'info',
  ACKNOWLEDGED: 'info',
};

/**
 * A status as a word in a coloured pill. The word carries the meaning (colour is only a cue), so it
 * reads the same to screen readers and to people who do not tell the colours apart.
 */
export function StatusBadge({ status, label }: { status: string; label?: string }) {
  const tone = TONES[status] ?? 'neutral';
  return (
    <span className={`badge badge--${status.toLowerCase()} badge--${tone}`} data-status={status}>
      {label ?? enumLabel(status)}
    </span>
  );
}
