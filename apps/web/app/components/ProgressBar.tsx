/**
 * A determinate progress bar (role=progressbar with aria-valuenow, so screen readers announce the
 * figure); `total` 0 or unknown makes it indeterminate (no aria-valuenow, as ARIA asks).
 */
export function ProgressBar({ value, total, label }: { value: number; total: number | null; label: string }) {
  const known = total !== null && total > 0;
  const percent = known ? Math.max(0, Math.min(100, Math.round((value / total) * 100))) : null;
  return (
    <div
      className={`progress${known ? '' : ' progress--indeterminate'}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
      aria-valuetext={percent === null ? `${value} processed` : `${percent}%`}
    >
      <div className="progress__fill" style={{ width: percent === null ? undefined : `${percent}%` }} />
    </div>
  );
}
