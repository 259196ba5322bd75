// Seedable randomness for sandboxes: the same seed gives the same faults, ids and delivery order,
// so a failing test can be replayed exactly.

/** A source of numbers in [0, 1), like Math.random. */
export type Rng = () => number;

/** mulberry32: tiny, fast and good enough to drive fault injection (not for cryptography). */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomnessOptions {
  /** Seed for a private generator (default 1, so runs are reproducible unless told otherwise). */
  seed?: number;
  /** Or a generator of your own, e.g. one shared by several parts of a sandbox. */
  rng?: Rng;
}

export function resolveRng(options: RandomnessOptions = {}): Rng {
  return options.rng ?? seededRng(options.seed ?? 1);
}

/** Fisher–Yates shuffle into a new array. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}
