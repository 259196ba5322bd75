import type { Rng } from '../../sandbox-kit/rng.ts';

/** Unique 16-digit ids below 2^53 (sheets, columns, rows, webhooks), like Smartsheet's. */
export function createIdGenerator(rng: Rng): () => number {
  const used = new Set<number>();
  return () => {
    for (;;) {
      const id = 1_000_000_000_000_000 + Math.floor(rng() * 8_000_000_000_000_000);
      if (!used.has(id)) {
        used.add(id);
        return id;
      }
    }
  };
}
