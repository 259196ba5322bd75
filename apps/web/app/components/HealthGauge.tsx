/** Health score bands: the words people read next to the number. */
export function healthBand(score: number): 'good' | 'fair' | 'poor' {
  if (score >= 80) return 'good';
  if (score >= 50) return 'fair';
  return 'poor';
}

const RADIUS = 16;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/**
 * A 0–100 health score as a ring. The SVG is decorative for assistive technology: the figure and
 * band are in the accessible name ("Health 82 of 100, good"), and the number is printed inside.
 */
export function HealthGauge({ score, size = 44 }: { score: number | null | undefined; size?: number }) {
  if (score === null || score === undefined) {
    return (
      <span className="health health--none" role="img" aria-label="Health score not measured yet">
        —
      </span>
    );
  }
  const value = Math.max(0, Math.min(100, Math.round(score)));
  const band = healthBand(value);
  return (
    <span className={`health health--${band}`} role="img" aria-label={`Health ${value} of 100, ${band}`}>
      <svg width={size} height={size} viewBox="0 0 40 40" aria-hidden="true" focusable="false">
        <circle className="health__track" cx="20" cy="20" r={RADIUS} fill="none" strokeWidth="5" />
        <circle
          className="health__value"
          cx="20"
          cy="20"
          r={RADIUS}
          fill="none"
          strokeWidth="5"
          strokeLinecap="round"
          strokeDasharray={`${(CIRCUMFERENCE * value) / 100} ${CIRCUMFERENCE}`}
          transform="rotate(-90 20 20)"
        />
        <text x="20" y="24.5" textAnchor="middle" className="health__text">
          {value}
        </text>
      </svg>
    </span>
  );
}
