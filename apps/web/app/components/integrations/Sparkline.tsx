import { useId } from 'react';

const WIDTH = 240;
const HEIGHT = 48;
const PAD = 4;

/** The drawn path: one polyline per run of measured buckets (gaps where nothing was measured). */
function segments(values: (number | null)[], low: number, high: number): string[] {
  const span = high - low || 1;
  const step = values.length > 1 ? (WIDTH - PAD * 2) / (values.length - 1) : 0;
  const out: string[] = [];
  let current: string[] = [];
  values.forEach((value, index) => {
    if (value === null) {
      if (current.length) out.push(current.join(' '));
      current = [];
      return;
    }
    const x = PAD + index * step;
    const y = HEIGHT - PAD - ((value - low) / span) * (HEIGHT - PAD * 2);
    current.push(`${x.toFixed(1)},${y.toFixed(1)}`);
  });
  if (current.length) out.push(current.join(' '));
  return out;
}

/**
 * A small trend line as inline SVG. The picture is for sighted readers; the caption says the same
 * in words (latest, lowest, highest, how many buckets had data) and names the SVG for screen readers.
 */
export function Sparkline({
  title,
  values,
  format,
  period,
  min,
  max,
}: {
  title: string;
  values: (number | null)[];
  format: (value: number) => string;
  /** "hour" → "18 of 24 hours had runs". */
  period: string;
  /** Fixed bounds (0–1 for rates); else the data's own. */
  min?: number;
  max?: number;
}) {
  const captionId = useId();
  const measured = values.filter((value): value is number => value !== null);
  const low = min ?? Math.min(...measured, 0);
  const high = max ?? Math.max(...measured, 1);
  const latest = [...values].reverse().find((value) => value !== null) ?? null;
  const summary =
    measured.length === 0
      ? `no runs in the last ${values.length} ${period}s`
      : `latest ${format(latest ?? 0)}, lowest ${format(Math.min(...measured))}, highest ${format(Math.max(...measured))}; ${measured.length} of ${values.length} ${period}s had runs`;
  const lines = segments(values, low, high);
  return (
    <figure className="sparkline">
      <figcaption id={captionId} className="sparkline__caption">
        <span className="sparkline__title">{title}</span>
        <span className="cell-sub">{summary}</span>
      </figcaption>
      <svg
        role="img"
        aria-labelledby={captionId}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        width={WIDTH}
        height={HEIGHT}
        className="sparkline__chart"
        focusable="false"
      >
        <line className="sparkline__base" x1={PAD} x2={WIDTH - PAD} y1={HEIGHT - PAD} y2={HEIGHT - PAD} />
        {lines.map((points) =>
          points.includes(' ') ? (
            <polyline key={points} className="sparkline__line" points={points} fill="none" />
          ) : (
            <circle key={points} className="sparkline__dot" cx={points.split(',')[0]} cy={points.split(',')[1]} r={2} />
          ),
        )}
      </svg>
    </figure>
  );
}
