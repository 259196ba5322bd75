// Dot paths with array indexes: `assignee.gid`, `custom_fields[0].value`.

type Segment = string | number;

export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!match) throw new Error(`Invalid path "${path}"`);
    if (match[1]) segments.push(match[1]);
    for (const index of match[2]?.matchAll(/\[(\d+)\]/g) ?? []) segments.push(Number(index[1]));
  }
  if (segments.length === 0) throw new Error(`Invalid path "${path}"`);
  return segments;
}

/**
 * Parsed paths, by text: a mapping's paths are read for every field of every record pushed or
 * pulled (10,000 records × a dozen fields per run), and parsing them again each time cost more
 * than the mapping itself. Mappings hold few distinct paths; the cache is cleared should it grow.
 */
const parsed = new Map<string, readonly Segment[]>();
const MAX_CACHED_PATHS = 10_000;

function segmentsOf(path: string): readonly Segment[] {
  let segments = parsed.get(path);
  if (!segments) {
    segments = parsePath(path);
    if (parsed.size >= MAX_CACHED_PATHS) parsed.clear();
    parsed.set(path, segments);
  }
  return segments;
}

export function getPath(source: unknown, path: string): unknown {
  let current: unknown = source;
  for (const segment of segmentsOf(path)) {
    if (current === null || current === undefined) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const segments = segmentsOf(path);
  let current: Record<string | number, unknown> = target;
  segments.forEach((segment, i) => {
    if (i === segments.length - 1) {
      current[segment] = value;
      return;
    }
    const next = segments[i + 1];
    if (current[segment] === undefined || current[segment] === null)
      current[segment] = typeof next === 'number' ? [] : {};
    current = current[segment] as Record<string | number, unknown>;
  });
}
